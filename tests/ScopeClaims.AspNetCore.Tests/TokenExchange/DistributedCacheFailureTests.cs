using System.Net;
using Microsoft.Extensions.DependencyInjection;
using static ScopeClaims.AspNetCore.Tests.TokenExchange.ExchangeHost;

namespace ScopeClaims.AspNetCore.Tests.TokenExchange;

/// <summary>
/// The replay store's distributed tier is unreachable (a Redis address where nothing listens): HybridCache reports the
/// failure in its own log and serves from memory, so the host keeps answering and still refuses its own replays. The
/// fleet-wide guarantee is what is lost, as the package README says.
/// </summary>
public class DistributedCacheFailureTests
{
    [Fact]
    public async Task Post_DistributedCacheUnreachable_HostStillRefusesItsOwnReplaysAndHybridCacheLogsTheFailure()
    {
        await using var host = await StartAsync(services: b => b.Services.AddStackExchangeRedisCache(o =>
            o.Configuration = "127.0.0.1:1,connectTimeout=200,asyncTimeout=500,abortConnect=false,connectRetry=0"));
        var body = Form(Exchange(Subject(), ("client_assertion_type", AssertionType), ("client_assertion", Assertion(OurIssuer))));

        using var first = await host.PostAsync(body);
        using var second = await host.PostAsync(body);

        await AssertSuccessAsync(first);
        await AssertErrorAsync(second, HttpStatusCode.Unauthorized, "invalid_client", "The client assertion's 'jti' has been used before; make a fresh assertion for each request (RFC 7523 section 3).");
        Assert.Contains(host.Logs.Entries, e => e.Event.Name == "CacheBackendReadFailure");
    }
}
