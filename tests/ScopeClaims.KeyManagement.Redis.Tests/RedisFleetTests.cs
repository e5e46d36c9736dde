using Microsoft.AspNetCore.DataProtection;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;
using Microsoft.IdentityModel.JsonWebTokens;
using ScopeClaims.KeyManagement.Tests;
using static ScopeClaims.KeyManagement.Tests.ManagedKeyHost;

namespace ScopeClaims.KeyManagement.Redis.Tests;

/// <summary>
/// A fleet of 8 hosts (service providers in this process) on a real Redis: they converge on one key at start and at a
/// scheduled rotation, every token verifies under every host's JWKS, and a Redis that stops and comes back loses
/// nothing and yields no second active key.
/// </summary>
public sealed class RedisFleetTests : IDisposable
{
    private const int Hosts = 8;
    private static readonly DateTimeOffset T0 = new(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);
    private readonly TempDirectories _dirs = new();

    public RedisFleetTests()
    {
        // Note: one Data Protection key made before the hosts start, so every host encrypts with the same key.
        var services = new ServiceCollection();
        services.AddDataProtection().SetApplicationName("scopeclaims-tests").PersistKeysToFileSystem(new DirectoryInfo(_dirs.DataProtection));
        using var provider = services.BuildServiceProvider();
        provider.GetRequiredService<IDataProtectionProvider>().CreateProtector("warm-up").Protect([1]);
    }

    public void Dispose() => _dirs.Dispose();

    [SkippableFact]
    public async Task HostStart_EightHostsAtOnceOnAnEmptyStore_CreateExactlyOneKeyAndVerifyEachOthersTokens()
    {
        var redis = RedisFixture.RequireSharedRedis();
        var key = RedisFixture.NewKey();
        var clocks = Enumerable.Range(0, Hosts).Select(_ => new FakeTimeProvider(T0)).ToArray();
        var hosts = clocks.Select(c => Build(c, b => b.PersistKeysToRedis(redis, key), _dirs.DataProtection)).ToArray();
        try
        {
            await StartTogetherAsync(hosts);

            Assert.Single(RedisFixture.Entries(redis, key));
            Assert.Single(hosts.Select(SigningKid).Distinct());
            AssertEveryTokenVerifiesUnderEveryJwks(hosts, T0);

            // The scheduled rotation: every host reaches the announcement moment at once; one successor is created.
            await Task.WhenAll(Together(clocks, c => c.SetUtcNow(T0.AddDays(8))));
            Assert.Equal(2, RedisFixture.Entries(redis, key).Length);
            Assert.All(hosts, h => Assert.Equal(2, Kids(Issuer(h).Keys.ExportPublicJwks()).Count));

            await Task.WhenAll(Together(clocks, c => c.SetUtcNow(T0.AddDays(10))));
            Assert.Single(hosts.Select(SigningKid).Distinct());
            Assert.Equal(2, RedisFixture.Entries(redis, key).Length);
            AssertEveryTokenVerifiesUnderEveryJwks(hosts, T0.AddDays(10));
        }
        finally
        {
            foreach (var host in hosts)
            {
                host.Dispose();
            }

            RedisFixture.DeleteKey(redis, key);
        }
    }

    [Fact]
    public async Task Refresh_RedisStoppedMidRunThenRestarted_LosesNothingAndCreatesNoSecondActiveKey()
    {
        using var server = new OwnRedisServer();
        server.Start();
        var configuration = server.Address + ",abortConnect=false,connectTimeout=500,syncTimeout=1000";
        var time = new FakeTimeProvider(T0);
        var logs = new CapturedLogs();
        var hosts = await StartTogetherRetryingAsync(() => Enumerable.Range(0, 3).Select(_ => Build(time, b => b.PersistKeysToRedis(configuration, "keys"), _dirs.DataProtection, logs: logs)).ToArray());
        try
        {
            var first = SigningKid(hosts[0]);

            server.Kill();

            // The successor falls due while Redis is down: nobody creates it, everybody keeps signing with the loaded key.
            time.SetUtcNow(T0.AddDays(8));
            Assert.All(hosts, h => Assert.Equal(first, SigningKid(h)));
            Assert.Contains(logs.Entries, e => e.Level == LogLevel.Warning && e.Text.Contains($"Redis key store 'keys' at {server.Address}", StringComparison.Ordinal));

            server.Start();
            foreach (var host in hosts)
            {
                await RefreshWhenBackAsync(host);
            }

            var entries = RedisFixture.Entries(server.Address, "keys");
            Assert.Equal(["1", "2"], entries.Select(e => (string)e.Name!).Order());
            Assert.All(hosts, h => Assert.Equal(2, Kids(Issuer(h).Keys.ExportPublicJwks()).Count));

            time.SetUtcNow(T0.AddDays(10));
            var signing = Assert.Single(hosts.Select(SigningKid).Distinct());
            Assert.NotEqual(first, signing);
            AssertEveryTokenVerifiesUnderEveryJwks(hosts, T0.AddDays(10));
        }
        finally
        {
            foreach (var host in hosts)
            {
                host.Dispose();
            }
        }
    }

    [Fact]
    public async Task HostStart_RedisUnreachable_FailsNamingTheStoreAndNotThePassword()
    {
        var port = RedisFixture.FreePort();
        using var host = Build(new FakeTimeProvider(T0), b => b.PersistKeysToRedis($"127.0.0.1:{port},password=hunter2-secret,connectTimeout=300", "keys"), _dirs.DataProtection);

        var ex = await Assert.ThrowsAsync<OptionsValidationException>(() => host.StartAsync());

        var failure = Assert.Single(ex.Failures);
        Assert.Contains($"Redis key store 'keys' at 127.0.0.1:{port}", failure, StringComparison.Ordinal);
        Assert.DoesNotContain("hunter2", failure, StringComparison.Ordinal);
    }

    [Fact]
    public async Task HostStart_RedisComesUpWithinStartupTimeout_WaitsAndStarts()
    {
        using var server = new OwnRedisServer();
        var logs = new CapturedLogs();
        using var host = Build(TimeProvider.System, b => b.PersistKeysToRedis(server.Address + ",abortConnect=false,connectTimeout=300,syncTimeout=500", "keys"), _dirs.DataProtection, o => o.StartupTimeout = TimeSpan.FromMinutes(2), logs: logs);

        var start = Task.Run(() => host.StartAsync());
        while (!logs.Entries.Any(e => e.Text.Contains("unreachable at start; retrying", StringComparison.Ordinal)))
        {
            Assert.False(start.IsCompleted, "the host started, or failed, without waiting for the store");
            await Task.Delay(50);
        }

        server.Start();
        await start;

        Assert.Single(RedisFixture.Entries(server.Address, "keys"));
        Assert.NotEmpty(Issuer(host).Issue(ScopeSet.Parse("a")));
    }

    [Fact]
    public void PersistKeysToRedis_InvalidArguments_Throw()
    {
        var builder = new ServiceCollection().AddScopeTokenKeyManagement();

        Assert.Throws<ArgumentException>(() => builder.PersistKeysToRedis(" "));
        Assert.Throws<ArgumentException>(() => builder.PersistKeysToRedis("127.0.0.1:6379", " "));
        Assert.Throws<ArgumentNullException>(() => builder.PersistKeysToRedis((Func<IServiceProvider, StackExchange.Redis.IConnectionMultiplexer>)null!));
    }

    private static IScopeTokenIssuer Issuer(IHost host) => host.Services.GetRequiredService<IScopeTokenIssuer>();

    private static string SigningKid(IHost host) => new JsonWebToken(Issuer(host).Issue(ScopeSet.Parse("a"))).Kid;

    private static void AssertEveryTokenVerifiesUnderEveryJwks(IHost[] hosts, DateTimeOffset now)
    {
        var tokens = hosts.Select(h => Issuer(h).Issue(ScopeSet.Parse("read"))).ToArray();
        foreach (var jwks in hosts.Select(h => Issuer(h).Keys.ExportPublicJwks()))
        {
            Assert.All(tokens, t => Assert.True(Validate(t, jwks, now).IsValid));
        }
    }

    private static Task StartTogetherAsync(IHost[] hosts) => Task.WhenAll(Together(hosts, h => h.StartAsync().GetAwaiter().GetResult()));

    /// <summary>
    /// Starts the hosts <paramref name="build"/> makes together, building and starting new ones when a start failed because
    /// the store could not be read: with the short timeouts a test of an outage needs, a first connection that takes over
    /// a second (two test suites at once on two cores did) fails the start, which is not what such a test is about.
    /// </summary>
    private static async Task<IHost[]> StartTogetherRetryingAsync(Func<IHost[]> build)
    {
        for (var attempt = 1; ; attempt++)
        {
            var hosts = build();
            try
            {
                await StartTogetherAsync(hosts);
                return hosts;
            }
            catch (OptionsValidationException ex) when (attempt < 5 && ex.Message.Contains("could not be read (RedisConnectionException)", StringComparison.Ordinal))
            {
                foreach (var host in hosts)
                {
                    host.Dispose();
                }
            }
        }
    }

    private static IEnumerable<Task> Together<T>(T[] items, Action<T> action)
    {
        var gate = new Barrier(items.Length);
        return items.Select(item => Task.Run(() =>
        {
            gate.SignalAndWait();
            action(item);
        })).ToArray();
    }

    /// <summary>Reads the store once Redis answers again (the client reconnects on its own), within 20 seconds.</summary>
    private static async Task RefreshWhenBackAsync(IHost host)
    {
        var manager = host.Services.GetRequiredService<IManagedSigningKeys>();
        var deadline = DateTime.UtcNow.AddSeconds(20);
        while (true)
        {
            try
            {
                manager.Refresh();
                return;
            }
            catch (SigningKeyStoreUnavailableException) when (DateTime.UtcNow < deadline)
            {
                await Task.Delay(200);
            }
        }
    }
}
