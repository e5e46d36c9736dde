using System.Net;
using ScopeClaims.AspNetCore.Internal;
using static ScopeClaims.AspNetCore.Tests.TokenExchange.ExchangeHost;

namespace ScopeClaims.AspNetCore.Tests.TokenExchange;

/// <summary>private_key_jwt (RFC 7523 §2.2 and §3): every rule of the client assertion, each refusal a 401.</summary>
public class ClientAssertionTests
{
    private static (string, string)[] WithAssertion(string assertion, params (string, string)[] more) =>
        Exchange(Subject(), [("client_assertion_type", AssertionType), ("client_assertion", assertion), .. more]);

    [Fact]
    public async Task Post_AssertionForTheIssuer_Issues()
    {
        await using var host = await StartAsync();
        var assertion = Assertion(OurIssuer);

        using var response = await host.PostAsync(Form(WithAssertion(assertion)));

        var body = await AssertSuccessAsync(response);
        Assert.Equal("read", body.GetProperty("scope").GetString());
        host.AssertLogsHoldNone(assertion);
    }

    [Fact]
    public async Task Post_AssertionForTheConfiguredEndpointUrl_IssuesAndClientIdMayAccompanyIt()
    {
        await using var host = await StartAsync(o => o.TokenEndpoint = new Uri("https://api.test/oauth2/token"));

        using var response = await host.PostAsync(Form(WithAssertion(Assertion("https://api.test/oauth2/token"), ("client_id", KeyClient))));

        await AssertSuccessAsync(response);
    }

    [Fact]
    public async Task Post_SameAssertionTwice_SecondRefusedAsReplay()
    {
        await using var host = await StartAsync();
        var assertion = Assertion(OurIssuer);

        using var first = await host.PostAsync(Form(WithAssertion(assertion)));
        using var second = await host.PostAsync(Form(WithAssertion(assertion)));

        await AssertSuccessAsync(first);
        await AssertErrorAsync(second, HttpStatusCode.Unauthorized, "invalid_client", "The client assertion's 'jti' has been used before; make a fresh assertion for each request (RFC 7523 section 3).");
    }

    [Fact]
    public async Task Post_SameJtiInTwoAssertionsOfOneClient_SecondRefused()
    {
        await using var host = await StartAsync();

        using var first = await host.PostAsync(Form(WithAssertion(Assertion(OurIssuer, jti: "fixed-jti"))));
        using var second = await host.PostAsync(Form(WithAssertion(Assertion(OurIssuer, jti: "fixed-jti", expiresIn: 90))));

        await AssertSuccessAsync(first);
        Assert.Equal(HttpStatusCode.Unauthorized, second.StatusCode);
    }

    [Fact]
    public async Task Post_ConcurrentUsesOfOneAssertion_ExactlyOneIssues()
    {
        await using var host = await StartAsync();
        var body = Form(WithAssertion(Assertion(OurIssuer)));

        var responses = await Task.WhenAll(Enumerable.Range(0, 16).Select(_ => host.PostAsync(body)));

        Assert.Equal(1, responses.Count(r => r.StatusCode == HttpStatusCode.OK));
        Assert.Equal(15, responses.Count(r => r.StatusCode == HttpStatusCode.Unauthorized));
        foreach (var response in responses)
        {
            response.Dispose();
        }
    }

    public static TheoryData<string, string> Refused => new()
    {
        { Assertion("https://elsewhere.test"), "The client assertion's 'aud' must be one string: this token endpoint's URL (TokenEndpoint) or a target profile's issuer, exactly." },
        { Assertion("http://127.0.0.1/oauth2/token"), "The client assertion's 'aud' must be one string: this token endpoint's URL (TokenEndpoint) or a target profile's issuer, exactly." },
        { Assertion(OurIssuer, expiresIn: -120), "The client assertion was refused: The token has expired." },
        { Assertion(OurIssuer, expiresIn: null), "The client assertion was refused: The token has no 'exp' claim." },
        { Assertion(OurIssuer, expiresIn: 3600), "The client assertion's 'exp' is more than 300 seconds away." },
        { Assertion(OurIssuer, jti: ""), "The client assertion needs a 'jti' of 1 to 256 characters, so that it is used once." },
        { Assertion(OurIssuer, jti: new string('j', 257)), "The client assertion needs a 'jti' of 1 to 256 characters, so that it is used once." },
        { Assertion(OurIssuer, subject: "someone-else"), "The client assertion's 'iss' and 'sub' must both be the client id (RFC 7523 section 3)." },
        { Assertion(OurIssuer, clientId: "unknown-client"), "Client authentication failed." },
        { Assertion(OurIssuer, clientId: SecretClient), "Client authentication failed." },

        // A signature that does not verify, or a kid no registered key has, reads as an unknown client does (whatever
        // else is wrong with the assertion: the signature is checked first), so client ids that hold keys cannot be
        // told from others; an unknown client's assertion is verified against a decoy key of its algorithm.
        { Assertion(OurIssuer, key: OtherClientKey), "Client authentication failed." },
        { Assertion(OurIssuer, key: OtherClientKey, expiresIn: -120), "Client authentication failed." },
        { Assertion(OurIssuer, key: TokenSigningKey.Generate("RS256", "client-9")), "Client authentication failed." },
        { Assertion(OurIssuer, key: TokenSigningKey.Generate("RS256", "client-9"), expiresIn: -120), "Client authentication failed." },
        { Assertion(OurIssuer, key: TokenSigningKey.Generate("RS256", "client-9"), expiresIn: null), "Client authentication failed." },
        { Assertion(OurIssuer, key: TokenSigningKey.Generate("RS256", "client-9"), expiresIn: 900, extra: "\"nbf\":" + (DateTimeOffset.UtcNow.ToUnixTimeSeconds() + 600)), "Client authentication failed." },
        { Assertion(OurIssuer, key: TokenSigningKey.Generate("ES256", "client-9"), expiresIn: -120), "Client authentication failed." },
        { Assertion(OurIssuer, expiresIn: 60, extra: "\"nbf\":" + (DateTimeOffset.UtcNow.ToUnixTimeSeconds() + 120)), "The client assertion was refused: The token's lifetime is invalid (nbf after exp)." },
        { Assertion(OurIssuer, key: TokenSigningKey.Generate("ES256", "client-1")), "Client authentication failed." },
        { Assertion(OurIssuer, clientId: "unknown-client", key: TokenSigningKey.Generate("ES512")), "Client authentication failed." },
        { Assertion(OurIssuer, clientId: "unknown-client", key: TokenSigningKey.Generate("PS384")), "Client authentication failed." },
        { Assertion(OurIssuer, expiresIn: 900, extra: "\"nbf\":" + (DateTimeOffset.UtcNow.ToUnixTimeSeconds() + 600)), "The client assertion was refused: The token is not yet valid (nbf is in the future)." },
        { Assertion(OurIssuer, key: TokenSigningKey.FromSymmetricKey(System.Security.Cryptography.RandomNumberGenerator.GetBytes(32), "HS256", "client-1")), "The client assertion's 'alg' must be one of RS256, RS384, RS512, PS256, PS384, PS512, ES256, ES384, ES512." },
        { Assertion(OurIssuer).Split('.')[0] + "." + Assertion(OurIssuer).Split('.')[1] + ".", "The client assertion's 'alg' must be one of RS256, RS384, RS512, PS256, PS384, PS512, ES256, ES384, ES512." },
        { "not.a.jws", "The client assertion is not a well-formed compact JWS (Base64UrlTrailingBits, Header)." },
    };

    [Theory]
    [MemberData(nameof(Refused))]
    public async Task Post_AssertionRefused_401(string assertion, string description)
    {
        await using var host = await StartAsync();

        using var response = await host.PostAsync(Form(WithAssertion(assertion)));

        await AssertErrorAsync(response, HttpStatusCode.Unauthorized, "invalid_client", description);
        host.AssertLogsHoldNone(assertion);
    }

    [Theory]
    [InlineData("RS256")]
    [InlineData("PS512")]
    [InlineData("ES256")]
    [InlineData("ES384")]
    [InlineData("ES512")]
    public void Decoys_EachAlgorithmHasAPublicKeyThatVerifies(string algorithm)
    {
        // An unknown client's assertion is verified against the decoy of its algorithm, so that it costs what a key
        // client's costs: each decoy must be a usable public key of that algorithm's type and curve.
        var decoy = Assert.Single(ClientAssertionValidator.Decoys[algorithm]);
        var data = System.Text.Encoding.UTF8.GetBytes("header.payload");
        var provider = decoy.CryptoProviderFactory.CreateForVerifying(decoy, algorithm);
        try
        {
            Assert.False(provider.Verify(data, new byte[algorithm.StartsWith("ES", StringComparison.Ordinal) ? (decoy.KeySize + 7) / 8 * 2 : 256]));
        }
        finally
        {
            decoy.CryptoProviderFactory.ReleaseSignatureProvider(provider);
        }

        Assert.False(decoy.HasPrivateKey);
        Assert.Equal(algorithm.StartsWith("ES", StringComparison.Ordinal) ? "EC" : "RSA", decoy.Kty);
    }

    [Fact]
    public async Task Post_AssertionWithFutureIat_401()
    {
        await using var host = await StartAsync();
        var assertion = Assertion(OurIssuer, extra: null);
        var future = DateTimeOffset.UtcNow.ToUnixTimeSeconds() + 600;
        var withFutureIat = new Microsoft.IdentityModel.JsonWebTokens.JsonWebTokenHandler { SetDefaultTimesOnTokenCreation = false }.CreateToken(
            $$"""{"iss":"{{KeyClient}}","sub":"{{KeyClient}}","aud":"{{OurIssuer}}","iat":{{future}},"exp":{{future - 540}},"jti":"j-1"}""", ClientKey.Credentials);

        using var response = await host.PostAsync(Form(WithAssertion(withFutureIat)));

        await AssertErrorAsync(response, HttpStatusCode.Unauthorized, "invalid_client", "The client assertion's 'iat' is in the future.");
        Assert.NotEmpty(assertion);
    }

    [Theory]
    [InlineData("urn:ietf:params:oauth:client-assertion-type:saml2-bearer", true)]
    [InlineData(AssertionType, false)]
    public async Task Post_AssertionTypeWrongOrAssertionMissing_401(string type, bool withAssertion)
    {
        await using var host = await StartAsync();
        (string, string)[] pairs = withAssertion
            ? Exchange(Subject(), ("client_assertion_type", type), ("client_assertion", Assertion(OurIssuer)))
            : Exchange(Subject(), ("client_assertion_type", type));

        using var response = await host.PostAsync(Form(pairs));

        await AssertErrorAsync(response, HttpStatusCode.Unauthorized, "invalid_client", $"A client assertion needs client_assertion and client_assertion_type '{AssertionType}' (RFC 7523 section 2.2).");
    }

    [Fact]
    public async Task Post_ClientIdDiffersFromAssertionIssuer_401()
    {
        await using var host = await StartAsync();

        using var response = await host.PostAsync(Form(WithAssertion(Assertion(OurIssuer), ("client_id", SecretClient))));

        await AssertErrorAsync(response, HttpStatusCode.Unauthorized, "invalid_client", "The client_id parameter differs from the client assertion's 'iss'.");
    }

    [Theory]
    [InlineData("jku")]
    [InlineData("x5u")]
    [InlineData("jwk")]
    [InlineData("crit")]
    public async Task Post_AssertionHeaderWithKeyReferenceOrCrit_401(string member)
    {
        await using var host = await StartAsync();
        var now = DateTimeOffset.UtcNow.ToUnixTimeSeconds();
        var header = new Dictionary<string, object> { [member] = member == "crit" ? new[] { "exp" } : "https://attacker.test/jwks" };
        var assertion = new Microsoft.IdentityModel.JsonWebTokens.JsonWebTokenHandler { SetDefaultTimesOnTokenCreation = false }.CreateToken(
            $$"""{"iss":"{{KeyClient}}","sub":"{{KeyClient}}","aud":"{{OurIssuer}}","exp":{{now + 60}},"jti":"j-2"}""", ClientKey.Credentials, header);

        using var response = await host.PostAsync(Form(WithAssertion(assertion)));

        await AssertErrorAsync(response, HttpStatusCode.Unauthorized, "invalid_client", $"The client assertion's header carries '{member}', which this endpoint does not accept (RFC 8725 section 3.10, RFC 7515 section 4.1.11).");
    }

    [Fact]
    public async Task Post_AssertionOverTheLengthLimit_401()
    {
        await using var host = await StartAsync();
        var assertion = Assertion(OurIssuer, extra: $"\"pad\":\"{new string('p', 9000)}\"");

        using var response = await host.PostAsync(Form(WithAssertion(assertion)));

        await AssertErrorAsync(response, HttpStatusCode.Unauthorized, "invalid_client", "The client assertion is longer than 8192 characters.");
    }
}
