using System.Net;
using Microsoft.Extensions.DependencyInjection;
using ScopeClaims.AspNetCore.Redis.Internal;
using ScopeClaims.Tests.Shared;
using StackExchange.Redis;
using Xunit.Abstractions;
using static ScopeClaims.AspNetCore.Tests.TokenExchange.ExchangeHost;

namespace ScopeClaims.AspNetCore.Redis.Tests;

/// <summary>
/// Hosts sharing a real Redis (SCOPECLAIMS_REDIS; <c>bash .ci/redis.sh start</c> starts one at 127.0.0.1:6390) accept a
/// client assertion once, even when its uses arrive at once at both; an unreachable Redis refuses (503, no token). Each
/// test uses its own key prefix, so the shared server's other data is never touched.
/// </summary>
public class RedisReplayStoreTests(ITestOutputHelper output)
{
    private const string UsedBefore = "The client assertion's 'jti' has been used before; make a fresh assertion for each request (RFC 7523 section 3).";

    [SkippableFact]
    public async Task Post_SameAssertionConcurrentlyAtTwoHostsSharingRedis_ExactlyOneIssues()
    {
        var redis = await SharedRedis.RequireAsync(output);
        var prefix = NewPrefix();
        await using var hostA = await StartAsync(o => o.ReplayKeyPrefix = prefix, services: b => b.Services.AddTokenExchangeRedisReplayStore(redis));
        await using var hostB = await StartAsync(o => o.ReplayKeyPrefix = prefix, services: b => b.Services.AddTokenExchangeRedisReplayStore(redis));
        var body = Form(Exchange(Subject(), ("client_assertion_type", AssertionType), ("client_assertion", Assertion(OurIssuer))));

        // Note: 16 uses, alternating hosts, each on its own connection, started together.
        var statuses = await PostConcurrentlyAsync(Enumerable.Range(0, 16).Select(i => (i % 2 == 0 ? hostA : hostB).Address).ToArray(), body);

        Assert.Equal(1, statuses.Count(s => s == HttpStatusCode.OK));
        Assert.Equal(15, statuses.Count(s => s == HttpStatusCode.Unauthorized));
    }

    [SkippableFact]
    public async Task Post_AssertionUsedAtOneHost_RefusedAtTheOther()
    {
        var redis = await SharedRedis.RequireAsync(output);
        var prefix = NewPrefix();
        await using var hostA = await StartAsync(o => o.ReplayKeyPrefix = prefix, services: b => b.Services.AddTokenExchangeRedisReplayStore(redis));
        await using var hostB = await StartAsync(o => o.ReplayKeyPrefix = prefix, services: b => b.Services.AddTokenExchangeRedisReplayStore(redis));
        var body = Form(Exchange(Subject(), ("client_assertion_type", AssertionType), ("client_assertion", Assertion(OurIssuer))));

        using var atA = await hostA.PostAsync(body);
        using var atB = await hostB.PostAsync(body);

        await AssertSuccessAsync(atA);
        await AssertErrorAsync(atB, HttpStatusCode.Unauthorized, "invalid_client", UsedBefore);
    }

    [SkippableFact]
    public async Task Post_FreshAssertionsAtBothHosts_BothIssue()
    {
        var redis = await SharedRedis.RequireAsync(output);
        var prefix = NewPrefix();
        await using var hostA = await StartAsync(o => o.ReplayKeyPrefix = prefix, services: b => b.Services.AddTokenExchangeRedisReplayStore(redis));
        await using var hostB = await StartAsync(o => o.ReplayKeyPrefix = prefix, services: b => b.Services.AddTokenExchangeRedisReplayStore(redis));

        using var atA = await hostA.PostAsync(Form(Exchange(Subject(), ("client_assertion_type", AssertionType), ("client_assertion", Assertion(OurIssuer)))));
        using var atB = await hostB.PostAsync(Form(Exchange(Subject(), ("client_assertion_type", AssertionType), ("client_assertion", Assertion(OurIssuer)))));

        await AssertSuccessAsync(atA);
        await AssertSuccessAsync(atB);
    }

    [SkippableFact]
    public async Task TryUseAsync_NewKey_SetOnceWithTheAssertionsRemainingLifetime()
    {
        var redis = await SharedRedis.RequireAsync(output);
        await using var connection = await ConnectionMultiplexer.ConnectAsync(redis);
        var store = new RedisTokenExchangeReplayStore(connection, owned: false, TimeProvider.System);
        var key = NewPrefix() + "k";
        var expiresAt = DateTimeOffset.UtcNow.AddSeconds(90);

        Assert.True(await store.TryUseAsync(key, expiresAt, CancellationToken.None));
        Assert.False(await store.TryUseAsync(key, expiresAt, CancellationToken.None));

        var ttl = await connection.GetDatabase().KeyTimeToLiveAsync(key);
        Assert.NotNull(ttl);
        Assert.InRange(ttl.Value, TimeSpan.FromSeconds(80), TimeSpan.FromSeconds(90));
        await connection.GetDatabase().KeyDeleteAsync(key);
    }

    [Fact]
    public async Task Post_RedisUnreachable_503AndNoToken()
    {
        var port = LoopbackServer.ClosedPort();
        await using var host = await StartAsync(services: b => b.Services.AddTokenExchangeRedisReplayStore(
            $"127.0.0.1:{port},connectTimeout=300,asyncTimeout=500,syncTimeout=500,connectRetry=0,password=hunter2"));
        var assertion = Assertion(OurIssuer);

        using var response = await host.PostAsync(Form(Exchange(Subject(), ("client_assertion_type", AssertionType), ("client_assertion", assertion))));

        await AssertErrorAsync(response, HttpStatusCode.ServiceUnavailable, "temporarily_unavailable", "The client-assertion replay store did not answer; nothing was issued. Try again later.");
        Assert.Contains(host.Logs.Entries, e => e.Event.Name == "TokenExchangeReplayStoreFailed");
        host.AssertLogsHoldNone(assertion, "hunter2");
    }

    [Theory]
    [InlineData(" ")]
    [InlineData("127.0.0.1:6379,password=hunter2,nosuchoption=1")]
    [InlineData("password=hunter2")]
    public void AddTokenExchangeRedisReplayStore_InvalidConfiguration_ThrowsWithoutQuotingIt(string configuration)
    {
        var ex = Assert.Throws<ArgumentException>(() => new ServiceCollection().AddTokenExchangeRedisReplayStore(configuration));

        Assert.Equal("configuration", ex.ParamName);
        Assert.StartsWith("The Redis configuration string of the token-exchange replay store ", ex.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("hunter2", ex.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public void AddTokenExchangeRedisReplayStore_BeforeAddTokenExchange_ReplacesTheInMemoryStore()
    {
        var services = new ServiceCollection();
        services.AddTokenExchangeRedisReplayStore(_ => throw new InvalidOperationException("not resolved here"));
        services.AddTokenExchange(_ => { });

        var descriptor = Assert.Single(services, d => d.ServiceType == typeof(ITokenExchangeReplayStore));
        Assert.NotNull(descriptor.ImplementationFactory);
        Assert.Equal("ScopeClaims.AspNetCore.Redis", descriptor.ImplementationFactory!.Method.DeclaringType!.Assembly.GetName().Name);
    }

    private static string NewPrefix() => "scopeclaims-tests:exchange:" + Guid.NewGuid().ToString("N") + ":";
}
