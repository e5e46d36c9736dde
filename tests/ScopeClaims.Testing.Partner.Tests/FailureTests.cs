using System.Net;
using static ScopeClaims.Testing.Partner.Tests.Partners;

namespace ScopeClaims.Testing.Partner.Tests;

public class FailureTests
{
    [Fact]
    public async Task FailNext_Error_AnswersItThenGoesBackToChecking()
    {
        await using var partner = await StartAsync();
        partner.FailNextTokenRequests(FakePartnerFailure.Error("temporarily_unavailable", "try later", 503), count: 2);

        using var first = await JwtBearerAsync(partner, Assertions.Valid(partner));
        using var second = await JwtBearerAsync(partner, Assertions.Valid(partner));
        using var third = await JwtBearerAsync(partner, Assertions.Valid(partner));

        Assert.Equal("try later", await AssertErrorAsync(first, 503, "temporarily_unavailable"));
        await AssertErrorAsync(second, 503, "temporarily_unavailable");
        await AssertTokenAsync(third);
        Assert.Equal([503, 503, 200], partner.TokenRequests.Select(static r => r.StatusCode).ToArray());
        Assert.StartsWith("failed on purpose", partner.TokenRequests[0].ErrorDescription, StringComparison.Ordinal);
    }

    [Fact]
    public async Task FailNext_ServerError_IsPlainText()
    {
        await using var partner = await StartAsync();
        partner.FailNextTokenRequests(FakePartnerFailure.ServerError(502));

        using var response = await JwtBearerAsync(partner, Assertions.Valid(partner));

        Assert.Equal(HttpStatusCode.BadGateway, response.StatusCode);
        Assert.Equal("text/plain", response.Content.Headers.ContentType?.MediaType);
    }

    [Fact]
    public async Task FailNext_Garbage_IsAn200HtmlPage()
    {
        await using var partner = await StartAsync();
        partner.FailNextTokenRequests(FakePartnerFailure.Garbage());

        using var response = await JwtBearerAsync(partner, Assertions.Valid(partner));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("text/html", response.Content.Headers.ContentType?.MediaType);
        Assert.Empty(partner.IssuedTokens);
    }

    [Fact]
    public async Task FailNext_Redirect_AnswersTheLocation()
    {
        await using var partner = await StartAsync();
        partner.FailNextTokenRequests(FakePartnerFailure.Redirect(new Uri("http://127.0.0.1:1/elsewhere"), 308));

        using var response = await JwtBearerAsync(partner, Assertions.Valid(partner));

        Assert.Equal(HttpStatusCode.PermanentRedirect, response.StatusCode);
        Assert.Equal(new Uri("http://127.0.0.1:1/elsewhere"), response.Headers.Location);
    }

    [Fact]
    public async Task FailNext_Response_AnswersAnything()
    {
        await using var partner = await StartAsync();
        partner.FailNextTokenRequests(FakePartnerFailure.Response(200, "application/json", "{\"access_token\":1}"));

        using var response = await JwtBearerAsync(partner, Assertions.Valid(partner));

        Assert.Equal("{\"access_token\":1}", await response.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task FailNext_Slow_WaitsOnItsClockThenChecksAsUsual()
    {
        var clock = new ManualTimeProvider(DateTimeOffset.UtcNow);
        await using var partner = await StartAsync(o => o.TimeProvider = clock);
        partner.FailNextTokenRequests(FakePartnerFailure.Slow(TimeSpan.FromSeconds(30)));

        var pending = JwtBearerAsync(partner, Assertions.Valid(partner));
        while (partner.TokenRequests.Count == 0)
        {
            await Task.Delay(10);
        }

        Assert.False(pending.IsCompleted);

        // Note: the request is recorded just before its delay starts on the clock; an advance that lands in between
        // would be missed by the delay, so the clock is moved on until the answer comes (each step is the full delay).
        while (!pending.IsCompleted)
        {
            clock.Advance(TimeSpan.FromSeconds(30));
            await Task.WhenAny(pending, Task.Delay(50));
        }

        using var response = await pending;
        await AssertTokenAsync(response);
    }

    [Fact]
    public async Task FailNext_Slow_EndsWhenTheClientGoesAway()
    {
        await using var partner = await StartAsync();
        partner.FailNextTokenRequests(FakePartnerFailure.Slow(TimeSpan.FromMinutes(5)));
        using var cancel = new CancellationTokenSource();
        using var request = new HttpRequestMessage(HttpMethod.Post, partner.TokenEndpoint)
        {
            Content = new FormUrlEncodedContent([new("grant_type", JwtBearer), new("assertion", Assertions.Valid(partner))]),
        };

        var pending = Web.SendAsync(request, cancel.Token);
        while (partner.TokenRequests.Count == 0)
        {
            await Task.Delay(10);
        }

        await cancel.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => pending);
        Assert.Empty(partner.IssuedTokens);
    }

    [Fact]
    public void Failures_OutOfRangeArguments_AreRefused()
    {
        Assert.Throws<ArgumentException>(() => FakePartnerFailure.Error(string.Empty));
        Assert.Throws<ArgumentOutOfRangeException>(() => FakePartnerFailure.Error("invalid_grant", statusCode: 200));
        Assert.Throws<ArgumentOutOfRangeException>(() => FakePartnerFailure.ServerError(404));
        Assert.Throws<ArgumentOutOfRangeException>(() => FakePartnerFailure.Slow(TimeSpan.Zero));
        Assert.Throws<ArgumentOutOfRangeException>(() => FakePartnerFailure.Slow(TimeSpan.FromHours(1)));
        Assert.Throws<ArgumentOutOfRangeException>(() => FakePartnerFailure.Redirect(new Uri("http://x/"), 200));
        Assert.Throws<ArgumentOutOfRangeException>(() => FakePartnerFailure.Response(100, null, string.Empty));
    }

    [Fact]
    public async Task FailNextTokenRequests_CountOutOfRange_IsRefused()
    {
        await using var partner = await StartAsync();

        Assert.Throws<ArgumentOutOfRangeException>(() => partner.FailNextTokenRequests(FakePartnerFailure.Garbage(), 0));
        Assert.Throws<ArgumentOutOfRangeException>(() => partner.FailNextTokenRequests(FakePartnerFailure.Garbage(), 10_001));
    }
}
