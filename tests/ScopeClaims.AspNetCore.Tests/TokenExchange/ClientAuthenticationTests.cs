using System.Net;
using System.Text;
using static ScopeClaims.AspNetCore.Tests.TokenExchange.ExchangeHost;

namespace ScopeClaims.AspNetCore.Tests.TokenExchange;

/// <summary>client_secret_basic, client_secret_post and the refusals of client authentication: 401 with a Basic challenge.</summary>
public class ClientAuthenticationTests
{
    private const string Failed = "Client authentication failed.";

    [Fact]
    public async Task Post_NoClientAuthentication_401ByDefault()
    {
        await using var host = await StartAsync();

        using var response = await host.PostAsync(Form(Exchange(Subject())));

        await AssertErrorAsync(response, HttpStatusCode.Unauthorized, "invalid_client", "Client authentication is required: client_secret_basic, client_secret_post or private_key_jwt.");
        Assert.Equal(1, host.RefusalLogs("invalid_client"));
    }

    [Fact]
    public async Task Post_ClientIdAloneWithoutAnonymousOptIn_401()
    {
        await using var host = await StartAsync();

        using var response = await host.PostAsync(Form(Exchange(Subject(), ("client_id", SecretClient))));

        await AssertErrorAsync(response, HttpStatusCode.Unauthorized, "invalid_client", "Client authentication is required: client_secret_basic, client_secret_post or private_key_jwt.");
    }

    [Theory]
    [InlineData(SecretClient)]
    [InlineData(KeyClient)]
    [InlineData("unknown-client")]
    public async Task Post_AnonymousOnClientIdWithoutCredential_401SameAnswerForEveryId(string clientId)
    {
        await using var host = await StartAsync(TokenExchangeSuccessTests.Anonymous);

        using var response = await host.PostAsync(Form(Exchange(Subject(), ("client_id", clientId))));

        await AssertErrorAsync(response, HttpStatusCode.Unauthorized, "invalid_client", "Client authentication failed.");
    }

    [Theory]
    [InlineData("audience", PartnerSecondAudience, "invalid_target", "The client may not request a token for the requested audience or resource.")]
    [InlineData("scope", "write", "invalid_scope", "The client may not obtain 1 of the requested scope(s).")]
    [InlineData("scope", "read admin", "invalid_scope", "The client may not obtain 1 of the requested scope(s).")]
    public async Task Post_AnonymousOutsideItsAllowlists_Refused(string name, string value, string error, string description)
    {
        await using var host = await StartAsync(TokenExchangeSuccessTests.Anonymous);

        using var response = await host.PostAsync(Form(Exchange(Subject("read write admin"), (name, value))));

        await AssertErrorAsync(response, HttpStatusCode.BadRequest, error, description);
    }

    [Fact]
    public async Task Post_AnonymousSubjectWithoutAnAllowedScope_InvalidScope()
    {
        await using var host = await StartAsync(TokenExchangeSuccessTests.Anonymous);

        using var response = await host.PostAsync(Form(Exchange(Subject("write admin"))));

        await AssertErrorAsync(response, HttpStatusCode.BadRequest, "invalid_scope", "The subject token grants none of the scopes this client may obtain; no token without scopes is issued.");
    }

    [Theory]
    [InlineData(SecretClient, Secret + "x")]      // wrong secret
    [InlineData(SecretClient, "billing-secret-0123456789abcdeF")] // differs in case
    [InlineData("unknown-client", Secret)]        // unknown client, same answer
    [InlineData(KeyClient, Secret)]               // a key client has no secret
    public async Task Post_SecretBasicRefused_401SameAnswer(string clientId, string secret)
    {
        await using var host = await StartAsync();

        using var response = await host.PostAsync(Form(Exchange(Subject())), BasicHeader(clientId, secret));

        await AssertErrorAsync(response, HttpStatusCode.Unauthorized, "invalid_client", Failed);
        host.AssertLogsHoldNone(secret);
    }

    [Theory]
    [InlineData(SecretClient, Secret + "x")]
    [InlineData("unknown-client", Secret)]
    public async Task Post_SecretPostRefused_401(string clientId, string secret)
    {
        await using var host = await StartAsync();

        using var response = await host.PostAsync(Form(Exchange(Subject(), ("client_id", clientId), ("client_secret", secret))));

        await AssertErrorAsync(response, HttpStatusCode.Unauthorized, "invalid_client", Failed);
    }

    [Fact]
    public async Task Post_RightSecretRecognisedAgain_WrongSecretStillRefusedAfterwards()
    {
        // The second request is served by the remembered verification, the third must not be.
        await using var host = await StartAsync();

        using var first = await host.PostAsync(Form(Exchange(Subject())), BasicHeader());
        using var second = await host.PostAsync(Form(Exchange(Subject(), ("client_id", SecretClient), ("client_secret", Secret))));
        using var wrong = await host.PostAsync(Form(Exchange(Subject())), BasicHeader(SecretClient, Secret + "x"));
        using var prefix = await host.PostAsync(Form(Exchange(Subject())), BasicHeader(SecretClient, Secret[..^1]));
        using var otherClient = await host.PostAsync(Form(Exchange(Subject())), BasicHeader(KeyClient, Secret));

        await AssertSuccessAsync(first);
        await AssertSuccessAsync(second);
        await AssertErrorAsync(wrong, HttpStatusCode.Unauthorized, "invalid_client", Failed);
        await AssertErrorAsync(prefix, HttpStatusCode.Unauthorized, "invalid_client", Failed);
        await AssertErrorAsync(otherClient, HttpStatusCode.Unauthorized, "invalid_client", Failed);
    }

    [Fact]
    public async Task Post_SecretPostWithoutClientId_401()
    {
        await using var host = await StartAsync();

        using var response = await host.PostAsync(Form(Exchange(Subject(), ("client_secret", Secret))));

        await AssertErrorAsync(response, HttpStatusCode.Unauthorized, "invalid_client", "client_secret needs client_id (client_secret_post).");
    }

    [Theory]
    [InlineData("Bearer abc")]
    [InlineData("Basic")]
    [InlineData("Basic !!!notbase64")]
    [InlineData("Basic YmlsbGluZy1zZXJ2aWNl")]    // "billing-service", no colon
    [InlineData("Basic OnNlY3JldA==")]            // ":secret", empty id
    [InlineData("Basic YmlsbGluZy1zZXJ2aWNlOg==")] // "billing-service:", empty secret
    [InlineData("Basic JUZGOnNlY3JldA==")]        // "%FF:secret", not UTF-8 once decoded
    public async Task Post_MalformedAuthorization_401(string authorization)
    {
        await using var host = await StartAsync();

        using var response = await host.PostAsync(Form(Exchange(Subject())), authorization);

        await AssertErrorAsync(response, HttpStatusCode.Unauthorized, "invalid_client", "The Authorization header is not valid HTTP Basic client authentication (RFC 6749 section 2.3.1).");
    }

    [Fact]
    public async Task Post_BasicWithFormEncodedCredentials_Issues()
    {
        // RFC 6749 §2.3.1: id and secret are form-encoded before base64; a secret with reserved characters round-trips.
        const string secret = "s3cret:with+reserved&chars%/=0123456789abcdefghijklmnop";
        await using var host = await StartAsync(o =>
        {
            var client = new TokenExchangeClient { ClientId = "odd client", SecretHash = TokenExchangeClientSecret.Hash(secret) };
            client.AllowedAudiences.Add(Partner);
            client.AllowedScopes.Add("read");
            o.Clients.Add(client);
        });

        using var response = await host.PostAsync(Form(Exchange(Subject())), BasicHeader("odd client", secret));

        await AssertSuccessAsync(response);
    }

    [Fact]
    public async Task Post_TwoAuthenticationMethods_400()
    {
        await using var host = await StartAsync();

        using var basicAndPost = await host.PostAsync(Form(Exchange(Subject(), ("client_id", SecretClient), ("client_secret", Secret))), BasicHeader());
        using var postAndAssertion = await host.PostAsync(Form(Exchange(Subject(), ("client_id", SecretClient), ("client_secret", Secret), ("client_assertion_type", AssertionType), ("client_assertion", Assertion(OurIssuer)))));

        await AssertErrorAsync(basicAndPost, HttpStatusCode.BadRequest, "invalid_request", "The request uses more than one client authentication method (RFC 6749 section 2.3).");
        await AssertErrorAsync(postAndAssertion, HttpStatusCode.BadRequest, "invalid_request", "The request uses more than one client authentication method (RFC 6749 section 2.3).");
    }

    [Fact]
    public async Task Post_ClientIdDiffersFromBasic_400()
    {
        await using var host = await StartAsync();

        using var response = await host.PostAsync(Form(Exchange(Subject(), ("client_id", KeyClient))), BasicHeader());

        await AssertErrorAsync(response, HttpStatusCode.BadRequest, "invalid_request", "The client_id parameter differs from the client authenticated by the Authorization header.");
    }

    [Fact]
    public async Task Post_TwoAuthorizationHeaders_401()
    {
        await using var host = await StartAsync();
        using var request = new HttpRequestMessage(HttpMethod.Post, EndpointPath.TrimStart('/'))
        {
            Content = new StringContent(Form(Exchange(Subject())), Encoding.UTF8, "application/x-www-form-urlencoded"),
        };
        request.Headers.TryAddWithoutValidation("Authorization", [BasicHeader(), BasicHeader()]);

        using var response = await host.Client.SendAsync(request);

        await AssertErrorAsync(response, HttpStatusCode.Unauthorized, "invalid_client", "The Authorization header is not valid HTTP Basic client authentication (RFC 6749 section 2.3.1).");
    }

    [Fact]
    public async Task Post_TwoAuthorizationHeaderLinesOverRawSocket_401()
    {
        await using var host = await StartAsync();

        var answer = await host.PostRawAsync($"Authorization: {BasicHeader()}\r\nAuthorization: {BasicHeader()}\r\n", Form(Exchange(Subject())));

        Assert.StartsWith("HTTP/1.1 401 Unauthorized\r\n", answer, StringComparison.Ordinal);
        Assert.EndsWith("{\"error\":\"invalid_client\",\"error_description\":\"The Authorization header is not valid HTTP Basic client authentication (RFC 6749 section 2.3.1).\"}", answer, StringComparison.Ordinal);
        Assert.DoesNotContain("access_token", answer, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("short")]
    [InlineData("billing-secret-0123456789abcdef0123456789a")]
    public void Hash_SecretShorterThan43Characters_Throws(string secret)
    {
        var ex = Assert.Throws<ArgumentException>(() => TokenExchangeClientSecret.Hash(secret));

        Assert.Equal("secret", ex.ParamName);
        Assert.StartsWith("A client secret must be at least 43 characters long (32 random bytes, base64url): make one with TokenExchangeClientSecret.Generate().", ex.Message, StringComparison.Ordinal);
        Assert.DoesNotContain(secret, ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Hash_SameSecretTwice_DifferentSaltsAndTheDocumentedFormat()
    {
        var first = TokenExchangeClientSecret.Hash(Secret);
        var second = TokenExchangeClientSecret.Hash(Secret);

        Assert.NotEqual(first, second);
        Assert.Matches(@"^hmac-sha256\$[A-Za-z0-9+/]{22}==\$[A-Za-z0-9+/]{43}=$", first);
        Assert.DoesNotContain(Secret, first, StringComparison.Ordinal);
    }

    [Fact]
    public void Hash_IsTheHmacSha256OfTheSecretKeyedByTheSalt()
    {
        var parts = TokenExchangeClientSecret.Hash(Secret).Split('$');

        var expected = System.Security.Cryptography.HMACSHA256.HashData(Convert.FromBase64String(parts[1]), System.Text.Encoding.UTF8.GetBytes(Secret));

        Assert.Equal(Convert.ToBase64String(expected), parts[2]);
    }

    [Fact]
    public void Generate_ThirtyTwoRandomBytesAsBase64Url_DifferentEachTimeAndHashable()
    {
        var secrets = Enumerable.Range(0, 16).Select(_ => TokenExchangeClientSecret.Generate()).ToArray();

        Assert.All(secrets, s => Assert.Matches("^[A-Za-z0-9_-]{43}$", s));
        Assert.Equal(16, secrets.Distinct(StringComparer.Ordinal).Count());
        Assert.All(secrets, s => Assert.StartsWith("hmac-sha256$", TokenExchangeClientSecret.Hash(s), StringComparison.Ordinal));
    }

    [Fact]
    public async Task Post_GeneratedSecret_IssuesAndAWrongOneIsRefused()
    {
        var secret = TokenExchangeClientSecret.Generate();
        await using var host = await StartAsync(o => o.Clients[0].SecretHash = TokenExchangeClientSecret.Hash(secret));

        using var right = await host.PostAsync(Form(Exchange(Subject())), BasicHeader(SecretClient, secret));
        using var wrong = await host.PostAsync(Form(Exchange(Subject())), BasicHeader(SecretClient, TokenExchangeClientSecret.Generate()));

        await AssertSuccessAsync(right);
        await AssertErrorAsync(wrong, HttpStatusCode.Unauthorized, "invalid_client", "Client authentication failed.");
    }

    [Fact]
    public void Hash_Null_Throws() => Assert.Throws<ArgumentNullException>(() => TokenExchangeClientSecret.Hash(null!));
}
