using System.Net;
using Microsoft.Extensions.Caching.Distributed;
using Microsoft.Extensions.DependencyInjection;
using ScopeClaims.Http.Tests.Infrastructure;

namespace ScopeClaims.Http.Tests.Grant;

/// <summary>
/// The distributed cache failing or holding another host's token, deterministically, in one process (the same with a
/// real Redis killed, paused or asleep under load is <see cref="CacheOutageTests"/>).
/// </summary>
public class DistributedCacheFailureTests
{
    [Fact]
    public async Task GetAsync_DistributedCacheThrowsOnEveryOperation_CallsAndTheRetryAfter401Succeed()
    {
        var cache = new InMemorySharedCache { Unavailable = true };
        await using var partner = await GrantClient.StartPartnerAsync();
        await using var host = GrantClient.Build(partner, services: s => s.AddSingleton<IDistributedCache>(cache));

        using var first = await host.Client().GetAsync("a");
        partner.RevokeIssuedTokens();
        using var afterRevocation = await host.Client().GetAsync("b");   // 401, drop (the cache throws), fetch, retry
        using var again = await host.Client().GetAsync("c");

        Assert.Equal(HttpStatusCode.OK, first.StatusCode);
        Assert.Equal(HttpStatusCode.OK, afterRevocation.StatusCode);
        Assert.Equal(HttpStatusCode.OK, again.StatusCode);
        Assert.Equal(2, partner.TokenRequests);
        Assert.True(cache.Operations > 0, "The distributed cache was never asked.");
    }

    [Fact]
    public async Task GetAsync_SharedEntryIsAnotherHostsRevokedToken_RetriesWithATokenOfItsOwn()
    {
        var cache = new InMemorySharedCache();
        await using var partner = await GrantClient.StartPartnerAsync();
        await using var hostA = GrantClient.Build(partner, services: s => s.AddSingleton<IDistributedCache>(cache));
        await using var hostB = GrantClient.Build(partner, services: s => s.AddSingleton<IDistributedCache>(cache));
        (await hostA.Client().GetAsync("a")).Dispose();   // A fetches T1: A's memory and the shared cache hold it
        cache.Clear();                                     // the shared cache restarts empty
        (await hostB.Client().GetAsync("b")).Dispose();   // B fetches T2: B's memory and the shared cache hold it
        partner.RevokeIssuedTokens();                      // T1 and T2 are both refused now

        // A's T1 is refused; the shared cache holds T2, which is not T1 but is refused too. A must end with a token
        // the partner accepts rather than return the 401 that T2 gets.
        using var fromA = await hostA.Client().GetAsync("c");
        using var fromB = await hostB.Client().GetAsync("d");

        Assert.Equal(HttpStatusCode.OK, fromA.StatusCode);
        Assert.Equal(HttpStatusCode.OK, fromB.StatusCode);
        Assert.Equal(3, partner.TokenRequests);
    }

    [Fact]
    public async Task GetAsync_SharedEntryIsThisHostsOwnOlderTokenWrittenLate_RetriesWithATokenFetchedAfterTheRefusal()
    {
        var cache = new InMemorySharedCache();
        await using var partner = await GrantClient.StartPartnerAsync();
        await using var hostA = GrantClient.Build(partner, services: s => s.AddSingleton<IDistributedCache>(cache));
        await using var hostB = GrantClient.Build(partner, services: s => s.AddSingleton<IDistributedCache>(cache));
        (await hostA.Client().GetAsync("a")).Dispose();   // A fetches T1: A's memory and the shared cache hold it
        var writeOfT1 = cache.Snapshot();
        partner.RevokeIssuedTokens();
        (await hostB.Client().GetAsync("b")).Dispose();   // B reads T1, is refused, fetches T2: the shared cache holds T2
        (await hostA.Client().GetAsync("c")).Dispose();   // A's T1 is refused; A takes T2 from the shared cache
        cache.Restore(writeOfT1);                          // A's write of T1, held up while Redis slept, lands late
        partner.RevokeIssuedTokens();                      // T2 is refused now (T1 already was)

        // A's T2 is refused; the shared cache holds T1, which A fetched itself, but before this refusal. A must not take
        // "fetched here" for "fetched after the refusal": it retries once more with a token it fetches now.
        using var fromA = await hostA.Client().GetAsync("d");
        using var fromB = await hostB.Client().GetAsync("e");

        Assert.Equal(HttpStatusCode.OK, fromA.StatusCode);
        Assert.Equal(HttpStatusCode.OK, fromB.StatusCode);
        Assert.Equal(3, partner.TokenRequests);
    }
}
