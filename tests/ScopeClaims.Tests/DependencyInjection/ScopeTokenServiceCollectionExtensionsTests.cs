using System.Text.Json;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;
using ScopeClaims;
using ScopeClaims.Tests.Serialization;

namespace ScopeClaims.Tests.DependencyInjection;

public class ScopeTokenServiceCollectionExtensionsTests
{
    [Fact]
    public async Task AddArrayScopeTokens_OneScope_IssuesArrayInARealHost()
    {
        var builder = Host.CreateApplicationBuilder();
        builder.Services.AddArrayScopeTokens(options =>
        {
            options.Issuer = "https://issuer.test";
            options.Audiences.Add("https://partner.test");
            options.SigningKeys = new SigningKeySet(TestKeys.Ec);
        });
        using var host = builder.Build();
        await host.StartAsync();

        var token = host.Services.GetRequiredService<IScopeTokenIssuer>().Issue(ScopeSet.Parse("x"));

        Assert.Equal("""["x"]""", ScopeSerializerTests.Payload(token).GetProperty("scope").GetRawText());
        Assert.Equal(ScopeSet.Parse("x"), host.Services.GetRequiredService<ScopeNormalizer>().Read(new Microsoft.IdentityModel.JsonWebTokens.JsonWebToken(token)));
        await host.StopAsync();
    }

    [Fact]
    public async Task AddArrayScopeTokens_FromConfiguration_BindsEveryOption()
    {
        var builder = Host.CreateApplicationBuilder();
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["ScopeTokens:Issuer"] = "https://issuer.test",
            ["ScopeTokens:Audiences:0"] = "https://a.test",
            ["ScopeTokens:Audiences:1"] = "https://b.test",
            ["ScopeTokens:Lifetime"] = "00:02:00",
            ["ScopeTokens:TokenType"] = "at+jwt",
            ["ScopeTokens:ClaimName"] = "scp",
            ["ScopeTokens:Format"] = "array",
            ["ScopeTokens:SigningKey:Jwk"] = TestKeys.Rsa.ExportPrivateJwk(),
        });
        builder.Services.AddSingleton<TimeProvider>(new FakeTimeProvider(DateTimeOffset.UnixEpoch.AddYears(56)));
        builder.Services.AddArrayScopeTokens(builder.Configuration.GetSection("ScopeTokens"));
        using var host = builder.Build();
        await host.StartAsync();

        var token = host.Services.GetRequiredService<IScopeTokenIssuer>().Issue(ScopeSet.Parse("a b"));

        var payload = ScopeSerializerTests.Payload(token);
        Assert.Equal("""["a","b"]""", payload.GetProperty("scp").GetRawText()); // AddArrayScopeTokens issues the array shape
        Assert.Equal(2, payload.GetProperty("aud").GetArrayLength());
        Assert.Equal(120, payload.GetProperty("exp").GetInt64() - payload.GetProperty("iat").GetInt64());
        Assert.Equal("at+jwt", new Microsoft.IdentityModel.JsonWebTokens.JsonWebToken(token).Typ);
        Assert.Equal(TestKeys.Rsa.KeyId, new Microsoft.IdentityModel.JsonWebTokens.JsonWebToken(token).Kid);
    }

    [Theory]
    [InlineData("SpaceDelimited")]
    [InlineData("both")]
    public async Task AddArrayScopeTokens_ConfiguredFormatNotArray_FailsOnStartNamingTheConfigurationPath(string format)
    {
        var builder = Host.CreateApplicationBuilder();
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["ScopeTokens:Issuer"] = "https://issuer.test",
            ["ScopeTokens:Audience"] = "https://partner.test",
            ["ScopeTokens:Format"] = format,
            ["ScopeTokens:SigningKey:Jwk"] = TestKeys.Rsa.ExportPrivateJwk(),
        });
        builder.Services.AddArrayScopeTokens(builder.Configuration.GetSection("ScopeTokens"));
        using var host = builder.Build();

        var ex = await Assert.ThrowsAsync<OptionsValidationException>(() => host.StartAsync());

        var failure = Assert.Single(ex.Failures);
        Assert.StartsWith($"Configuration value 'ScopeTokens:Format' is '{format}', but AddArrayScopeTokens registers a profile that issues scopes as a JSON array (the default profile)", failure, StringComparison.Ordinal);
        Assert.Contains("AddScopeTokens", failure, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(ScopeFormat.SpaceDelimited)]
    [InlineData(ScopeFormat.Both)]
    public async Task AddArrayScopeTokens_DelegateSetsFormatNotArray_FailsOnStartNamingTheOption(ScopeFormat format)
    {
        var builder = Host.CreateApplicationBuilder();
        builder.Services.AddArrayScopeTokens("partner", options =>
        {
            options.Issuer = "https://issuer.test";
            options.Audiences.Add("https://partner.test");
            options.SigningKeys = new SigningKeySet(TestKeys.Ec);
            options.Format = format;
        });
        using var host = builder.Build();

        var ex = await Assert.ThrowsAsync<OptionsValidationException>(() => host.StartAsync());

        Assert.Equal("partner", ex.OptionsName);
        var failure = Assert.Single(ex.Failures);
        Assert.StartsWith($"ScopeTokenOptions.Format is {format}, but AddArrayScopeTokens registers a profile that issues scopes as a JSON array (profile 'partner')", failure, StringComparison.Ordinal);
        Assert.Contains($"AddScopeTokens(\"partner\", ScopeFormat.{format}", failure, StringComparison.Ordinal);
    }

    [Fact]
    public async Task AddArrayScopeTokens_DelegateSetsFormatNotArray_NothingIsIssued()
    {
        var services = new ServiceCollection();
        services.AddArrayScopeTokens(options =>
        {
            options.Issuer = "https://issuer.test";
            options.Audiences.Add("https://partner.test");
            options.SigningKeys = new SigningKeySet(TestKeys.Ec);
            options.Format = ScopeFormat.SpaceDelimited;
        });
        using var provider = services.BuildServiceProvider();

        Assert.Throws<OptionsValidationException>(() => provider.GetRequiredService<IScopeTokenIssuer>());
    }

    [Fact]
    public async Task AddScopeTokens_NamedProfiles_IssueInTheirOwnShapes()
    {
        var builder = Host.CreateApplicationBuilder();
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Partners:B:Issuer"] = "https://issuer.test",
            ["Partners:B:Audience"] = "https://b.test",
            ["Partners:B:Format"] = "Both",
            ["Partners:B:SigningKey:Jwk"] = TestKeys.Hmac.ExportPrivateJwk(),
        });
        builder.Services.AddArrayScopeTokens("a", o =>
        {
            o.Issuer = "https://issuer.test";
            o.Audiences.Add("https://a.test");
            o.SigningKeys = new SigningKeySet(TestKeys.Rsa);
        });
        builder.Services.AddScopeTokens("b", builder.Configuration.GetSection("Partners:B"));
        builder.Services.AddScopeTokens("c", ScopeFormat.SpaceDelimited, o =>
        {
            o.Issuer = "https://issuer.test";
            o.Audiences.Add("https://c.test");
            o.SigningKeys = new SigningKeySet(TestKeys.Ec);
        });
        using var host = builder.Build();
        await host.StartAsync();
        var factory = host.Services.GetRequiredService<IScopeTokenIssuerFactory>();

        var a = ScopeSerializerTests.Payload(factory.GetIssuer("a").Issue(ScopeSet.Parse("x y")));
        var b = ScopeSerializerTests.Payload(factory.GetIssuer("b").Issue(ScopeSet.Parse("x y")));
        var c = ScopeSerializerTests.Payload(factory.GetIssuer("c").Issue(ScopeSet.Parse("x y")));

        Assert.Equal(JsonValueKind.Array, a.GetProperty("scope").ValueKind);
        Assert.Equal("x y", b.GetProperty("scope").GetString());
        Assert.Equal(JsonValueKind.Array, b.GetProperty("scp").ValueKind);
        Assert.Equal("x y", c.GetProperty("scope").GetString());
        Assert.Same(factory.GetIssuer("a"), factory.GetIssuer("a"));
    }

    [Fact]
    public async Task HostStart_InvalidOptions_FailsListingEveryProblem()
    {
        var builder = Host.CreateApplicationBuilder();
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["ScopeTokens:Lifetime"] = "two hours",
            ["ScopeTokens:MaxLifetime"] = "00:01:00",
            ["ScopeTokens:ClaimName"] = "exp",
            ["ScopeTokens:TokenType"] = "",
        });
        builder.Services.AddArrayScopeTokens(builder.Configuration.GetSection("ScopeTokens"));
        using var host = builder.Build();

        var ex = await Assert.ThrowsAsync<OptionsValidationException>(() => host.StartAsync());

        Assert.Contains(ex.Failures, f => f.Contains("ScopeTokens:Lifetime", StringComparison.Ordinal));
        Assert.Contains(ex.Failures, f => f.Contains("ScopeTokenOptions.Issuer", StringComparison.Ordinal));
        Assert.Contains(ex.Failures, f => f.Contains("ScopeTokenOptions.Audiences", StringComparison.Ordinal));
        Assert.Contains(ex.Failures, f => f.Contains("ScopeTokenOptions.ClaimName", StringComparison.Ordinal));
        Assert.Contains(ex.Failures, f => f.Contains("ScopeTokenOptions.TokenType", StringComparison.Ordinal));
        Assert.Contains(ex.Failures, f => f.Contains("No signing key", StringComparison.Ordinal));
        Assert.True(ex.Failures.Count() >= 6);
    }

    [Fact]
    public async Task HostStart_WeakKeyInConfiguration_Fails()
    {
        var builder = Host.CreateApplicationBuilder();
        builder.Services.AddArrayScopeTokens(o =>
        {
            o.Issuer = "i";
            o.Audiences.Add("a");
            o.SigningKey.Jwk = """{"kty":"oct","k":"c2hvcnQ"}""";
            o.Lifetime = TimeSpan.FromHours(2);
        });
        using var host = builder.Build();

        var ex = await Assert.ThrowsAsync<OptionsValidationException>(() => host.StartAsync());

        Assert.Contains(ex.Failures, f => f.Contains("HS256 requires at least 256", StringComparison.Ordinal));
        Assert.Contains(ex.Failures, f => f.Contains("exceeds ScopeTokenOptions.MaxLifetime", StringComparison.Ordinal));
    }

    [Fact]
    public async Task HostStart_SeveralKeySources_Fails()
    {
        var builder = Host.CreateApplicationBuilder();
        builder.Services.AddArrayScopeTokens(o =>
        {
            o.Issuer = "i";
            o.Audiences.Add("a");
            o.SigningKey.Jwk = TestKeys.Hmac.ExportPrivateJwk();
            o.SigningKey.Path = "/nonexistent";
        });
        using var host = builder.Build();

        var ex = await Assert.ThrowsAsync<OptionsValidationException>(() => host.StartAsync());

        Assert.Contains(ex.Failures, f => f.Contains("Several signing key sources", StringComparison.Ordinal));
    }

    [Fact]
    public void ConfigureOnTop_IsApplied_AndUserRegistrationsWin()
    {
        var services = new ServiceCollection();
        var time = new FakeTimeProvider(DateTimeOffset.UnixEpoch.AddYears(56));
        services.AddSingleton<TimeProvider>(time);
        services.AddKeyedSingleton<IScopeSerializer>(Options.DefaultName, new SpaceDelimitedScopeSerializer("custom"));
        services.AddArrayScopeTokens(o =>
        {
            o.Issuer = "i";
            o.Audiences.Add("a");
            o.SigningKeys = new SigningKeySet(TestKeys.Hmac);
        });
        services.Configure<ScopeTokenOptions>(Options.DefaultName, o => o.Lifetime = TimeSpan.FromMinutes(1));
        services.AddScopeTokens("other", ScopeFormat.Array, o =>
        {
            o.Issuer = "i";
            o.Audiences.Add("a");
            o.SigningKeys = new SigningKeySet(TestKeys.Hmac);
        });
        using var provider = services.BuildServiceProvider();

        var payload = ScopeSerializerTests.Payload(provider.GetRequiredService<IScopeTokenIssuer>().Issue(ScopeSet.Parse("a")));

        Assert.Single(provider.GetServices<IScopeTokenIssuerFactory>());
        Assert.Equal(2, provider.GetServices<IValidateOptions<ScopeTokenOptions>>().Select(v => v.GetType()).Distinct().Count());
        Assert.Equal(2, provider.GetServices<IValidateOptions<ScopeTokenOptions>>().Count());
        Assert.Equal("a", payload.GetProperty("custom").GetString());
        Assert.Equal(time.GetUtcNow().ToUnixTimeSeconds() + 60, payload.GetProperty("exp").GetInt64());
    }

    [Fact]
    public void UnkeyedSerializer_ReplacesShippedOneForEveryProfile()
    {
        var services = new ServiceCollection();
        services.AddSingleton<IScopeSerializer>(new ArrayScopeSerializer("perms"));
        services.AddScopeTokens("p", ScopeFormat.SpaceDelimited, o =>
        {
            o.Issuer = "i";
            o.Audiences.Add("a");
            o.SigningKeys = new SigningKeySet(TestKeys.Hmac);
        });
        using var provider = services.BuildServiceProvider();

        var payload = ScopeSerializerTests.Payload(provider.GetRequiredService<IScopeTokenIssuerFactory>().GetIssuer("p").Issue(ScopeSet.Parse("a")));

        Assert.Equal(JsonValueKind.Array, payload.GetProperty("perms").ValueKind);
    }

    [Fact]
    public void GetIssuer_UnknownProfile_Throws()
    {
        var services = new ServiceCollection();
        services.AddArrayScopeTokens(o => { });
        using var provider = services.BuildServiceProvider();

        Assert.Throws<OptionsValidationException>(() => provider.GetRequiredService<IScopeTokenIssuerFactory>().GetIssuer("nope"));
    }

    [Fact]
    public void AddScopeNormalizer_ConfiguresTheNormalizer()
    {
        var services = new ServiceCollection();
        services.AddScopeNormalizer(o => o.MultipleClaims = MultipleScopeClaimsBehavior.Union);
        using var provider = services.BuildServiceProvider();

        Assert.Equal(ScopeSet.Parse("a b"), provider.GetRequiredService<ScopeNormalizer>().ReadPayloadJson("""{"scope":"a","scp":"b"}"""));
    }

    [Fact]
    public void ArgumentValidation_NullArguments_Throw()
    {
        var services = new ServiceCollection();
        Assert.Throws<ArgumentNullException>(() => ScopeTokenServiceCollectionExtensions.AddArrayScopeTokens(null!, o => { }));
        Assert.Throws<ArgumentNullException>(() => services.AddArrayScopeTokens((Action<ScopeTokenOptions>)null!));
        Assert.Throws<ArgumentNullException>(() => services.AddArrayScopeTokens((IConfiguration)null!));
        Assert.Throws<ArgumentNullException>(() => services.AddArrayScopeTokens(null!, o => { }));
        Assert.Throws<ArgumentNullException>(() => services.AddScopeTokens("n", (IConfiguration)null!));
        Assert.Throws<ArgumentNullException>(() => services.AddScopeTokens("n", ScopeFormat.Array, null!));
        Assert.Throws<ArgumentNullException>(() => ScopeTokenServiceCollectionExtensions.AddScopeNormalizer(null!));
    }
}
