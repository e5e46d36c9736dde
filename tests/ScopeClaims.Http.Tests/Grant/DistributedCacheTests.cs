using System.Net;
using Microsoft.Extensions.DependencyInjection;
using ScopeClaims.Http.Tests.Infrastructure;
using ScopeClaims.Tests.Shared;
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

    private Task<string> RequireRedisAsync() => SharedRedis.RequireAsync(output);
}
