using System.Net;
using Microsoft.Extensions.DependencyInjection;
using ScopeClaims.Tests.Shared;
using Xunit.Abstractions;
using static ScopeClaims.AspNetCore.Tests.TokenExchange.ExchangeHost;

namespace ScopeClaims.AspNetCore.Tests.TokenExchange;

/// <summary>
/// Two hosts sharing a real Redis as HybridCache's distributed cache: a client assertion used at one is refused at the
/// other. Needs a Redis server at SCOPECLAIMS_REDIS (<c>bash .ci/redis.sh start</c> starts one at 127.0.0.1:6390);
/// without it these tests are reported as skipped with the reason, outside CI; under CI (CI=true) they fail instead.
/// Each test uses its own key prefix, so the shared server's other data is never touched.
/// </summary>
public class ReplayAcrossHostsTests(ITestOutputHelper output)
{
    [SkippableFact]
    public async Task Post_AssertionUsedAtOneHost_RefusedAtTheOtherThroughRedis()
    {
        var redis = await RequireRedisAsync();
        var prefix = "scopeclaims-tests:exchange:" + Guid.NewGuid().ToString("N") + ":";
        await using var hostA = await StartAsync(o => o.ReplayCacheKeyPrefix = prefix, services: b => UseRedis(b.Services, redis));
        await using var hostB = await StartAsync(o => o.ReplayCacheKeyPrefix = prefix, services: b => UseRedis(b.Services, redis));
        var body = Form(Exchange(Subject(), ("client_assertion_type", AssertionType), ("client_assertion", Assertion(OurIssuer))));

        using var atA = await hostA.PostAsync(body);
        using var atB = await hostB.PostAsync(body);

        await AssertSuccessAsync(atA);
        await AssertErrorAsync(atB, HttpStatusCode.Unauthorized, "invalid_client", "The client assertion's 'jti' has been used before; make a fresh assertion for each request (RFC 7523 section 3).");
    }

    [SkippableFact]
    public async Task Post_FreshAssertionsAtBothHosts_BothIssue()
    {
        var redis = await RequireRedisAsync();
        var prefix = "scopeclaims-tests:exchange:" + Guid.NewGuid().ToString("N") + ":";
        await using var hostA = await StartAsync(o => o.ReplayCacheKeyPrefix = prefix, services: b => UseRedis(b.Services, redis));
        await using var hostB = await StartAsync(o => o.ReplayCacheKeyPrefix = prefix, services: b => UseRedis(b.Services, redis));

        using var atA = await hostA.PostAsync(Form(Exchange(Subject(), ("client_assertion_type", AssertionType), ("client_assertion", Assertion(OurIssuer)))));
        using var atB = await hostB.PostAsync(Form(Exchange(Subject(), ("client_assertion_type", AssertionType), ("client_assertion", Assertion(OurIssuer)))));

        await AssertSuccessAsync(atA);
        await AssertSuccessAsync(atB);
    }

    private static void UseRedis(IServiceCollection services, string redis) =>
        services.AddStackExchangeRedisCache(o =>
        {
            o.Configuration = redis;
            o.InstanceName = "scopeclaims-tests:";
        });

    private Task<string> RequireRedisAsync() => SharedRedis.RequireAsync(output);
}
