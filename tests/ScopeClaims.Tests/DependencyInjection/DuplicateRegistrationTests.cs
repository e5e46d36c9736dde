using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;
using ScopeClaims;
using ScopeClaims.Tests.Conversion;
using ScopeClaims.Tests.Serialization;

namespace ScopeClaims.Tests.DependencyInjection;

/// <summary>A profile or converter name is registered once; a second registration is refused, never merged into the first.</summary>
public class DuplicateRegistrationTests
{
    public enum Overload
    {
        ArrayDelegate,
        ArrayConfiguration,
        ScopeTokensDelegate,
        ScopeTokensConfiguration,
    }

    public static TheoryData<Overload, Overload, string> Pairs()
    {
        var data = new TheoryData<Overload, Overload, string>();
        foreach (var name in new[] { Options.DefaultName, "partner" })
        {
            foreach (var first in Enum.GetValues<Overload>())
            {
                foreach (var second in Enum.GetValues<Overload>())
                {
                    data.Add(first, second, name);
                }
            }
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(Pairs))]
    public async Task HostStart_ProfileRegisteredTwice_FailsNamingTheProfile(Overload first, Overload second, string name)
    {
        var builder = Host.CreateApplicationBuilder();
        Register(builder.Services, first, name, "https://a.test", "partner-a");
        Register(builder.Services, second, name, "https://b.test", "partner-b");
        using var host = builder.Build();

        var ex = await Assert.ThrowsAsync<OptionsValidationException>(() => host.StartAsync());

        var profile = name.Length == 0 ? "the default profile" : $"profile '{name}'";
        Assert.Equal(name, ex.OptionsName);
        Assert.Contains(ex.Failures, f => f.Contains($"{profile} is registered 2 times", StringComparison.Ordinal) && f.Contains("Configure<ScopeTokenOptions>", StringComparison.Ordinal));
    }

    [Fact]
    public void GetIssuer_ProfileRegisteredTwice_NeverIssuesAMergedToken()
    {
        // The red-team case: iss and key from the second call, aud from both.
        var services = new ServiceCollection();
        Register(services, Overload.ArrayDelegate, "partner", "https://a.test", "partner-a");
        Register(services, Overload.ArrayDelegate, "partner", "https://b.test", "partner-b");
        using var provider = services.BuildServiceProvider();

        var ex = Assert.Throws<OptionsValidationException>(() => provider.GetRequiredService<IScopeTokenIssuerFactory>().GetIssuer("partner"));

        Assert.Contains(ex.Failures, f => f.Contains("profile 'partner' is registered 2 times", StringComparison.Ordinal));
    }

    [Fact]
    public void GetIssuer_NameNeverRegistered_SaysSoAndListsTheProfiles()
    {
        var services = new ServiceCollection();
        Register(services, Overload.ArrayDelegate, "partner-a", "https://a.test", "partner-a");
        Register(services, Overload.ArrayDelegate, Options.DefaultName, "https://a.test", "partner-a");
        using var provider = services.BuildServiceProvider();

        var ex = Assert.Throws<OptionsValidationException>(() => provider.GetRequiredService<IScopeTokenIssuerFactory>().GetIssuer("partner-b"));

        Assert.Contains(ex.Failures, f => f.Contains("profile 'partner-b' is not registered", StringComparison.Ordinal) && f.Contains("'partner-a', the default", StringComparison.Ordinal));
    }

    [Fact]
    public void GetConverter_NameNeverRegistered_SaysSo()
    {
        var services = new ServiceCollection();
        Register(services, Overload.ArrayDelegate, Options.DefaultName, "https://a.test", "partner-a");
        services.AddScopeTokenConverter("known", o => o.Issuers.Add(SourceTokens.Inbound()));
        using var provider = services.BuildServiceProvider();

        var ex = Assert.Throws<OptionsValidationException>(() => provider.GetRequiredService<IScopeTokenConverterFactory>().GetConverter("unknown"));

        Assert.Contains(ex.Failures, f => f.Contains("converter 'unknown' is not registered", StringComparison.Ordinal) && f.Contains("'known'", StringComparison.Ordinal));
    }

    [Fact]
    public async Task HostStart_OtherProfilesOfADuplicatedHost_AreNotBlamed()
    {
        var builder = Host.CreateApplicationBuilder();
        Register(builder.Services, Overload.ArrayDelegate, "a", "https://a.test", "partner-a");
        Register(builder.Services, Overload.ArrayDelegate, "b", "https://b.test", "partner-b");
        Register(builder.Services, Overload.ScopeTokensDelegate, "b", "https://b.test", "partner-b");
        using var host = builder.Build();

        var ex = await Assert.ThrowsAsync<OptionsValidationException>(() => host.StartAsync());

        Assert.Equal("b", ex.OptionsName);
        Assert.Single(ex.Failures);
    }

    [Fact]
    public async Task HostStart_ConfigureOnTopOfARegisteredProfile_StillApplies()
    {
        var builder = Host.CreateApplicationBuilder();
        Register(builder.Services, Overload.ArrayDelegate, "partner", "https://a.test", "partner-a");
        builder.Services.Configure<ScopeTokenOptions>("partner", o => o.Lifetime = TimeSpan.FromMinutes(1));
        builder.Services.PostConfigure<ScopeTokenOptions>("partner", o => o.Format = ScopeFormat.SpaceDelimited);
        using var host = builder.Build();
        await host.StartAsync();

        var payload = ScopeSerializerTests.Payload(host.Services.GetRequiredService<IScopeTokenIssuerFactory>().GetIssuer("partner").Issue(ScopeSet.Parse("x y")));

        Assert.Equal(60, payload.GetProperty("exp").GetInt64() - payload.GetProperty("iat").GetInt64());
        Assert.Equal("x y", payload.GetProperty("scope").GetString());
        Assert.Equal("partner-a", payload.GetProperty("aud").GetString());
        await host.StopAsync();
    }

    [Fact]
    public async Task HostStart_ConverterRegisteredTwice_FailsNamingTheConverter()
    {
        var builder = Host.CreateApplicationBuilder();
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["C:Issuers:0:Issuer"] = "https://other.test/",
            ["C:Issuers:0:Audience"] = "https://api.test",
            ["C:Issuers:0:Algorithms:0"] = "RS256",
            ["C:Issuers:0:Authority"] = "https://other.test/",
        });
        Register(builder.Services, Overload.ArrayDelegate, Options.DefaultName, "https://a.test", "partner-a");
        builder.Services.AddScopeTokenConverter("to-partner", o => o.Issuers.Add(SourceTokens.Inbound()));
        builder.Services.AddScopeTokenConverter("to-partner", builder.Configuration.GetSection("C"));
        using var host = builder.Build();

        var ex = await Assert.ThrowsAsync<OptionsValidationException>(() => host.StartAsync());

        Assert.Equal("to-partner", ex.OptionsName);
        Assert.Contains(ex.Failures, f => f.Contains("converter 'to-partner' is registered 2 times", StringComparison.Ordinal) && f.Contains("Configure<ScopeTokenConverterOptions>", StringComparison.Ordinal));
    }

    [Fact]
    public async Task HostStart_DefaultConverterRegisteredTwice_Fails()
    {
        var builder = Host.CreateApplicationBuilder();
        Register(builder.Services, Overload.ArrayDelegate, Options.DefaultName, "https://a.test", "partner-a");
        builder.Services.AddScopeTokenConverter(o => o.Issuers.Add(SourceTokens.Inbound()));
        builder.Services.AddScopeTokenConverter(o => o.MaxTokenLength = 4096);
        using var host = builder.Build();

        var ex = await Assert.ThrowsAsync<OptionsValidationException>(() => host.StartAsync());

        Assert.Contains(ex.Failures, f => f.Contains("the default converter is registered 2 times", StringComparison.Ordinal));
    }

    [Fact]
    public void AddScopeNormalizer_CalledTwice_StaysOneNormalizerAndOneValidator()
    {
        var services = new ServiceCollection();
        services.AddScopeNormalizer();
        services.AddScopeNormalizer(o => o.MultipleClaims = MultipleScopeClaimsBehavior.Union);
        Register(services, Overload.ArrayDelegate, Options.DefaultName, "https://a.test", "partner-a");
        using var provider = services.BuildServiceProvider();

        Assert.Single(provider.GetServices<ScopeNormalizer>());
        Assert.Single(provider.GetServices<IValidateOptions<ScopeNormalizerOptions>>());
        Assert.Equal(ScopeSet.Parse("a b"), provider.GetRequiredService<ScopeNormalizer>().ReadPayloadJson("""{"scope":"a","scp":"b"}"""));
    }

    private static void Register(IServiceCollection services, Overload overload, string name, string issuer, string audience)
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Issuer"] = issuer,
            ["Audiences:0"] = audience,
            ["SigningKey:Jwk"] = TestKeys.Hmac.ExportPrivateJwk(),
        }).Build();
        void Configure(ScopeTokenOptions o)
        {
            o.Issuer = issuer;
            o.Audiences.Add(audience);
            o.SigningKeys = new SigningKeySet(TestKeys.Hmac);
        }

        switch (overload)
        {
            case Overload.ArrayDelegate when name.Length == 0:
                services.AddArrayScopeTokens(Configure);
                break;
            case Overload.ArrayDelegate:
                services.AddArrayScopeTokens(name, Configure);
                break;
            case Overload.ArrayConfiguration when name.Length == 0:
                services.AddArrayScopeTokens(configuration);
                break;
            case Overload.ArrayConfiguration:
                services.AddArrayScopeTokens(name, configuration);
                break;
            case Overload.ScopeTokensDelegate:
                services.AddScopeTokens(name, ScopeFormat.SpaceDelimited, Configure);
                break;
            case Overload.ScopeTokensConfiguration:
                services.AddScopeTokens(name, configuration);
                break;
        }
    }
}
