using System.Net;
using System.Net.Sockets;
using System.Text;
using Microsoft.Extensions.DependencyInjection;
using ScopeClaims.Http.Tests.Infrastructure;
using Xunit.Abstractions;

namespace ScopeClaims.Http.Tests.Grant;

/// <summary>
/// Two hosts sharing Redis as HybridCache's distributed cache. Needs a Redis server at SCOPECLAIMS_REDIS
/// (<c>bash .ci/redis.sh start</c> starts one at 127.0.0.1:6390). Without it these tests are reported as skipped with
/// the reason, outside CI; under CI (CI=true) they fail instead.
/// </summary>
public class DistributedCacheTests(ITestOutputHelper output)
{
    [SkippableFact]
    public async Task GetAsync_TwoHostsSharingRedis_OneTokenRequestServesBoth()
    {
        var redis = await RequireRedisAsync();
        await using var partner = await GrantClient.StartPartnerAsync();
        await using var hostA = GrantClient.Build(partner, services: s => UseRedis(s, redis));
        await using var hostB = GrantClient.Build(partner, services: s => UseRedis(s, redis));

        using var fromA = await hostA.Client().GetAsync("a");
        using var fromB = await hostB.Client().GetAsync("b");
        using var againB = await hostB.Client().GetAsync("c");

        Assert.Equal(HttpStatusCode.OK, fromA.StatusCode);
        Assert.Equal(HttpStatusCode.OK, fromB.StatusCode);
        Assert.Equal(HttpStatusCode.OK, againB.StatusCode);
        Assert.Equal(1, partner.TokenRequests);
        Assert.Equal(3, partner.ApiRequests);
    }

    [SkippableFact]
    public async Task GetAsync_OneHostGets401_BothMoveToTheFreshToken()
    {
        var redis = await RequireRedisAsync();
        await using var partner = await GrantClient.StartPartnerAsync();
        await using var hostA = GrantClient.Build(partner, services: s => UseRedis(s, redis));
        await using var hostB = GrantClient.Build(partner, services: s => UseRedis(s, redis));
        (await hostA.Client().GetAsync("a")).Dispose();
        partner.RevokeIssuedTokens();

        using var retried = await hostA.Client().GetAsync("b");  // 401, evicts the shared entry, fetches and shares a fresh token
        using var fromB = await hostB.Client().GetAsync("c");    // B has no local copy yet: reads the fresh token from Redis

        Assert.Equal(HttpStatusCode.OK, retried.StatusCode);
        Assert.Equal(HttpStatusCode.OK, fromB.StatusCode);
        Assert.Equal(2, partner.TokenRequests);
        Assert.Equal(4, partner.ApiRequests);
    }

    [SkippableFact]
    public async Task GetAsync_TokenRevokedAcrossTheFleet_HostWithAStaleCopyTakesTheFreshTokenFromRedis()
    {
        var redis = await RequireRedisAsync();
        await using var partner = await GrantClient.StartPartnerAsync();
        await using var hostA = GrantClient.Build(partner, services: s => UseRedis(s, redis));
        await using var hostB = GrantClient.Build(partner, services: s => UseRedis(s, redis));
        (await hostA.Client().GetAsync("a")).Dispose();   // A fetches the token: A's memory and Redis hold it
        (await hostB.Client().GetAsync("b")).Dispose();   // B reads it from Redis
        partner.RevokeIssuedTokens();

        using var fromB = await hostB.Client().GetAsync("c");   // 401, fresh token, shared through Redis
        using var fromA = await hostA.Client().GetAsync("d");   // 401 with its own stale copy; takes B's fresh token from Redis

        Assert.Equal(HttpStatusCode.OK, fromA.StatusCode);
        Assert.Equal(HttpStatusCode.OK, fromB.StatusCode);
        Assert.Equal(2, partner.TokenRequests);
        Assert.Equal(6, partner.ApiRequests);
        using var again = await hostA.Client().GetAsync("e");
        Assert.Equal(2, partner.TokenRequests);
    }

    [SkippableTheory]
    [MemberData(nameof(ClientCredentials.ClientCredentialsGrantTests.Methods), MemberType = typeof(ClientCredentials.ClientCredentialsGrantTests))]
    public async Task GetAsync_ClientCredentialsTwoHostsSharingRedis_OneTokenRequestServesBothAndA401MovesBoth(ClientAuthenticationMethod method)
    {
        var redis = await RequireRedisAsync();
        await using var partner = await FakePartners.StartClientCredentialsAsync(method);
        await using var hostA = FakePartners.BuildClientCredentials(partner, method, services: s => UseRedis(s, redis));
        await using var hostB = FakePartners.BuildClientCredentials(partner, method, services: s => UseRedis(s, redis));

        (await hostA.Client().GetAsync("a")).Dispose();
        (await hostB.Client().GetAsync("b")).Dispose();
        Assert.Single(partner.TokenRequests);
        partner.RevokeIssuedTokens();
        using var retried = await hostA.Client().GetAsync("c");   // 401, fresh token shared through Redis
        using var fromB = await hostB.Client().GetAsync("d");     // 401 with its stale copy; takes A's fresh token from Redis

        Assert.Equal(HttpStatusCode.OK, retried.StatusCode);
        Assert.Equal(HttpStatusCode.OK, fromB.StatusCode);
        Assert.Equal(2, partner.TokenRequests.Count);
    }

    [SkippableFact]
    public async Task GetAsync_TokenExchangeTwoHostsSharingRedis_OneTokenRequestPerSubjectServesBoth()
    {
        const string Subject = "subject-token-shared-by-two-hosts";
        var redis = await RequireRedisAsync();
        await using var partner = await FakePartners.StartTokenExchangeAsync(ClientAuthenticationMethod.ClientSecretBasic, Subject);
        await using var hostA = FakePartners.BuildTokenExchange(partner, ClientAuthenticationMethod.ClientSecretBasic, services: s => UseRedis(s, redis));
        await using var hostB = FakePartners.BuildTokenExchange(partner, ClientAuthenticationMethod.ClientSecretBasic, services: s => UseRedis(s, redis));

        using var fromA = await hostA.Client().GetAsSubjectAsync("a", Subject);
        using var fromB = await hostB.Client().GetAsSubjectAsync("b", Subject);

        Assert.Equal(HttpStatusCode.OK, fromA.StatusCode);
        Assert.Equal(HttpStatusCode.OK, fromB.StatusCode);
        Assert.Single(partner.TokenRequests);
    }

    private static void UseRedis(IServiceCollection services, string redis) =>
        services.AddStackExchangeRedisCache(o =>
        {
            o.Configuration = redis;
            o.InstanceName = "scopeclaims-tests:";
        });

    private async Task<string> RequireRedisAsync()
    {
        var address = Environment.GetEnvironmentVariable("SCOPECLAIMS_REDIS");
        var problem = string.IsNullOrWhiteSpace(address)
            ? "SCOPECLAIMS_REDIS is not set"
            : await PingAsync(address) is { } error ? $"Redis not reachable at {address} ({error})" : null;
        if (problem is null)
        {
            return address!;
        }

        var reason = $"{problem}: set SCOPECLAIMS_REDIS (e.g. 127.0.0.1:6390) to a running Redis; 'bash .ci/redis.sh start' starts one there.";
        output.WriteLine(reason);
        if (Environment.GetEnvironmentVariable("CI") == "true")
        {
            Assert.Fail("CI must run the Redis tests. " + reason);
        }

        Skip.If(true, reason);
        return address!;
    }

    /// <summary>Sends PING over RESP and expects +PONG; returns what went wrong, or <see langword="null"/>.</summary>
    private static async Task<string?> PingAsync(string address)
    {
        var parts = address.Split(',')[0].Split(':');
        var port = parts.Length > 1 && int.TryParse(parts[^1], out var p) ? p : 6379;
        try
        {
            using var client = new TcpClient();
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(2));
            await client.ConnectAsync(parts[0], port, timeout.Token);
            var stream = client.GetStream();
            await stream.WriteAsync("PING\r\n"u8.ToArray(), timeout.Token);
            var buffer = new byte[64];
            var read = await stream.ReadAsync(buffer, timeout.Token);
            var reply = Encoding.ASCII.GetString(buffer, 0, read);
            return reply.StartsWith("+PONG", StringComparison.Ordinal) ? null : $"PING answered '{reply.Trim()}'";
        }
        catch (Exception ex) when (ex is SocketException or OperationCanceledException or IOException)
        {
            return ex.Message;
        }
    }
}
