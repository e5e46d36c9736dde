using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;
using ScopeClaims;
using ScopeClaims.Tests.Conversion;
using ScopeClaims.Tests.Serialization;

namespace ScopeClaims.Tests.DependencyInjection;

public sealed class ScopeTokenConverterServiceCollectionExtensionsTests : IDisposable
{
    private readonly string _jwks = Path.GetTempFileName();

    public ScopeTokenConverterServiceCollectionExtensionsTests() =>
        File.WriteAllText(_jwks, new SigningKeySet(SourceTokens.IssuerKey).ExportPublicJwks());

    public void Dispose() => File.Delete(_jwks);

    [Fact]
    public async Task AddScopeTokenConverter_FromConfiguration_ConvertsStringToArray()
    {
        var builder = Host.CreateApplicationBuilder();
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Partner:Issuer"] = "https://issuer.test",
            ["Partner:Audience"] = "https://partner.test",
            ["Partner:SigningKey:Jwk"] = TestKeys.Ec.ExportPrivateJwk(),
            ["Converter:ProfileName"] = "partner",
            ["Converter:AllowedScopes"] = "read:a write:b",
            ["Converter:Issuers:0:Issuer"] = SourceTokens.Auth0,
            ["Converter:Issuers:0:Audiences:0"] = SourceTokens.Api,
            ["Converter:Issuers:0:Algorithms:0"] = "RS256",
            ["Converter:Issuers:0:JwksPath"] = _jwks,
            ["Converter:Issuers:0:ClockSkew"] = "00:00:10",
        });
        builder.Services.AddArrayScopeTokens("partner", builder.Configuration.GetSection("Partner"));
        builder.Services.AddScopeTokenConverter(builder.Configuration.GetSection("Converter"));
        using var host = builder.Build();
        await host.StartAsync();

        var result = await host.Services.GetRequiredService<IScopeTokenConverter>().ConvertAsync(SourceTokens.Build("read:a write:b admin"));

        Assert.Equal("""["read:a","write:b"]""", ScopeSerializerTests.Payload(result.Token).GetProperty("scope").GetRawText());
        Assert.Same(host.Services.GetRequiredService<IScopeTokenConverterFactory>().GetConverter(Options.DefaultName), host.Services.GetRequiredService<IScopeTokenConverter>());
        await host.StopAsync();
    }

    [Fact]
    public async Task AddScopeTokenConverter_ConfigurationNamingTheProfileWithTheFormerKey_FailsOnStartPointingToProfileName()
    {
        var builder = Host.CreateApplicationBuilder();
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Partner:Issuer"] = "https://issuer.test",
            ["Partner:Audience"] = "https://partner.test",
            ["Partner:SigningKey:Jwk"] = TestKeys.Ec.ExportPrivateJwk(),
            ["Converter:TargetProfile"] = "partner",
            ["Converter:Issuers:0:Issuer"] = SourceTokens.Auth0,
            ["Converter:Issuers:0:Audiences:0"] = SourceTokens.Api,
            ["Converter:Issuers:0:Algorithms:0"] = "RS256",
            ["Converter:Issuers:0:JwksPath"] = _jwks,
        });
        builder.Services.AddArrayScopeTokens(o =>
        {
            o.Issuer = "https://issuer.test";
            o.Audiences.Add("https://default.test");
            o.SigningKeys = new SigningKeySet(TestKeys.Ec);
        });
        builder.Services.AddArrayScopeTokens("partner", builder.Configuration.GetSection("Partner"));
        builder.Services.AddScopeTokenConverter(builder.Configuration.GetSection("Converter"));
        using var host = builder.Build();

        var ex = await Assert.ThrowsAsync<OptionsValidationException>(() => host.StartAsync());

        var failure = Assert.Single(ex.Failures);
        Assert.StartsWith("Configuration value 'Converter:TargetProfile' is no longer read; name the profile with 'Converter:ProfileName'", failure, StringComparison.Ordinal);
    }

    [Fact]
    public async Task HostStart_InboundIssuerNamedAsTheProfilesIssuer_FailsNamingBoth()
    {
        var builder = Host.CreateApplicationBuilder();
        builder.Services.AddArrayScopeTokens("partner", o =>
        {
            o.Issuer = SourceTokens.Auth0;
            o.Audiences.Add("https://partner.test");
            o.SigningKeys = new SigningKeySet(TestKeys.Ec);
        });
        builder.Services.AddScopeTokenConverter("partner", o =>
        {
            o.ProfileName = "partner";
            o.Issuers.Add(SourceTokens.Inbound("RS256"));
        });
        using var host = builder.Build();

        var ex = await Assert.ThrowsAsync<OptionsValidationException>(() => host.StartAsync());

        Assert.Equal(
            $"ScopeTokenConverterOptions.Issuers[0].Issuer is '{SourceTokens.Auth0}', the issuer of profile 'partner'; the converter refuses every token of its own issuer as a replay, so name an issuer other than our own (converter 'partner').",
            Assert.Single(ex.Failures));
    }

    [Fact]
    public async Task HostStart_InvalidConverterOptions_FailsListingEveryProblem()
    {
        var builder = Host.CreateApplicationBuilder();
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Converter:MaxTokenLength"] = "lots",
            ["Converter:Issuers:0:Issuer"] = SourceTokens.Auth0,
            ["Converter:Issuers:0:Authority"] = "not a url",

            // Note: on Unix, Uri takes "/path" as an absolute file: URI; only http and https are URLs here.
            ["Converter:Issuers:1:Issuer"] = "https://other.test/",
            ["Converter:Issuers:1:Authority"] = "/relative/path",
            ["Converter:Issuers:1:MetadataAddress"] = "ftp://other.test/metadata",
            ["Converter:Issuers:0:Algorithms:0"] = "none",
        });
        builder.Services.AddScopeTokenConverter(builder.Configuration.GetSection("Converter"));
        using var host = builder.Build();

        var ex = await Assert.ThrowsAsync<OptionsValidationException>(() => host.StartAsync());

        Assert.Contains(ex.Failures, f => f.Contains("Converter:MaxTokenLength", StringComparison.Ordinal));
        Assert.Contains(ex.Failures, f => f.Contains("Converter:Issuers:0:Authority", StringComparison.Ordinal));
        Assert.Contains(ex.Failures, f => f.Contains("'Converter:Issuers:1:Authority' is not an absolute http or https URL", StringComparison.Ordinal));
        Assert.Contains(ex.Failures, f => f.Contains("'Converter:Issuers:1:MetadataAddress' is not an absolute http or https URL", StringComparison.Ordinal));
        Assert.Contains(ex.Failures, f => f.Contains("'none'", StringComparison.Ordinal));
        Assert.Contains(ex.Failures, f => f.Contains("Audiences", StringComparison.Ordinal));
        Assert.Contains(ex.Failures, f => f.Contains("no key source", StringComparison.Ordinal));
    }

    [Fact]
    public async Task AddScopeTokenConverter_Named_UsesItsProfileName()
    {
        var services = new ServiceCollection();
        services.AddScopeTokens("string", ScopeFormat.SpaceDelimited, o =>
        {
            o.Issuer = "https://issuer.test";
            o.Audiences.Add("https://partner.test");
            o.SigningKeys = new SigningKeySet(TestKeys.Hmac);
        });
        services.AddScopeTokenConverter("to-string", o =>
        {
            o.ProfileName = "string";
            o.Issuers.Add(SourceTokens.Inbound());
        });
        services.Configure<ScopeTokenConverterOptions>("to-string", o => o.MaxTokenLength = 4096);
        services.AddScopeTokenConverter("other", o =>
        {
            o.ProfileName = "string";
            o.Issuers.Add(SourceTokens.Inbound());
        });
        using var provider = services.BuildServiceProvider();

        var result = await provider.GetRequiredService<IScopeTokenConverterFactory>().GetConverter("to-string").ConvertAsync(SourceTokens.Build(new[] { "a", "b" }));

        Assert.Equal("a b", ScopeSerializerTests.Payload(result.Token).GetProperty("scope").GetString());
        Assert.Equal(2, provider.GetServices<IValidateOptions<ScopeTokenConverterOptions>>().Select(v => v.GetType()).Distinct().Count());
        Assert.Equal(2, provider.GetServices<IValidateOptions<ScopeTokenConverterOptions>>().Count());
    }

    [Fact]
    public void ArgumentValidation_NullArguments_Throw()
    {
        var services = new ServiceCollection();
        Assert.Throws<ArgumentNullException>(() => ScopeTokenConverterServiceCollectionExtensions.AddScopeTokenConverter(null!, o => { }));
        Assert.Throws<ArgumentNullException>(() => services.AddScopeTokenConverter((Action<ScopeTokenConverterOptions>)null!));
        Assert.Throws<ArgumentNullException>(() => services.AddScopeTokenConverter((IConfiguration)null!));
        Assert.Throws<ArgumentNullException>(() => services.AddScopeTokenConverter(null!, o => { }));
    }
}
