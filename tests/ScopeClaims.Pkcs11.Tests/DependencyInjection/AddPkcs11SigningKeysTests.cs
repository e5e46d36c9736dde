using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using ScopeClaims.KeyManagement.Tests;

namespace ScopeClaims.Pkcs11.Tests.DependencyInjection;

[Collection(SoftHsmGroup.Name)]
public sealed class AddPkcs11SigningKeysTests(SoftHsm hsm)
{
    [SkippableFact]
    public async Task HostStart_ManagedProfileWithPkcs11KeyFromConfiguration_IssuesTokensThatVerifyWithTheProfileJwks()
    {
        hsm.SkipIfMissing();
        using var host = Build(Configuration(("Algorithm", "ES256"), ("KeyLabel", "ec256"), ("JwtKeyId", "hsm-1")));

        await host.StartAsync();
        try
        {
            var issuer = host.Services.GetRequiredService<IScopeTokenIssuer>();
            var token = issuer.Issue(ScopeSet.Parse("read"), "alice");

            Assert.True(SoftHsm.Validate(token, issuer.Keys.ExportPublicJwks()).IsValid);
            Assert.Equal("hsm-1", Assert.Single(issuer.Keys.Keys).KeyId);
            Assert.Same(host.Services.GetRequiredService<Pkcs11TokenSigner>(), host.Services.GetRequiredService<Pkcs11TokenSigner>());
        }
        finally
        {
            await host.StopAsync();
        }
    }

    [SkippableFact]
    public async Task HostStart_PinFromEnvironmentVariableInCode_Starts()
    {
        hsm.SkipIfMissing();
        var variable = "SCOPECLAIMS_TEST_PIN_" + Guid.NewGuid().ToString("N");
        Environment.SetEnvironmentVariable(variable, SoftHsm.Pin);
        try
        {
            var builder = Host.CreateApplicationBuilder();
            builder.Services.AddArrayScopeTokens(Profile);
            builder.Services.AddPkcs11SigningKeys(o =>
            {
                o.LibraryPath = SoftHsm.Module;
                o.TokenLabel = SoftHsm.Token;
                o.KeyLabel = "rsa";
                o.Algorithm = "PS256";
                o.UserPinEnvironmentVariable = variable;
            });
            using var host = builder.Build();

            await host.StartAsync();
            var issuer = host.Services.GetRequiredService<IScopeTokenIssuer>();
            Assert.True(SoftHsm.Validate(issuer.Issue(ScopeSet.Parse("read")), issuer.Keys.ExportPublicJwks()).IsValid);
            await host.StopAsync();
        }
        finally
        {
            Environment.SetEnvironmentVariable(variable, null);
        }
    }

    [SkippableFact]
    public async Task HostStart_WrongPin_FailsWithOptionsValidationExceptionNamingUserPinAndNeverThePin()
    {
        hsm.SkipIfMissing();
        var logs = new CapturedLogs();
        using var host = Build(Configuration(("UserPin", "Wrong-4242-pin")), logs);

        var ex = await Assert.ThrowsAsync<OptionsValidationException>(() => host.StartAsync());

        Assert.Contains(ex.Failures, f => f.StartsWith("Pkcs11SigningKeyOptions.UserPin:", StringComparison.Ordinal));
        Assert.DoesNotContain("Wrong-4242-pin", ex.ToString(), StringComparison.Ordinal);
        Assert.All(logs.Entries, e => Assert.DoesNotContain("Wrong-4242-pin", e.Text, StringComparison.Ordinal));
    }

    [SkippableFact]
    public async Task HostStart_ValueThatDoesNotParse_FailsNamingItsConfigurationPath()
    {
        hsm.SkipIfMissing();
        using var host = Build(Configuration(("MaxSessions", "many"), ("SignTimeout", "soon"), ("SlotId", "-1"), ("AllowExtractableKey", "yes")));

        var ex = await Assert.ThrowsAsync<OptionsValidationException>(() => host.StartAsync());

        Assert.Contains(ex.Failures, f => f.Contains("'Pkcs11:MaxSessions'", StringComparison.Ordinal));
        Assert.Contains(ex.Failures, f => f.Contains("'Pkcs11:SignTimeout'", StringComparison.Ordinal));
        Assert.Contains(ex.Failures, f => f.Contains("'Pkcs11:SlotId'", StringComparison.Ordinal));
        Assert.Contains(ex.Failures, f => f.Contains("'Pkcs11:AllowExtractableKey'", StringComparison.Ordinal));
    }

    [Fact]
    public void AddPkcs11SigningKeys_AnotherManagedKeySourceRegistered_Throws()
    {
        var services = new ServiceCollection().AddSingleton<IManagedSigningKeySource, OtherSource>();

        var ex = Assert.Throws<InvalidOperationException>(() => services.AddPkcs11SigningKeys(o => o.KeyLabel = "a"));

        Assert.Contains("AddScopeTokenKeyManagement", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void AddPkcs11SigningKeys_NullArguments_Throw()
    {
        var services = new ServiceCollection();

        Assert.Throws<ArgumentNullException>(() => Pkcs11SigningKeyServiceCollectionExtensions.AddPkcs11SigningKeys(null!, _ => { }));
        Assert.Throws<ArgumentNullException>(() => services.AddPkcs11SigningKeys((Action<Pkcs11SigningKeyOptions>)null!));
        Assert.Throws<ArgumentNullException>(() => services.AddPkcs11SigningKeys((IConfiguration)null!));
    }

    [Fact]
    public void AddPkcs11SigningKeys_CalledTwice_RegistersOnceAndAppliesBoth()
    {
        var services = new ServiceCollection();
        services.AddPkcs11SigningKeys(o => o.KeyLabel = "a");
        services.AddPkcs11SigningKeys(o => o.MaxSessions = 3);

        Assert.Single(services, d => d.ServiceType == typeof(IManagedSigningKeySource));
        Assert.Single(services, d => d.ServiceType == typeof(IValidateOptions<Pkcs11SigningKeyOptions>));
        using var provider = services.BuildServiceProvider();
        var options = new Pkcs11SigningKeyOptions();
        foreach (var configure in provider.GetServices<IConfigureOptions<Pkcs11SigningKeyOptions>>())
        {
            configure.Configure(options);
        }

        Assert.Equal("a", options.KeyLabel);
        Assert.Equal(3, options.MaxSessions);
    }

    private static void Profile(ScopeTokenOptions o)
    {
        o.Issuer = SoftHsm.Issuer;
        o.Audiences.Add(SoftHsm.Audience);
        o.SigningKey.Managed = true;
    }

    private static IConfiguration Configuration(params (string Key, string Value)[] values)
    {
        var settings = new Dictionary<string, string?>
        {
            ["Pkcs11:LibraryPath"] = SoftHsm.Module,
            ["Pkcs11:TokenLabel"] = SoftHsm.Token,
            ["Pkcs11:KeyLabel"] = "rsa",
            ["Pkcs11:Algorithm"] = "RS256",
            ["Pkcs11:UserPin"] = SoftHsm.Pin,
            ["Pkcs11:MaxSessions"] = "4",
            ["Pkcs11:SignTimeout"] = "00:00:10",
            ["Pkcs11:AllowExtractableKey"] = "false",
        };
        foreach (var (key, value) in values)
        {
            settings["Pkcs11:" + key] = value;
        }

        return new ConfigurationBuilder().AddInMemoryCollection(settings).Build();
    }

    private static IHost Build(IConfiguration configuration, CapturedLogs? logs = null)
    {
        var builder = Host.CreateApplicationBuilder();
        builder.Logging.ClearProviders().SetMinimumLevel(LogLevel.Debug).AddProvider(logs ?? new CapturedLogs());
        builder.Services.AddArrayScopeTokens(Profile);
        builder.Services.AddPkcs11SigningKeys(configuration.GetSection("Pkcs11"));
        return builder.Build();
    }

    private sealed class OtherSource : IManagedSigningKeySource
    {
        public SigningKeySet GetSigningKeys(string profileName, ScopeTokenOptions options) => throw new NotSupportedException();
    }
}
