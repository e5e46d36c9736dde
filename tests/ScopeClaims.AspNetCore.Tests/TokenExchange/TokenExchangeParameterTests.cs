using System.Net;
using static ScopeClaims.AspNetCore.Tests.TokenExchange.ExchangeHost;

namespace ScopeClaims.AspNetCore.Tests.TokenExchange;

/// <summary>The RFC 8693 §2.1 parameters: each refusal with its exact status and body.</summary>
public class TokenExchangeParameterTests
{
    [Fact]
    public async Task Post_NoGrantType_InvalidRequest()
    {
        await using var host = await StartAsync();

        using var response = await host.ExchangeAsync(("subject_token", Subject()), ("subject_token_type", AccessTokenType));

        await AssertErrorAsync(response, HttpStatusCode.BadRequest, "invalid_request", "grant_type is required.");
    }

    [Theory]
    [InlineData("client_credentials")]
    [InlineData("urn:ietf:params:oauth:grant-type:jwt-bearer")]
    [InlineData("URN:IETF:PARAMS:OAUTH:GRANT-TYPE:TOKEN-EXCHANGE")]
    public async Task Post_OtherGrantType_UnsupportedGrantType(string grantType)
    {
        await using var host = await StartAsync();

        using var response = await host.ExchangeAsync(("grant_type", grantType), ("subject_token", Subject()), ("subject_token_type", AccessTokenType));

        await AssertErrorAsync(response, HttpStatusCode.BadRequest, "unsupported_grant_type", $"This endpoint supports the grant type '{TokenExchangeGrant}' only.");
    }

    [Theory]
    [InlineData(true, false)]
    [InlineData(false, true)]
    [InlineData(false, false)]
    public async Task Post_MissingSubjectTokenOrType_InvalidRequest(bool token, bool type)
    {
        await using var host = await StartAsync();
        var pairs = new List<(string, string)> { ("grant_type", TokenExchangeGrant) };
        if (token)
        {
            pairs.Add(("subject_token", Subject()));
        }

        if (type)
        {
            pairs.Add(("subject_token_type", AccessTokenType));
        }

        using var response = await host.ExchangeAsync([.. pairs]);

        await AssertErrorAsync(response, HttpStatusCode.BadRequest, "invalid_request", "subject_token and subject_token_type are required (RFC 8693 section 2.1).");
    }

    [Fact]
    public async Task Post_EmptySubjectToken_IsOmittedSoInvalidRequest()
    {
        await using var host = await StartAsync();

        using var response = await host.ExchangeAsync(("grant_type", TokenExchangeGrant), ("subject_token", ""), ("subject_token_type", AccessTokenType));

        await AssertErrorAsync(response, HttpStatusCode.BadRequest, "invalid_request", "subject_token and subject_token_type are required (RFC 8693 section 2.1).");
    }

    [Theory]
    [InlineData("urn:ietf:params:oauth:token-type:id_token")]
    [InlineData("urn:ietf:params:oauth:token-type:saml2")]
    [InlineData("urn:ietf:params:oauth:token-type:refresh_token")]
    public async Task Post_UnsupportedSubjectTokenType_InvalidRequest(string type)
    {
        await using var host = await StartAsync();

        using var response = await host.ExchangeAsync(("grant_type", TokenExchangeGrant), ("subject_token", Subject()), ("subject_token_type", type));

        await AssertErrorAsync(response, HttpStatusCode.BadRequest, "invalid_request", $"subject_token_type must be '{AccessTokenType}' or '{JwtTokenType}'.");
    }

    [Fact]
    public async Task Post_UnsupportedRequestedTokenType_InvalidRequest()
    {
        await using var host = await StartAsync();

        using var response = await host.ExchangeAsync(Exchange(Subject(), ("requested_token_type", "urn:ietf:params:oauth:token-type:refresh_token")));

        await AssertErrorAsync(response, HttpStatusCode.BadRequest, "invalid_request", $"requested_token_type must be '{AccessTokenType}' or '{JwtTokenType}': this endpoint issues signed JWT access tokens.");
    }

    [Theory]
    [InlineData("audience", "https://unknown.test")]
    [InlineData("resource", "https://unknown.test/")]
    [InlineData("audience", "https://PARTNER.test")]
    public async Task Post_UnknownTarget_InvalidTarget(string name, string value)
    {
        await using var host = await StartAsync();

        using var response = await host.ExchangeAsync(Exchange(Subject(), (name, value)));

        await AssertErrorAsync(response, HttpStatusCode.BadRequest, "invalid_target", "The requested audience or resource is not one this endpoint issues tokens for.");
    }

    [Theory]
    [InlineData("partner.test")]
    [InlineData("/relative")]
    [InlineData("https://partner.test#fragment")]
    public async Task Post_ResourceNotAnAbsoluteUriWithoutFragment_InvalidTarget(string resource)
    {
        await using var host = await StartAsync();

        using var response = await host.ExchangeAsync(Exchange(Subject(), ("resource", resource)));

        await AssertErrorAsync(response, HttpStatusCode.BadRequest, "invalid_target", "resource must be an absolute URI without a fragment (RFC 8707 section 2).");
    }

    [Fact]
    public async Task Post_AudienceTheClientMayNotRequest_InvalidTarget()
    {
        await using var host = await StartAsync(twoTargets: true);

        using var response = await host.PostAsync(Form(Exchange(Subject(), ("audience", Reports), ("client_id", SecretClient), ("client_secret", Secret))), null);
        using var keyClient = await host.PostAsync(Form(Exchange(Subject(), ("audience", PartnerSecondAudience), ("client_assertion_type", AssertionType), ("client_assertion", Assertion(OurIssuer)))));

        await AssertSuccessAsync(response);
        await AssertErrorAsync(keyClient, HttpStatusCode.BadRequest, "invalid_target", "The client may not request a token for the requested audience or resource.");
    }

    [Fact]
    public async Task Post_AudienceAndResourceOfDifferentTargets_InvalidTarget()
    {
        await using var host = await StartAsync(twoTargets: true);

        using var response = await host.ExchangeAsync(Exchange(Subject(), ("audience", Partner), ("resource", Reports)));

        await AssertErrorAsync(response, HttpStatusCode.BadRequest, "invalid_target", "audience and resource name different targets.");
    }

    [Fact]
    public async Task Post_NoAudienceWithSeveralTargets_InvalidRequest()
    {
        await using var host = await StartAsync(twoTargets: true);

        using var response = await host.ExchangeAsync(Exchange(Subject()));

        await AssertErrorAsync(response, HttpStatusCode.BadRequest, "invalid_request", "audience or resource is required: this endpoint issues tokens for several targets.");
    }

    [Theory]
    [InlineData("read admin")]
    [InlineData("delete")]
    public async Task Post_ScopeTheSubjectDoesNotGrant_InvalidScope(string scope)
    {
        await using var host = await StartAsync(o => o.Clients[0].AllowedScopes.Add(scope.Split(' ')[^1]));

        using var response = await host.ExchangeAsync(Exchange(Subject("read write"), ("scope", scope)));

        await AssertErrorAsync(response, HttpStatusCode.BadRequest, "invalid_scope", "The subject token does not grant every requested scope: 1 requested scope(s) are not granted by the token.");
    }

    [Theory]
    [InlineData("admin")]
    [InlineData("READ WRITE")]
    [InlineData("delete admin")]
    public async Task Post_SubjectGrantsNoneOfTheClientsScopes_InvalidScopeAndNoToken(string subjectScopes)
    {
        await using var host = await StartAsync();

        using var response = await host.ExchangeAsync(Exchange(Subject(subjectScopes)));

        await AssertErrorAsync(response, HttpStatusCode.BadRequest, "invalid_scope", "The subject token grants none of the scopes this client may obtain; no token without scopes is issued.");
        Assert.Equal(0, host.Logs.Entries.Count(e => e.Event.Name == "TokenExchanged"));
    }

    [Theory]
    [InlineData("READ")]
    [InlineData("read Write")]
    public async Task Post_ScopeOfAnotherCase_IsAnotherScopeTheClientMayNotObtain(string scope)
    {
        await using var host = await StartAsync();

        using var response = await host.ExchangeAsync(Exchange(Subject("read write READ Write"), ("scope", scope)));

        await AssertErrorAsync(response, HttpStatusCode.BadRequest, "invalid_scope", "The client may not obtain 1 of the requested scope(s).");
    }

    [Fact]
    public async Task Post_ScopeTheClientMayNotObtain_InvalidScope()
    {
        await using var host = await StartAsync();

        using var response = await host.ExchangeAsync(Exchange(Subject("read write admin"), ("scope", "read admin")));

        await AssertErrorAsync(response, HttpStatusCode.BadRequest, "invalid_scope", "The client may not obtain 1 of the requested scope(s).");
    }

    [Theory]
    [InlineData("read  write")]
    [InlineData(" read")]
    [InlineData("read\"")]
    [InlineData("caf\u00e9")]
    [InlineData(" ")]
    public async Task Post_ScopeOutsideTheGrammar_InvalidScope(string scope)
    {
        await using var host = await StartAsync();

        using var response = await host.ExchangeAsync(Exchange(Subject(), ("scope", scope)));

        await AssertErrorAsync(response, HttpStatusCode.BadRequest, "invalid_scope", "scope is not a space-delimited list of valid scope tokens (RFC 6749 section 3.3).");
    }

    [Fact]
    public async Task Post_ExpiredSubjectToken_InvalidGrantNamingTheReason()
    {
        await using var host = await StartAsync();
        var now = DateTimeOffset.UtcNow.ToUnixTimeSeconds();
        var subject = SignedSubject($$"""{"iss":"{{TestTokens.Issuer}}","aud":"{{TestTokens.Audience}}","sub":"c","iat":{{now - 600}},"exp":{{now - 300}},"scope":"read"}""");

        using var response = await host.ExchangeAsync(Exchange(subject));

        await AssertErrorAsync(response, HttpStatusCode.BadRequest, "invalid_grant", "The subject token was refused (Expired): The token has expired. (SecurityTokenExpiredException, IDX10223)");
        host.AssertLogsHoldNone(subject);
    }

    [Fact]
    public async Task Post_SubjectSignedByAnotherKey_InvalidGrant()
    {
        await using var host = await StartAsync();

        using var response = await host.ExchangeAsync(Exchange(TestTokens.Create("\"scope\":\"read\"", TestTokens.OtherKey)));

        await AssertErrorAsync(response, HttpStatusCode.BadRequest, "invalid_grant", "The subject token was refused (InvalidSignature): The token's signature does not verify. (SecurityTokenInvalidSignatureException, IDX10511)");
    }

    [Theory]
    [InlineData("\"scope\":[\"read\",{\"x\":1}]")]
    [InlineData("\"scope\":42")]
    [InlineData("\"scope\":[\"read write\"]")]
    public async Task Post_SubjectWithHostileScopeShape_InvalidGrant(string members)
    {
        await using var host = await StartAsync();

        using var response = await host.ExchangeAsync(Exchange(TestTokens.Create(members)));

        var body = await response.Content.ReadAsStringAsync();
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.StartsWith("{\"error\":\"invalid_grant\",\"error_description\":\"The subject token was refused (InvalidScope): The token's scopes are refused: ", body, StringComparison.Ordinal);
        Assert.DoesNotContain("access_token", body, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("not-a-token")]
    [InlineData("a.b.c")]
    public async Task Post_SubjectNotAJws_InvalidGrant(string subject)
    {
        await using var host = await StartAsync();

        using var response = await host.ExchangeAsync(Exchange(subject));

        var body = await response.Content.ReadAsStringAsync();
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.StartsWith("{\"error\":\"invalid_grant\",\"error_description\":\"The subject token was refused (Malformed): ", body, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Post_OurOwnIssuedToken_InvalidGrant()
    {
        await using var host = await StartAsync();
        using var first = await host.ExchangeAsync(Exchange(Subject()));
        var issued = (await AssertSuccessAsync(first)).GetProperty("access_token").GetString()!;

        using var again = await host.ExchangeAsync(Exchange(issued));

        var body = await again.Content.ReadAsStringAsync();
        Assert.Equal(HttpStatusCode.BadRequest, again.StatusCode);
        Assert.StartsWith("{\"error\":\"invalid_grant\",\"error_description\":\"The subject token was refused (", body, StringComparison.Ordinal);
        Assert.DoesNotContain(issued, body, StringComparison.Ordinal);
    }

    private static string SignedSubject(string payload) =>
        new Microsoft.IdentityModel.JsonWebTokens.JsonWebTokenHandler { SetDefaultTimesOnTokenCreation = false }.CreateToken(payload, TestTokens.Key.Credentials);
}
