using Microsoft.AspNetCore.DataProtection;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;
using ScopeClaims.KeyManagement.Internal;

namespace ScopeClaims.KeyManagement.Tests;

/// <summary>A real host with one managed profile, a key store, a Data Protection key ring of its own and a test clock.</summary>
internal sealed class ManagedKeyHost : IAsyncDisposable
{
    public const string Issuer = "https://issuer.test";
    public const string Audience = "https://partner.test";

    private ManagedKeyHost(IHost host, CapturedLogs logs)
    {
        Host = host;
        Logs = logs;
    }

    public IHost Host { get; }

    public CapturedLogs Logs { get; }

    public IScopeTokenIssuer Issuer_ => Host.Services.GetRequiredService<IScopeTokenIssuer>();

    public IManagedSigningKeys Manager => Host.Services.GetRequiredService<IManagedSigningKeys>();

    public static IHost Build(
        TimeProvider time,
        Action<ScopeTokenKeyManagementBuilder> store,
        string dataProtectionKeys,
        Action<ScopeTokenKeyManagementOptions>? configure = null,
        TimeSpan? maxLifetime = null,
        CapturedLogs? logs = null,
        string applicationName = "scopeclaims-tests")
    {
        var builder = Microsoft.Extensions.Hosting.Host.CreateApplicationBuilder();
        builder.Logging.ClearProviders().SetMinimumLevel(LogLevel.Debug).AddProvider(logs ?? new CapturedLogs());
        builder.Services.AddSingleton(time);
        builder.Services.AddDataProtection().SetApplicationName(applicationName).PersistKeysToFileSystem(new DirectoryInfo(dataProtectionKeys));
        builder.Services.AddArrayScopeTokens(o =>
        {
            o.Issuer = Issuer;
            o.Audiences.Add(Audience);
            o.SigningKey.Managed = true;
            o.Lifetime = TimeSpan.FromMinutes(5);
            o.MaxLifetime = maxLifetime ?? TimeSpan.FromHours(1);
        });
        store(builder.Services.AddScopeTokenKeyManagement(o =>
        {
            o.Algorithm = "ES256";
            o.RotationInterval = TimeSpan.FromDays(10);
            o.PropagationTime = TimeSpan.FromDays(2);
            o.RetentionTime = TimeSpan.FromDays(3);
            o.RefreshInterval = TimeSpan.FromDays(1);
            configure?.Invoke(o);
        }));
        return builder.Build();
    }

    public static async Task<ManagedKeyHost> StartAsync(TimeProvider time, string store, string dataProtectionKeys, Action<ScopeTokenKeyManagementOptions>? configure = null)
    {
        var logs = new CapturedLogs();
        var host = Build(time, b => b.PersistKeysToFileSystem(store), dataProtectionKeys, configure, logs: logs);
        await host.StartAsync();
        return new ManagedKeyHost(host, logs);
    }

    /// <summary>Verifies a token with Microsoft.IdentityModel against a JWKS, at <paramref name="now"/>.</summary>
    public static TokenValidationResult Validate(string token, string jwks, DateTimeOffset now) =>
        new JsonWebTokenHandler().ValidateTokenAsync(token, new TokenValidationParameters
        {
            ValidIssuer = Issuer,
            ValidAudience = Audience,
            IssuerSigningKeys = new JsonWebKeySet(jwks).GetSigningKeys(),
            ValidAlgorithms = ["ES256", "RS256", "PS256"],
            LifetimeValidator = (notBefore, expires, _, _) => notBefore <= now.UtcDateTime && now.UtcDateTime < expires,
        }).GetAwaiter().GetResult();

    public static IReadOnlyList<string> Kids(string jwks) => new JsonWebKeySet(jwks).Keys.Select(k => k.Kid).ToList();

    public static IEnumerable<Exception> Chain(Exception? ex)
    {
        for (; ex is not null; ex = ex.InnerException)
        {
            yield return ex;
        }
    }

    public async ValueTask DisposeAsync()
    {
        await Host.StopAsync();
        Host.Dispose();
    }
}

/// <summary>Temporary directories for one test: a key store and a Data Protection key ring.</summary>
internal sealed class TempDirectories : IDisposable
{
    private readonly string _root = Directory.CreateTempSubdirectory("scopeclaims-keys-").FullName;

    public string Store => Path.Combine(_root, "store");

    public string DataProtection => Path.Combine(_root, "dp");

    public string Root => _root;

    public string[] StoreFiles() => Directory.Exists(Store) ? Directory.GetFiles(Store).Select(f => Path.GetFileName(f)).Order().ToArray() : [];

    public void Dispose() => Directory.Delete(_root, recursive: true);
}
