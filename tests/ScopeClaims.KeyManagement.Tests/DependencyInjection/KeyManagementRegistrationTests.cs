using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;
using Microsoft.IdentityModel.JsonWebTokens;
using ScopeClaims.Tests.Shared;
using static ScopeClaims.KeyManagement.Tests.ManagedKeyHost;

namespace ScopeClaims.KeyManagement.Tests.DependencyInjection;

/// <summary>AddScopeTokenKeyManagement in real hosts: its start-up checks, the file store shared by several hosts, and the JWKS a real server publishes.</summary>
public sealed class KeyManagementRegistrationTests : IDisposable
{
    private static readonly DateTimeOffset T0 = new(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);
    private readonly TempDirectories _dirs = new();

    public void Dispose() => _dirs.Dispose();

    [Fact]
    public void AddScopeTokenKeyManagement_NullServices_Throws() =>
        Assert.Throws<ArgumentNullException>(() => ScopeTokenKeyManagementServiceCollectionExtensions.AddScopeTokenKeyManagement(null!));

    [Fact]
    public void PersistKeysToFileSystem_EmptyDirectory_Throws() =>
        Assert.Throws<ArgumentException>(() => new ServiceCollection().AddScopeTokenKeyManagement().PersistKeysToFileSystem(" "));

    [Fact]
    public async Task HostStart_NoStore_FailsNamingTheCallToMake()
    {
        using var host = Build(new FakeTimeProvider(T0), _ => { }, _dirs.DataProtection);

        var failures = await StartFailuresAsync(host);

        Assert.Contains(failures, f => f.Contains("No key store is configured", StringComparison.Ordinal) && f.Contains("PersistKeysToFileSystem", StringComparison.Ordinal));
    }

    [Fact]
    public async Task HostStart_TwoStores_FailsNamingBoth()
    {
        using var host = Build(new FakeTimeProvider(T0), b => b.PersistKeysToFileSystem(_dirs.Store).PersistKeysToFileSystem(_dirs.Store + "2"), _dirs.DataProtection);

        var failures = await StartFailuresAsync(host);

        Assert.Contains(failures, f => f.Contains("2 key stores are configured", StringComparison.Ordinal) && f.Contains(_dirs.Store + "2", StringComparison.Ordinal));
    }

    [Fact]
    public async Task HostStart_InvalidOptions_ListsEveryProblem()
    {
        using var host = Build(new FakeTimeProvider(T0), b => b.PersistKeysToFileSystem(_dirs.Store), _dirs.DataProtection, o =>
        {
            o.Algorithm = "HS256";
            o.RotationInterval = TimeSpan.FromDays(1);
            o.PropagationTime = TimeSpan.FromDays(2);
            o.RefreshInterval = TimeSpan.FromDays(3);
            o.RetentionTime = TimeSpan.Zero;
            o.StartupTimeout = TimeSpan.FromMinutes(11);
        });

        var ex = await StartFailuresAsync(host);

        Assert.Contains(ex, f => f.Contains("Algorithm 'HS256' is not supported", StringComparison.Ordinal));
        Assert.Contains(ex, f => f.Contains("PropagationTime (2.00:00:00) must be shorter than RotationInterval", StringComparison.Ordinal));
        Assert.Contains(ex, f => f.Contains("at least twice RefreshInterval", StringComparison.Ordinal));
        Assert.Contains(ex, f => f.Contains("StartupTimeout (00:11:00) must be at least zero and at most 10 minutes", StringComparison.Ordinal));
        Assert.Contains(ex, f => f.Contains("RetentionTime (00:00:00) must be at least", StringComparison.Ordinal));
        Assert.Empty(_dirs.StoreFiles());
    }

    [Fact]
    public async Task HostStart_EightHostsAtOnceOnAnEmptyDirectory_CreateExactlyOneKey()
    {
        var time = new FakeTimeProvider(T0);
        var hosts = Enumerable.Range(0, 8).Select(_ => Build(time, b => b.PersistKeysToFileSystem(_dirs.Store), _dirs.DataProtection)).ToList();
        try
        {
            using var gate = new Barrier(hosts.Count);
            await Task.WhenAll(hosts.Select(h => Task.Run(async () =>
            {
                gate.SignalAndWait();
                await h.StartAsync();
            })));

            Assert.Equal(["key-000000000001.json"], _dirs.StoreFiles());
            var kids = hosts.Select(h => new JsonWebToken(h.Services.GetRequiredService<IScopeTokenIssuer>().Issue(ScopeSet.Parse("a"))).Kid).Distinct();
            Assert.Single(kids);
        }
        finally
        {
            foreach (var h in hosts)
            {
                h.Dispose();
            }
        }
    }

    [Fact]
    public async Task MapScopeTokenMetadata_ManagedKeys_PublishesAJwksUnderWhichIssuedTokensVerify()
    {
        var time = new FakeTimeProvider(T0);
        await using var server = await LoopbackServer.StartAsync(
            app => app.MapScopeTokenMetadata(),
            builder =>
            {
                builder.Services.AddSingleton<TimeProvider>(time);
                builder.Services.AddDataProtection().SetApplicationName("scopeclaims-tests").PersistKeysToFileSystem(new DirectoryInfo(_dirs.DataProtection));
                builder.Services.AddArrayScopeTokens(o =>
                {
                    o.Issuer = Issuer;
                    o.Audiences.Add(Audience);
                    o.SigningKey.Managed = true;
                });
                builder.Services.AddScopeTokenKeyManagement(o => o.Algorithm = "PS256").PersistKeysToFileSystem(_dirs.Store);
            });
        using var client = new HttpClient { BaseAddress = server.Address };
        var token = server.Services.GetRequiredService<IScopeTokenIssuer>().Issue(ScopeSet.Parse("read write"));

        var jwks = await client.GetStringAsync(new Uri("/.well-known/jwks.json", UriKind.Relative));

        var result = Validate(token, jwks, time.GetUtcNow());
        Assert.True(result.IsValid, result.Exception?.Message);
        Assert.Equal("PS256", new JsonWebToken(token).Alg);
        Assert.DoesNotContain("\"d\"", jwks, StringComparison.Ordinal);
    }

    /// <summary>The failures a host start reports: the key manager's options fail on their own, and the managed profile with them.</summary>
    private static async Task<List<string>> StartFailuresAsync(IHost host)
    {
        var ex = await Assert.ThrowsAnyAsync<Exception>(() => host.StartAsync());
        var failures = (ex is AggregateException all ? all.InnerExceptions.ToList() : new List<Exception> { ex }).Select(e => Assert.IsType<OptionsValidationException>(e)).SelectMany(e => e.Failures).ToList();
        Assert.Contains(failures, f => f.StartsWith("ScopeTokenKeyManagementOptions", StringComparison.Ordinal) || f.Contains("key store", StringComparison.Ordinal));
        return failures;
    }
}
