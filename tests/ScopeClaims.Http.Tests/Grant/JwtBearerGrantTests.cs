using System.Net;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using ScopeClaims.Http.Tests.Infrastructure;

namespace ScopeClaims.Http.Tests.Grant;

public class JwtBearerGrantTests
{
    [Fact]
    public async Task GetAsync_FirstCall_ExchangesAVerifiedAssertionForThePartnerToken()
    {
        await using var partner = await GrantClient.StartPartnerAsync();
        await using var provider = GrantClient.Build(partner);

        using var response = await provider.Client().GetAsync("appointments");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("ok GET /api/appointments: ", await response.Content.ReadAsStringAsync());
        Assert.Equal(1, partner.TokenRequests);
        Assert.Equal("urn:ietf:params:oauth:grant-type:jwt-bearer", partner.LastForm["grant_type"]);
        Assert.Equal("read:appointments read:msg", partner.LastForm["scope"]);
        Assert.Equal(new[] { "assertion", "grant_type", "scope" }, partner.LastForm.Keys.Order());
        Assert.Equal(string.Empty, partner.LastAuthorization);

        var assertion = partner.LastAssertion!;
        Assert.Equal(partner.ClientId, assertion.Issuer);
        Assert.Equal(partner.ClientId, assertion.Subject);
        Assert.Equal(new[] { partner.TokenEndpoint.AbsoluteUri }, assertion.Audiences);
        Assert.Equal(120, (assertion.ValidTo - assertion.IssuedAt).TotalSeconds);
        Assert.False(string.IsNullOrEmpty(assertion.Id));
        Assert.Equal("""["read:appointments","read:msg"]""", JsonDocument.Parse(Microsoft.IdentityModel.Tokens.Base64UrlEncoder.Decode(assertion.EncodedPayload)).RootElement.GetProperty("scope").GetRawText());
    }

    [Fact]
    public async Task GetAsync_LaterCalls_UseTheCachedToken()
    {
        await using var partner = await GrantClient.StartPartnerAsync();
        await using var provider = GrantClient.Build(partner);
        var client = provider.Client();

        for (var i = 0; i < 5; i++)
        {
            using var response = await client.GetAsync("appointments");
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        }

        Assert.Equal(1, partner.TokenRequests);
        Assert.Equal(5, partner.ApiRequests);
    }

    [Fact]
    public async Task GetAsync_1000ConcurrentFirstCalls_MakeExactlyOneTokenRequest()
    {
        await using var partner = await GrantClient.StartPartnerAsync();
        partner.TokenDelay = TimeSpan.FromMilliseconds(200); // so that callers pile up behind the one fetch
        await using var provider = GrantClient.Build(partner, services: s => s.AddHttpClient(GrantClient.Name)
            .ConfigurePrimaryHttpMessageHandler(() => new SocketsHttpHandler { MaxConnectionsPerServer = 32 }));

        var statuses = await Concurrency.GetAllAtOnceAsync(provider.Client(), 1000);

        Assert.All(statuses, s => Assert.Equal(HttpStatusCode.OK, s));
        Assert.Equal(1, partner.TokenRequests);
        Assert.Equal(1000, partner.ApiRequests);
    }

    [Fact]
    public async Task GetAsync_ApiAnswers401_FetchesAFreshTokenAndRetriesOnce()
    {
        await using var partner = await GrantClient.StartPartnerAsync();
        await using var provider = GrantClient.Build(partner);
        var client = provider.Client();
        (await client.GetAsync("a")).Dispose();
        partner.RevokeIssuedTokens();

        using var response = await client.GetAsync("b");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(2, partner.TokenRequests);
        Assert.Equal(3, partner.ApiRequests); // a, b with the revoked token, b again

        using var next = await client.GetAsync("c");
        Assert.Equal(HttpStatusCode.OK, next.StatusCode);
        Assert.Equal(2, partner.TokenRequests); // the fresh token is the cached one now
    }

    [Fact]
    public async Task GetAsync_ApiAnswers401Again_ReturnsThe401WithoutASecondRetry()
    {
        await using var partner = await GrantClient.StartPartnerAsync();
        partner.ApiRejectsEverything = true;
        await using var provider = GrantClient.Build(partner);

        using var response = await provider.Client().GetAsync("a");

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Equal(2, partner.ApiRequests);
        Assert.Equal(2, partner.TokenRequests);
    }

    [Fact]
    public async Task GetAsync_RetryOnUnauthorizedOff_ReturnsThe401()
    {
        await using var partner = await GrantClient.StartPartnerAsync();
        partner.ApiRejectsEverything = true;
        await using var provider = GrantClient.Build(partner, o => o.RetryOnUnauthorized = false);

        using var response = await provider.Client().GetAsync("a");

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Equal(1, partner.ApiRequests);
        Assert.Equal(1, partner.TokenRequests);
    }

    [Fact]
    public async Task PostAsync_StreamBodyAnd401_SendsTheSameBodyAgain()
    {
        await using var partner = await GrantClient.StartPartnerAsync();
        await using var provider = GrantClient.Build(partner);
        var client = provider.Client();
        (await client.GetAsync("warm-up")).Dispose();
        partner.RevokeIssuedTokens();

        using var content = new StreamContent(new MemoryStream("""{"slot":"09:30"}"""u8.ToArray()));
        using var response = await client.PostAsync("appointments", content);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("""ok POST /api/appointments: {"slot":"09:30"}""", await response.Content.ReadAsStringAsync());
        Assert.Equal(3, partner.ApiRequests);
    }

    [Fact]
    public async Task Send_Synchronous_IsRefusedRatherThanSentWithoutAToken()
    {
        await using var partner = await GrantClient.StartPartnerAsync();
        await using var provider = GrantClient.Build(partner);

        var ex = Assert.Throws<NotSupportedException>(() => provider.Client().Send(new HttpRequestMessage(HttpMethod.Get, "a")));

        Assert.Contains("SendAsync", ex.Message, StringComparison.Ordinal);
        Assert.Equal(0, partner.ApiRequests);
    }

    [Theory]
    [InlineData(3600, 1)]   // cached for an hour less the margin
    [InlineData(60, 2)]     // not longer than RefreshBeforeExpiry (60 s): used once, not cached
    [InlineData(30, 2)]
    public async Task GetAsync_TwoCalls_CachesOnlyTokensThatOutliveTheMargin(int expiresIn, int tokenRequests)
    {
        await using var partner = await GrantClient.StartPartnerAsync();
        partner.ExpiresIn = expiresIn;
        await using var provider = GrantClient.Build(partner);
        var client = provider.Client();

        using var first = await client.GetAsync("a");
        using var second = await client.GetAsync("b");

        Assert.Equal(HttpStatusCode.OK, first.StatusCode);
        Assert.Equal(HttpStatusCode.OK, second.StatusCode);
        Assert.Equal(tokenRequests, partner.TokenRequests);
    }

    [Theory]
    [InlineData(true, 1)]    // DefaultTokenLifetime (5 min) applies
    [InlineData(false, 2)]   // DefaultTokenLifetime = null: used once
    public async Task GetAsync_NoExpiresIn_UsesDefaultTokenLifetime(bool withDefault, int tokenRequests)
    {
        await using var partner = await GrantClient.StartPartnerAsync();
        partner.ExpiresIn = null;
        var logs = new LogSink();
        await using var provider = GrantClient.Build(partner, o =>
        {
            if (!withDefault)
            {
                o.DefaultTokenLifetime = null;
            }
        }, logs: logs);
        var client = provider.Client();

        using var first = await client.GetAsync("a");
        using var second = await client.GetAsync("b");

        Assert.Equal(HttpStatusCode.OK, second.StatusCode);
        Assert.Equal(tokenRequests, partner.TokenRequests);
        var missing = logs.Entries.Where(e => e.Id.Name == "ExpiresInMissing").ToList();
        Assert.Equal(tokenRequests, missing.Count);
        Assert.All(missing, e => Assert.Equal(LogLevel.Information, e.Level));
        Assert.All(missing, e => Assert.Contains(withDefault ? "valid for 00:05:00" : "sent no expires_in", e.Text, StringComparison.Ordinal));
    }

    [Fact]
    public async Task GetAsync_TokenDueForRefresh_FetchesANewOneBeforeItExpires()
    {
        await using var partner = await GrantClient.StartPartnerAsync();
        partner.ExpiresIn = 100; // refreshed from 40 s on (RefreshBeforeExpiry is 60 s)

        // Note: the assertion is signed with this clock too, and the partner checks it against the real one (30 s of
        // skew allowed): the fake clock stays within 21 s of real time.
        var time = new Microsoft.Extensions.Time.Testing.FakeTimeProvider(DateTimeOffset.UtcNow.AddSeconds(-20));
        await using var provider = GrantClient.Build(partner, services: s => s.AddSingleton<TimeProvider>(time));
        var client = provider.Client();
        (await client.GetAsync("a")).Dispose();

        time.Advance(TimeSpan.FromSeconds(39));
        (await client.GetAsync("b")).Dispose();
        Assert.Equal(1, partner.TokenRequests);

        time.Advance(TimeSpan.FromSeconds(2));
        using var response = await client.GetAsync("c");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(2, partner.TokenRequests);
    }

    [Fact]
    public async Task GetAsync_NamedProfile_SignsWithThatProfile()
    {
        await using var partner = await GrantClient.StartPartnerAsync();
        var other = new SigningKeySet(TokenSigningKey.Generate("ES256", "unused"));
        await using var provider = GrantClient.Build(partner, o => o.ProfileName = "partner-profile", s =>
        {
            // The default profile has a key the partner does not know; the named one has the published key.
            s.Configure<ScopeTokenOptions>(Microsoft.Extensions.Options.Options.DefaultName, o => o.SigningKeys = other);
            s.AddArrayScopeTokens("partner-profile", o =>
            {
                o.Issuer = partner.ClientId;
                o.Audiences.Add("unused");
                o.SigningKeys = GrantClient.Keys;
            });
        });

        using var response = await provider.Client().GetAsync("a");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    [Fact]
    public async Task GetAsync_ClientIdSubjectAndAudienceSet_AssertionCarriesThem()
    {
        await using var partner = await GrantClient.StartPartnerAsync();
        await using var provider = GrantClient.Build(partner, o =>
        {
            o.ClientId = "other-client";
            o.Subject = "service-account@example";
            o.Audience = "https://partner.example";
            o.SendScopeParameter = false;
            o.Parameters["resource"] = "https://api.partner.example";
        });

        var ex = await Assert.ThrowsAsync<TokenEndpointErrorException>(() => provider.Client().GetAsync("a"));

        // The partner refuses (it expects sub = client id and aud = its endpoint), having read what was sent.
        Assert.Equal("invalid_grant", ex.Error);
        Assert.Equal("https://api.partner.example", partner.LastForm["resource"]);
        Assert.False(partner.LastForm.ContainsKey("scope"));
        var payload = new Microsoft.IdentityModel.JsonWebTokens.JsonWebToken(partner.LastForm["assertion"]);
        Assert.Equal("service-account@example", payload.Subject);
        Assert.Equal(partner.ClientId, payload.Issuer); // iss is the profile's
        Assert.Equal(new[] { "https://partner.example" }, payload.Audiences);
    }
}
