using System.Net;
using Microsoft.Extensions.Caching.Distributed;
using Microsoft.Extensions.DependencyInjection;
using ScopeClaims.Http.Tests.Infrastructure;
using ScopeClaims.Testing.Partner;

namespace ScopeClaims.Http.Tests.TokenExchange;

/// <summary>The token exchange (RFC 8693), client side, against the strict fake partner: each client authentication method, the cache per subject token, and what it shares with the other grants.</summary>
public class TokenExchangeGrantTests
{
    private const string Alice = "alice-opaque-subject-token-0001";
    private const string Bob = "bob-opaque-subject-token-0002";

    public static TheoryData<ClientAuthenticationMethod> Methods => new()
    {
        ClientAuthenticationMethod.None,
        ClientAuthenticationMethod.ClientSecretBasic,
        ClientAuthenticationMethod.ClientSecretPost,
        ClientAuthenticationMethod.PrivateKeyJwt,
    };

    [Theory]
    [MemberData(nameof(Methods))]
    public async Task GetAsync_EachClientAuthentication_ExchangesTheSubjectTokenForOneThePartnerAccepts(ClientAuthenticationMethod method)
    {
        await using var partner = await FakePartners.StartTokenExchangeAsync(method, Alice);
        await using var provider = FakePartners.BuildTokenExchange(partner, method, o =>
        {
            o.Scopes = ScopeSet.Parse("orders:read");
            o.Resource = new Uri("https://orders.example/");
            o.RequestedTokenType = TokenExchangeGrantOptions.AccessTokenType;
        });

        using var response = await provider.Client().GetAsSubjectAsync("orders", Alice);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var request = Assert.Single(partner.TokenRequests);
        Assert.Equal(200, request.StatusCode);
        Assert.Equal("urn:ietf:params:oauth:grant-type:token-exchange", request.GrantType);
        Assert.Equal(Alice, request.Form["subject_token"]);
        Assert.Equal(TokenExchangeGrantOptions.AccessTokenType, request.Form["subject_token_type"]);
        Assert.Equal(TokenExchangeGrantOptions.AccessTokenType, request.Form["requested_token_type"]);
        Assert.Equal("orders-api", request.Form["audience"]);
        Assert.Equal("https://orders.example/", request.Form["resource"]);
        Assert.Equal("orders:read", request.Form["scope"]);
        Assert.Equal(method == ClientAuthenticationMethod.PrivateKeyJwt, request.ClientAssertion is not null);
        Assert.Equal(request.IssuedToken, Assert.Single(partner.ApiRequests).Authorization!["Bearer ".Length..]);
    }

    [Fact]
    public async Task GetAsync_TwoSubjects_EachGetsItsOwnCachedToken()
    {
        await using var partner = await FakePartners.StartTokenExchangeAsync(ClientAuthenticationMethod.ClientSecretBasic, Alice, Bob);
        await using var provider = FakePartners.BuildTokenExchange(partner, ClientAuthenticationMethod.ClientSecretBasic);
        var client = provider.Client();

        (await client.GetAsSubjectAsync("a", Alice)).Dispose();
        (await client.GetAsSubjectAsync("b", Bob)).Dispose();
        (await client.GetAsSubjectAsync("c", Alice)).Dispose();
        (await client.GetAsSubjectAsync("d", Bob)).Dispose();

        Assert.Equal([Alice, Bob], partner.TokenRequests.Select(r => r.Form["subject_token"]));
        var api = partner.ApiRequests;
        Assert.All(api, static r => Assert.True(r.Accepted));
        Assert.Equal(api[0].Authorization, api[2].Authorization);
        Assert.Equal(api[1].Authorization, api[3].Authorization);
        Assert.NotEqual(api[0].Authorization, api[1].Authorization);
    }

    [Fact]
    public async Task GetAsync_SharedCache_HoldsTheSubjectTokensHashNeverTheToken()
    {
        await using var partner = await FakePartners.StartTokenExchangeAsync(ClientAuthenticationMethod.ClientSecretPost, Alice);
        var shared = new RecordingDistributedCache();
        await using var provider = FakePartners.BuildTokenExchange(partner, ClientAuthenticationMethod.ClientSecretPost, services: s => s.AddSingleton<IDistributedCache>(shared));

        (await provider.Client().GetAsSubjectAsync("a", Alice)).Dispose();

        var (key, value) = Assert.Single(shared.Writes);
        Assert.Contains("scopeclaims:token-exchange:", key, StringComparison.Ordinal);
        Assert.DoesNotContain(Alice, key, StringComparison.Ordinal);
        Assert.DoesNotContain(Alice, value, StringComparison.Ordinal);
        Assert.Contains(partner.IssuedTokens[0], value, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(30, 2)]      // the subject expires within RefreshBeforeExpiry (60 s): the exchanged token is used once, not cached
    [InlineData(3600, 1)]    // the subject outlives the margin: the exchanged token is cached
    public async Task GetAsync_JwtSubject_ExchangedTokenIsNotCachedPastTheSubjectsExpiry(int subjectSeconds, int tokenRequests)
    {
        var subject = FakePartners.SubjectJwt(TimeSpan.FromSeconds(subjectSeconds));
        await using var partner = await FakePartners.StartTokenExchangeAsync(ClientAuthenticationMethod.ClientSecretBasic, subject);
        await using var provider = FakePartners.BuildTokenExchange(partner, ClientAuthenticationMethod.ClientSecretBasic, o => o.SubjectTokenType = TokenExchangeGrantOptions.JwtTokenType);

        using var first = await provider.Client().GetAsSubjectAsync("a", subject);
        using var second = await provider.Client().GetAsSubjectAsync("b", subject);

        Assert.Equal(HttpStatusCode.OK, first.StatusCode);
        Assert.Equal(HttpStatusCode.OK, second.StatusCode);
        Assert.Equal(tokenRequests, partner.TokenRequests.Count);   // the partner says expires_in 3600 either way
    }

    [Fact]
    public async Task GetAsync_NoSubjectToken_ThrowsBeforeSendingAnything()
    {
        await using var partner = await FakePartners.StartTokenExchangeAsync(ClientAuthenticationMethod.ClientSecretBasic, Alice);
        await using var provider = FakePartners.BuildTokenExchange(partner, ClientAuthenticationMethod.ClientSecretBasic);

        var ex = await Assert.ThrowsAsync<SubjectTokenUnavailableException>(() => provider.Client().GetAsync("a"));

        Assert.Contains("HttpClient 'partner'", ex.Message, StringComparison.Ordinal);
        Assert.Empty(partner.TokenRequests);
        Assert.Empty(partner.ApiRequests);
    }

    [Fact]
    public async Task GetAsync_SubjectThePartnerRefuses_IsTypedAndNeverQuotesTheSubject()
    {
        await using var partner = await FakePartners.StartTokenExchangeAsync(ClientAuthenticationMethod.ClientSecretBasic, Alice);
        await using var provider = FakePartners.BuildTokenExchange(partner, ClientAuthenticationMethod.ClientSecretBasic);

        var ex = await Assert.ThrowsAsync<TokenEndpointErrorException>(() => provider.Client().GetAsSubjectAsync("a", Bob));

        Assert.Equal("invalid_grant", ex.Error);
        Assert.DoesNotContain(Bob, ex.ToString(), StringComparison.Ordinal);
        Assert.Empty(partner.ApiRequests);
    }

    [Fact]
    public async Task GetAsync_1000ConcurrentFirstCallsOfOneSubject_MakeExactlyOneTokenRequest()
    {
        await using var partner = await FakePartners.StartTokenExchangeAsync(ClientAuthenticationMethod.ClientSecretBasic, Alice);
        partner.FailNextTokenRequests(FakePartnerFailure.Slow(TimeSpan.FromMilliseconds(200))); // callers pile up behind the one fetch
        await using var provider = FakePartners.BuildTokenExchange(partner, ClientAuthenticationMethod.ClientSecretBasic, services: s => s.AddHttpClient(FakePartners.Name)
            .ConfigurePrimaryHttpMessageHandler(() => new SocketsHttpHandler { MaxConnectionsPerServer = 32 })
            .ConfigureHttpClient(c => c.DefaultRequestHeaders.Add("X-Subject", Alice)));

        var statuses = await Concurrency.GetAllAtOnceAsync(provider.Client(), 1000);

        Assert.All(statuses, s => Assert.Equal(HttpStatusCode.OK, s));
        Assert.Single(partner.TokenRequests);
        Assert.Equal(1000, partner.ApiRequests.Count);
    }

    [Theory]
    [MemberData(nameof(Methods))]
    public async Task GetAsync_ApiAnswers401_ExchangesAgainAndRetriesOnce(ClientAuthenticationMethod method)
    {
        await using var partner = await FakePartners.StartTokenExchangeAsync(method, Alice);
        await using var provider = FakePartners.BuildTokenExchange(partner, method);
        (await provider.Client().GetAsSubjectAsync("a", Alice)).Dispose();
        partner.RevokeIssuedTokens();

        using var response = await provider.Client().GetAsSubjectAsync("b", Alice);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(2, partner.IssuedTokens.Count);
        Assert.Equal(3, partner.ApiRequests.Count);
        Assert.All(partner.TokenRequests, static r => Assert.Equal(Alice, r.Form["subject_token"]));
    }

    [Theory]
    [MemberData(nameof(Methods))]
    public async Task GetAsync_BadServerInput_KeepsItsTypedExceptionAndCachesNothing(ClientAuthenticationMethod method)
    {
        await using var partner = await FakePartners.StartTokenExchangeAsync(method, Alice);
        await using var provider = FakePartners.BuildTokenExchange(partner, method, o => o.TokenRequestTimeout = TimeSpan.FromMilliseconds(300));

        // An RFC 8693 answer whose token is not a Bearer access token (token_type N_A) is not usable as one.
        await BadServerInput.AssertEachTypedAndNothingCachedAsync(partner, () => provider.Client().GetAsSubjectAsync("a", Alice), "invalid_target",
            """{"access_token":"a","issued_token_type":"urn:ietf:params:oauth:token-type:jwt","token_type":"N_A"}""");
    }

    private const string Missing = "issued_token_type is missing or not a string (RFC 8693 §2.2.1 requires it)";
    private const string NotBearer = "issued_token_type is neither an access token nor a JWT (RFC 8693 §3), so the token cannot be sent as a Bearer access token";
    private const string NotRequested = "issued_token_type is not the requested_token_type (TokenExchangeGrantOptions.RequestedTokenType)";

    public static TheoryData<string?, string, string?> IssuedTokenTypes => new()
    {
        // requested_token_type, the issued_token_type member of the answer, the refusal (null: the token is used)
        { null, "", Missing },
        { null, ",\"issued_token_type\":7", Missing },
        { null, ",\"issued_token_type\":null", Missing },
        { null, ",\"issued_token_type\":\"urn:ietf:params:oauth:token-type:refresh_token\"", NotBearer },
        { null, ",\"issued_token_type\":\"urn:ietf:params:oauth:token-type:id_token\"", NotBearer },
        { null, ",\"issued_token_type\":\"urn:ietf:params:oauth:token-type:saml2\"", NotBearer },
        { null, ",\"issued_token_type\":\"URN:IETF:PARAMS:OAUTH:TOKEN-TYPE:ACCESS_TOKEN\"", NotBearer },
        { null, ",\"issued_token_type\":\"urn:ietf:params:oauth:token-type:access_token\"", null },
        { null, ",\"issued_token_type\":\"urn:ietf:params:oauth:token-type:jwt\"", null },
        { TokenExchangeGrantOptions.AccessTokenType, ",\"issued_token_type\":\"urn:ietf:params:oauth:token-type:jwt\"", NotRequested },
        { TokenExchangeGrantOptions.AccessTokenType, ",\"issued_token_type\":\"urn:ietf:params:oauth:token-type:access_token\"", null },
    };

    [Theory]
    [MemberData(nameof(IssuedTokenTypes))]
    public async Task GetAsync_IssuedTokenType_MustBeTheRequestedTypeOrAnAccessToken(string? requested, string member, string? refusal)
    {
        await using var partner = await FakePartners.StartTokenExchangeAsync(ClientAuthenticationMethod.ClientSecretBasic, Alice);
        await using var provider = FakePartners.BuildTokenExchange(partner, ClientAuthenticationMethod.ClientSecretBasic, o => o.RequestedTokenType = requested);
        partner.FailNextTokenRequests(FakePartnerFailure.Response(200, "application/json", $$"""{"access_token":"issued-by-the-test","token_type":"Bearer","expires_in":3600{{member}}}"""));

        if (refusal is null)
        {
            (await provider.Client().GetAsSubjectAsync("a", Alice)).Dispose();
            Assert.Equal("Bearer issued-by-the-test", partner.ApiRequests[0].Authorization);
            return;
        }

        var ex = await Assert.ThrowsAsync<InvalidTokenResponseException>(() => provider.Client().GetAsSubjectAsync("a", Alice));
        Assert.Contains(refusal, ex.Message, StringComparison.Ordinal);
        Assert.Empty(partner.ApiRequests);
        using var next = await provider.Client().GetAsSubjectAsync("b", Alice);   // nothing was cached: a fresh exchange
        Assert.Equal(HttpStatusCode.OK, next.StatusCode);
        Assert.Equal(2, partner.TokenRequests.Count);
    }

    [Theory]
    [MemberData(nameof(Methods))]
    public async Task Logs_AtEveryLevel_NeverContainSubjectTokensTokensSecretsOrClientAssertions(ClientAuthenticationMethod method)
    {
        await using var partner = await FakePartners.StartTokenExchangeAsync(method, Alice);
        var logs = new LogSink();
        await using var provider = FakePartners.BuildTokenExchange(partner, method, services: s =>
        {
            // Every header value in clear, but the test's own stand-in for the caller's token (X-Subject).
            s.AddHttpClient(FakePartners.Name).RedactLoggedHeaders(static h => h == "X-Subject");
            s.AddHttpClient(JwtBearerGrantOptions.DefaultTokenClientName).RedactLoggedHeaders(_ => false);
        }, logs: logs);
        var client = provider.Client();

        (await client.GetAsSubjectAsync("a", Alice)).Dispose();
        partner.RevokeIssuedTokens();
        (await client.GetAsSubjectAsync("b", Alice)).Dispose();                              // 401, retry with a fresh token
        await Assert.ThrowsAsync<TokenEndpointErrorException>(() => client.GetAsSubjectAsync("c", Bob));   // refused subject

        var ours = logs.Entries.Where(e => e.Category == "ScopeClaims.Http.JwtBearerGrant").ToList();
        Assert.Contains(ours, e => e.Id.Name == "RequestingToken");
        Assert.Contains(ours, e => e.Id.Name == "RetryingAfterUnauthorized");
        Assert.Contains(ours, e => e.Id.Name == "TokenEndpointError");
        var secrets = partner.IssuedTokens.Concat(partner.TokenRequests.Select(r => r.ClientAssertion).OfType<string>())
            .Concat(partner.TokenRequests.Select(r => r.Authorization).OfType<string>()).Append(FakePartners.Secret).Append(Alice).Append(Bob).ToList();
        foreach (var entry in logs.Entries)
        {
            foreach (var secret in secrets)
            {
                Assert.DoesNotContain(secret, entry.Text, StringComparison.Ordinal);
            }
        }
    }
}
