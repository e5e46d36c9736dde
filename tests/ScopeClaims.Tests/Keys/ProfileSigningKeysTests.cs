using System.Reflection;
using System.Runtime.CompilerServices;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;
using ScopeClaims;

namespace ScopeClaims.Tests.Keys;

/// <summary>
/// A profile's signing keys are resolved once per profile, outside its options: start-up validation loads them, the issuer
/// is made with the keys validation loaded, and the options object keeps nothing but what it was given.
/// </summary>
public sealed class ProfileSigningKeysTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("scopeclaims-profilekeys-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    [Fact]
    public void ScopeTokenOptions_Members_AreOnlyItsPublicOptions()
    {
        const BindingFlags instance = BindingFlags.Instance | BindingFlags.Public | BindingFlags.NonPublic;

        var hidden = typeof(ScopeTokenOptions).GetProperties(instance).Where(static p => p.GetMethod is not { IsPublic: true }).Select(static p => p.Name);
        var fields = typeof(ScopeTokenOptions).GetFields(instance).Where(static f => !f.IsDefined(typeof(CompilerGeneratedAttribute))).Select(static f => f.Name);

        Assert.Empty(hidden);
        Assert.Empty(fields);
    }

    [Fact]
    public void Constructor_SameOptionsGivenAnotherKeyFile_SignsWithTheNewKey()
    {
        var options = TestKeys.Options();
        options.SigningKeys = null;
        options.SigningKey.Path = KeyFile("a.json", "key-a");
        var first = new ScopeTokenIssuer(options);

        options.SigningKey.Path = KeyFile("b.json", "key-b");
        var second = new ScopeTokenIssuer(options);

        Assert.Equal("key-a", first.Keys.Active.KeyId);
        Assert.Equal("key-b", second.Keys.Active.KeyId);
        Assert.Equal("key-b", new JsonWebToken(second.Issue(ScopeSet.Parse("a"))).Kid);
    }

    [Fact]
    public async Task GetIssuer_KeyFileReplacedAfterStart_SignsWithTheKeyValidatedAtStart()
    {
        var path = KeyFile("signing.json", "validated");
        var builder = Host.CreateApplicationBuilder();
        builder.Services.AddArrayScopeTokens(o => Profile(o, path));
        using var host = builder.Build();
        await host.StartAsync();

        KeyFile("signing.json", "replaced");
        var issuer = host.Services.GetRequiredService<IScopeTokenIssuer>();

        Assert.Equal("validated", issuer.Keys.Active.KeyId);
        Assert.Equal("validated", new JsonWebToken(issuer.Issue(ScopeSet.Parse("a"))).Kid);
        await host.StopAsync();
    }

    [Fact]
    public async Task GetIssuer_TwoProfilesWithKeyFiles_EachSignsWithItsOwn()
    {
        var a = KeyFile("a.json", "partner-a");
        var b = KeyFile("b.json", "partner-b");
        var builder = Host.CreateApplicationBuilder();
        builder.Services.AddArrayScopeTokens("a", o => Profile(o, a));
        builder.Services.AddArrayScopeTokens("b", o => Profile(o, b));
        using var host = builder.Build();
        await host.StartAsync();

        var issuers = host.Services.GetRequiredService<IScopeTokenIssuerFactory>();

        Assert.Equal("partner-a", new JsonWebToken(issuers.GetIssuer("a").Issue(ScopeSet.Parse("x"))).Kid);
        Assert.Equal("partner-b", new JsonWebToken(issuers.GetIssuer("b").Issue(ScopeSet.Parse("x"))).Kid);
        await host.StopAsync();
    }

    [Fact]
    public async Task HostStart_KeyFileMissing_FailsNamingTheOptionOnce()
    {
        var builder = Host.CreateApplicationBuilder();
        builder.Services.AddArrayScopeTokens("p", o => Profile(o, Path.Combine(_dir, "missing.json")));
        using var host = builder.Build();

        var ex = await Assert.ThrowsAsync<OptionsValidationException>(() => host.StartAsync());

        var failure = Assert.Single(ex.Failures);
        Assert.StartsWith("ScopeTokenOptions.SigningKey (profile 'p'): SigningKey.Path: ", failure, StringComparison.Ordinal);
        Assert.Contains("does not exist", failure, StringComparison.Ordinal);
    }

    [Fact]
    public async Task HostStart_ProfileValuesThatDoNotParse_FailNamingTheirConfigurationPaths()
    {
        var builder = Host.CreateApplicationBuilder();
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["P:Issuer"] = "https://issuer.test",
            ["P:Audience"] = "https://partner.test",
            ["P:SigningKey:Jwk"] = TestKeys.Ec.ExportPrivateJwk(),
            ["P:Lifetime"] = "five minutes",
            ["P:IncludeJwtId"] = "maybe",
            ["P:Limits:MaxScopes"] = "many",
        });
        builder.Services.AddScopeTokens("p", builder.Configuration.GetSection("P"));
        using var host = builder.Build();

        var ex = await Assert.ThrowsAsync<OptionsValidationException>(() => host.StartAsync());

        Assert.Equal("p", ex.OptionsName);
        Assert.Contains(ex.Failures, f => f.StartsWith("Configuration value 'P:Lifetime' is not a time span", StringComparison.Ordinal));
        Assert.Contains(ex.Failures, f => f.StartsWith("Configuration value 'P:IncludeJwtId' is not true or false", StringComparison.Ordinal));
        Assert.Contains(ex.Failures, f => f.StartsWith("Configuration value 'P:Limits:MaxScopes' is not an integer", StringComparison.Ordinal));
        Assert.Equal(3, ex.Failures.Count());
    }

    [Fact]
    public async Task HostStart_ConverterValuesThatDoNotParse_FailNamingTheirConfigurationPaths()
    {
        var builder = Host.CreateApplicationBuilder();
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["C:MaxTokenLength"] = "big",
            ["C:Issuers:0:Issuer"] = "https://source.test/",
            ["C:Issuers:0:Audiences:0"] = "https://api.test",
            ["C:Issuers:0:Algorithms:0"] = "RS256",
            ["C:Issuers:0:Authority"] = "not a url",
        });
        builder.Services.AddArrayScopeTokens(o => Profile(o, KeyFile("k.json", "k")));
        builder.Services.AddScopeTokenConverter(builder.Configuration.GetSection("C"));
        using var host = builder.Build();

        var ex = await Assert.ThrowsAsync<OptionsValidationException>(() => host.StartAsync());

        Assert.Equal(typeof(ScopeTokenConverterOptions), ex.OptionsType);
        Assert.Contains(ex.Failures, f => f.StartsWith("Configuration value 'C:MaxTokenLength' is not an integer", StringComparison.Ordinal));
        Assert.Contains(ex.Failures, f => f.StartsWith("Configuration value 'C:Issuers:0:Authority' is not an absolute http or https URL", StringComparison.Ordinal));
    }

    private string KeyFile(string name, string keyId)
    {
        var path = Path.Combine(_dir, name);
        File.WriteAllText(path, TokenSigningKey.Generate(SecurityAlgorithms.EcdsaSha256, keyId).ExportPrivateJwk());
        return path;
    }

    private static void Profile(ScopeTokenOptions o, string keyPath)
    {
        o.Issuer = "https://issuer.test";
        o.Audiences.Add("https://partner.test");
        o.SigningKey.Path = keyPath;
    }
}
