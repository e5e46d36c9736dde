using System.Net;
using ScopeClaims.Testing.Partner;

namespace ScopeClaims.Http.Tests.Infrastructure;

/// <summary>Every way a token endpoint can answer badly, in a row, for a grant's "typed and never cached" test.</summary>
internal static class BadServerInput
{
    /// <summary>
    /// Queues an RFC 6749 error (<paramref name="error"/>), a 500, an HTML page, a redirect, <paramref name="badToken"/>
    /// (a 200 that is not a usable token response) and a delay past the timeout; checks that each call fails with its
    /// typed exception, that the next call succeeds, and that every failure was a token request of its own.
    /// </summary>
    public static async Task AssertEachTypedAndNothingCachedAsync(FakePartner partner, Func<Task<HttpResponseMessage>> call, string error, string badToken)
    {
        partner.FailNextTokenRequests(FakePartnerFailure.Error(error, "refused on purpose"));
        partner.FailNextTokenRequests(FakePartnerFailure.ServerError());
        partner.FailNextTokenRequests(FakePartnerFailure.Garbage());
        partner.FailNextTokenRequests(FakePartnerFailure.Redirect(new Uri(partner.Address, "/elsewhere")));
        partner.FailNextTokenRequests(FakePartnerFailure.Response(200, "application/json", badToken));
        partner.FailNextTokenRequests(FakePartnerFailure.Slow(TimeSpan.FromSeconds(30)));

        var refused = await Assert.ThrowsAsync<TokenEndpointErrorException>(call);
        for (var i = 0; i < 4; i++)
        {
            await Assert.ThrowsAsync<InvalidTokenResponseException>(call);
        }

        var slow = await Assert.ThrowsAsync<TokenEndpointUnavailableException>(call);
        using var recovered = await call();

        Assert.Equal(error, refused.Error);
        Assert.True(slow.IsTimeout);
        Assert.Equal(HttpStatusCode.OK, recovered.StatusCode);
        Assert.Equal(7, partner.TokenRequests.Count);   // each failure was tried afresh: nothing was cached
        Assert.Single(partner.ApiRequests);
    }
}
