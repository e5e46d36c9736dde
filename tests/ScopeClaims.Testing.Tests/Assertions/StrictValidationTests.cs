using System.Globalization;
using System.Security.Cryptography;
using System.Text.Json.Nodes;
using Microsoft.IdentityModel.Tokens;
using ScopeClaims.Testing.Tests.Internal;
using static ScopeClaims.Testing.Tests.Internal.RawJose;

namespace ScopeClaims.Testing.Tests.Assertions;

/// <summary>
/// Tokens and key sets that Microsoft.IdentityModel accepts by default and a strict validator refuses: the kit refuses
/// them too, each with a message naming the reason.
/// </summary>
public sealed class StrictValidationTests
{
    private const long T = 1_893_456_000; // 2030-01-01T00:00:00Z
    private static readonly ManualTimeProvider s_clock = new(DateTimeOffset.FromUnixTimeSeconds(T));

    private static string Payload(string extra = "") =>
        "{\"iss\":\"https://issuer.test\",\"aud\":\"https://api.test\",\"iat\":" + T + ",\"exp\":" + (T + 300) + extra + "}";

    private static string RsaToken(string payload, string kid = "r", string alg = "RS256") =>
        Sign("{\"alg\":\"" + alg + "\",\"kid\":\"" + kid + "\"}", payload, alg, Rsa2048);

    private static string RsaJwks(string? alg = null) => Jwks(Jwk(Rsa2048, kid: "r", alg: alg));

    private static string FailsAgainstJwks(string token, string jwks, string? issuer = null, string? audience = null) =>
        Tokens.Fails(token, a => a.IsValidAgainstJwks(jwks, issuer, audience, s_clock));

    private static SigningKeySet RsaSet => new(new TokenSigningKey(new RsaSecurityKey(Rsa2048), "RS256", "r"));

    [Fact]
    public void IsValidAgainstJwks_WellFormedToken_Passes()
    {
        ScopeTokenAssert.That(RsaToken(Payload()))
            .IsValidAgainstJwks(RsaJwks("RS256"), "https://issuer.test", "https://api.test", s_clock)
            .IsValidAgainst(RsaSet, "https://issuer.test", "https://api.test", s_clock);
    }

    [Theory]
    [InlineData("{\"kty\":\"oct\",\"k\":\"c2VjcmV0LXNlY3JldC1zZWNyZXQtc2VjcmV0LXNlY3JldA\"}")]
    [InlineData("RSA-PRIVATE")]
    public void IsValidAgainstJwks_KeysNamedTwiceFirstHoldingASecret_Fails(string first)
    {
        if (first == "RSA-PRIVATE")
        {
            var jwk = Jwk(Rsa2048Other);
            jwk["d"] = B64(Rsa2048Other.ExportParameters(true).D!);
            first = jwk.ToJsonString();
        }

        var jwks = "{\"keys\":[" + first + "],\"keys\":[" + Jwk(Rsa2048, kid: "r").ToJsonString() + "]}";

        var message = FailsAgainstJwks(RsaToken(Payload()), jwks);

        Assert.Equal("IsValidAgainstJwks failed: the JWKS cannot be read.\nExpected: a JWK set: {\"keys\": [...]} of public keys, each member named once\nActual:   the JWK set names a member twice in one object (such as \"keys\", or \"n\" in a key), so parsers may read different keys", message);
    }

    [Theory]
    [InlineData("\"https://api.test/\"", "https://api.test")]
    [InlineData("\"https://api.test\"", "https://api.test/")]
    [InlineData("[\"https://api.test/\"]", "https://api.test")]
    public void IsValidAgainst_AudienceDifferingByATrailingSlash_Fails(string aud, string audience)
    {
        var token = RsaToken("{\"aud\":" + aud + ",\"exp\":" + (T + 300) + "}");

        var jwksMessage = FailsAgainstJwks(token, RsaJwks(), audience: audience);
        var setMessage = Tokens.Fails(token, a => a.IsValidAgainst(RsaSet, audience: audience, timeProvider: s_clock));

        Assert.EndsWith($"Actual:   invalid: 'aud' is {aud}, which does not name \"{audience}\" (compared exactly: no trailing slash or case is ignored)", jwksMessage, StringComparison.Ordinal);
        Assert.EndsWith($"Actual:   invalid: 'aud' is {aud}, which does not name \"{audience}\" (compared exactly: no trailing slash or case is ignored)", setMessage, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("[null,\"https://api.test\"]", "an array holding null")]
    [InlineData("[1,\"https://api.test\"]", "an array holding a number")]
    [InlineData("[[\"https://api.test\"]]", "an array holding an array")]
    [InlineData("{\"https://api.test\":1}", "an object")]
    [InlineData("7", "a number")]
    [InlineData("null", "null")]
    public void IsValidAgainstJwks_AudienceNotAStringOrArrayOfStrings_Fails(string aud, string kind)
    {
        var token = RsaToken("{\"aud\":" + aud + ",\"exp\":" + (T + 300) + "}");

        foreach (var audience in new[] { "https://api.test", null })
        {
            var message = FailsAgainstJwks(token, RsaJwks(), audience: audience);
            Assert.Contains($"Actual:   invalid: 'aud' is {kind}", message, StringComparison.Ordinal);
            Assert.EndsWith(", not a string or an array of strings (RFC 7519 §4.1.3)", message, StringComparison.Ordinal);
        }
    }

    [Theory]
    [InlineData("exp", "\"1893456300\"")]
    [InlineData("nbf", "\"1893456000\"")]
    [InlineData("iat", "\"1893456000\"")]
    [InlineData("exp", "true")]
    [InlineData("nbf", "null")]
    [InlineData("iat", "{}")]
    public void IsValidAgainstJwks_TimeThatIsNotANumber_Fails(string claim, string value)
    {
        var claims = new Dictionary<string, string> { ["exp"] = (T + 300).ToString(CultureInfo.InvariantCulture), ["nbf"] = T.ToString(CultureInfo.InvariantCulture), ["iat"] = T.ToString(CultureInfo.InvariantCulture) };
        claims[claim] = value;
        var token = RsaToken("{" + string.Join(",", claims.Select(c => $"\"{c.Key}\":{c.Value}")) + "}");

        var message = FailsAgainstJwks(token, RsaJwks());

        Assert.EndsWith($"Actual:   invalid: '{claim}' is {value}, not a NumericDate (a JSON number of seconds, RFC 7519 §2)", message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("1e400")]
    [InlineData("-1e400")]
    [InlineData("1e30")]
    [InlineData("253402300800")]
    [InlineData("1893456300.00000000000000000000000000001")]
    public void IsValidAgainstJwks_ExpOutOfRangeOrTooPrecise_Fails(string exp)
    {
        var message = FailsAgainstJwks(RsaToken("{\"exp\":" + exp + "}"), RsaJwks());
        Assert.Contains($"Actual:   invalid: 'exp' is {exp}, ", message, StringComparison.Ordinal);
    }

    [Fact]
    public void ExpiresWithinAndHasLifetimeAtMost_ExpAsString_SayItIsNotANumericDate()
    {
        var token = Tokens.Make("{\"iat\":" + T + ",\"exp\":\"" + (T + 60) + "\"}");

        var expires = Tokens.Fails(token, a => a.ExpiresWithin(TimeSpan.FromMinutes(5), s_clock));
        var lifetime = Tokens.Fails(token, a => a.HasLifetimeAtMost(TimeSpan.FromMinutes(5)));

        Assert.StartsWith($"ExpiresWithin failed: 'exp' is \"{T + 60}\", not a NumericDate (a JSON number of seconds, RFC 7519 §2).", expires, StringComparison.Ordinal);
        Assert.StartsWith($"HasLifetimeAtMost failed: 'exp' is \"{T + 60}\", not a NumericDate (a JSON number of seconds, RFC 7519 §2).", lifetime, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("RSA")]
    [InlineData("EC")]
    public void IsValidAgainstJwks_CertificateOfAnotherKeySigning_Fails(string kty)
    {
        AsymmetricAlgorithm published = kty == "RSA" ? Rsa2048 : P256;
        AsymmetricAlgorithm signer = kty == "RSA" ? Rsa2048Other : P256Other;
        var jwk = Jwk(published, kid: "c");
        jwk["x5c"] = new JsonArray(Certificate(signer));
        var alg = kty == "RSA" ? "RS256" : "ES256";
        var token = Sign("{\"alg\":\"" + alg + "\",\"kid\":\"c\"}", Payload(), alg, signer);

        var message = FailsAgainstJwks(token, Jwks(jwk));

        Assert.Equal("IsValidAgainstJwks failed: the JWKS cannot be read.\nExpected: a JWK set: {\"keys\": [...]} of public keys, each member named once\nActual:   key 0 of the JWK set has a first \"x5c\" certificate whose public key is not the key of its own parameters (RFC 7517 §4.7)", message);
    }

    [Theory]
    [InlineData("0.5")]
    [InlineData("0.0000001")]
    [InlineData("0.000000000001")]
    public void IsValidAgainstJwks_NbfAFractionOfASecondAhead_Fails(string ahead)
    {
        var token = RsaToken("{\"nbf\":" + T + ahead[1..] + ",\"exp\":" + (T + 300) + "}");

        var message = FailsAgainstJwks(token, RsaJwks());

        Assert.Contains($"Actual:   invalid: the token is not valid before nbf {T}{ahead[1..]} (2030-01-01T00:00:00", message, StringComparison.Ordinal);
        Assert.EndsWith($"; now is {T} (2030-01-01T00:00:00Z)", message, StringComparison.Ordinal);
    }

    [Fact]
    public void IsValidAgainstJwks_ExpAFractionOfASecondPast_Fails()
    {
        var clock = new ManualTimeProvider(DateTimeOffset.FromUnixTimeSeconds(T).AddTicks(1));
        var token = RsaToken("{\"exp\":" + T + ".00000005}");

        var message = Tokens.Fails(token, a => a.IsValidAgainstJwks(RsaJwks(), timeProvider: clock));

        Assert.EndsWith($"Actual:   invalid: the token expired at exp {T}.00000005 (2030-01-01T00:00:00Z); now is {T}.0000001 (2030-01-01T00:00:00.0000001Z)", message, StringComparison.Ordinal);
    }

    [Fact]
    public void IsValidAgainstJwks_IatAfterNow_Fails()
    {
        var message = FailsAgainstJwks(RsaToken("{\"iat\":" + T + ".5,\"exp\":" + (T + 300) + "}"), RsaJwks());
        Assert.EndsWith($"Actual:   invalid: the token was issued after now: iat {T}.5 (2030-01-01T00:00:00.5Z); now is {T} (2030-01-01T00:00:00Z)", message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("300.0009")]
    [InlineData("300.0000001")]
    [InlineData("300.000000000000001")]
    public void HasLifetimeAtMost_LongerByLessThanAMillisecond_Fails(string lifetime)
    {
        var token = Tokens.Make("{\"iat\":" + T + ",\"exp\":" + T + lifetime[3..] + "}");
        var message = Tokens.Fails(Tokens.Make("{\"iat\":" + T + ",\"exp\":" + (T + 300) + lifetime[3..] + "}"), a => a.HasLifetimeAtMost(TimeSpan.FromSeconds(300)));
        Assert.StartsWith("HasLifetimeAtMost failed: the token lives longer than allowed.\nExpected: exp - iat at most 00:05:00\nActual:   " + lifetime + " s", message, StringComparison.Ordinal);
        ScopeTokenAssert.That(token).HasLifetimeAtMost(TimeSpan.FromSeconds(1));
    }

    [Fact]
    public void ExpiresWithin_LaterByLessThanAMillisecond_Fails()
    {
        var token = Tokens.Make("{\"exp\":" + (T + 300) + ".0009}");
        var message = Tokens.Fails(token, a => a.ExpiresWithin(TimeSpan.FromSeconds(300), s_clock));
        Assert.StartsWith("ExpiresWithin failed: the token expires later than allowed.", message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("ES256", "P384", "ES256 needs an EC key on P-256; this key is on P-384 (RFC 7518 §3.4)")]
    [InlineData("ES384", "P256", "ES384 needs an EC key on P-384; this key is on P-256 (RFC 7518 §3.4)")]
    [InlineData("ES512", "P384", "ES512 needs an EC key on P-521; this key is on P-384 (RFC 7518 §3.4)")]
    [InlineData("RS256", "Rsa1024", "the RSA key has 1024 bits; RS256 needs at least 2048 (RFC 7518 §3.3)")]
    [InlineData("PS256", "Rsa1024", "the RSA key has 1024 bits; PS256 needs at least 2048 (RFC 7518 §3.3)")]
    public void IsValidAgainstJwks_KeyThatDoesNotFitTheAlgorithm_Fails(string alg, string keyName, string reason)
    {
        AsymmetricAlgorithm key = keyName switch { "P384" => P384, "P256" => P256, _ => Rsa1024 };
        var token = Sign("{\"alg\":\"" + alg + "\",\"kid\":\"k\"}", Payload(), alg, key);

        var message = FailsAgainstJwks(token, Jwks(Jwk(key, kid: "k")));

        Assert.EndsWith($"Actual:   invalid: the key kid \"k\" may not verify this token: {reason}", message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("PS256")]
    [InlineData("RS384")]
    [InlineData("RS512")]
    public void IsValidAgainstJwks_JwkBoundToRs256VerifyingAnotherAlgorithm_Fails(string alg)
    {
        var message = FailsAgainstJwks(RsaToken(Payload(), alg: alg), RsaJwks("RS256"));
        Assert.EndsWith($"Actual:   invalid: the key kid \"r\" may not verify this token: the key's JWK \"alg\" is \"RS256\", so it verifies that algorithm only, not {alg} (RFC 8725 §3.1)", message, StringComparison.Ordinal);
    }

    [Fact]
    public void IsValidAgainst_KeySetKeyOfAnotherAlgorithm_Fails()
    {
        var message = Tokens.Fails(RsaToken(Payload(), alg: "PS256"), a => a.IsValidAgainst(RsaSet, timeProvider: s_clock));
        Assert.EndsWith("Actual:   invalid: the key kid \"r\" may not verify this token: the key signs RS256, not PS256 (RFC 8725 §3.1)", message, StringComparison.Ordinal);
    }

    [Fact]
    public void IsValidAgainstJwks_TokenKidNotInTheSetButAKeyWithoutKidVerifies_Fails()
    {
        var message = FailsAgainstJwks(RsaToken(Payload(), kid: "elsewhere"), Jwks(Jwk(Rsa2048)));
        Assert.Contains("invalid: no key in the set matches the token's kid \"elsewhere\" and alg \"RS256\"", message, StringComparison.Ordinal);
    }

    [Fact]
    public void IsValidAgainstJwks_CritHeader_Fails()
    {
        var token = Sign("{\"alg\":\"RS256\",\"kid\":\"r\",\"crit\":[\"exp\"],\"exp\":1}", Payload(), "RS256", Rsa2048);
        var message = FailsAgainstJwks(token, RsaJwks());
        Assert.EndsWith("Actual:   invalid: the header has \"crit\"; the kit understands no JWS extension, so it must refuse the token (RFC 7515 §4.1.11)", message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("kid", "1")]
    [InlineData("typ", "[]")]
    public void IsValidAgainstJwks_HeaderMemberOfTheWrongType_Fails(string member, string value)
    {
        var token = Sign("{\"alg\":\"RS256\",\"" + member + "\":" + value + "}", Payload(), "RS256", Rsa2048);
        var message = FailsAgainstJwks(token, RsaJwks());
        Assert.EndsWith($"Actual:   invalid: the header's \"{member}\" is not a string", message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("iss", "1")]
    [InlineData("sub", "[\"a\"]")]
    [InlineData("jti", "null")]
    public void IsValidAgainstJwks_RegisteredClaimOfTheWrongType_Fails(string claim, string value)
    {
        var message = FailsAgainstJwks(RsaToken("{\"" + claim + "\":" + value + ",\"exp\":" + (T + 300) + "}"), RsaJwks());
        Assert.Contains($"Actual:   invalid: '{claim}' is ", message, StringComparison.Ordinal);
        Assert.Contains(", not a string (RFC 7519 §4.1)", message, StringComparison.Ordinal);
    }

    [Fact]
    public void IsValidAgainstJwks_NonCanonicalBase64UrlSignature_Fails()
    {
        var token = RsaToken(Payload());
        var last = token[^1];
        var alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
        var tampered = token[..^1] + alphabet[alphabet.IndexOf(last, StringComparison.Ordinal) | 1];
        Assert.NotEqual(token, tampered);
        var message = FailsAgainstJwks(tampered, RsaJwks());
        Assert.EndsWith("Actual:   invalid: the token's signature is not canonical base64url (non-zero trailing bits)", message, StringComparison.Ordinal);
    }

    [Fact]
    public void IsValidAgainstJwks_EmptyIssuerOrAudience_Throws()
    {
        var assertions = ScopeTokenAssert.That(RsaToken(Payload()));
        Assert.Throws<ArgumentException>(() => assertions.IsValidAgainstJwks(RsaJwks(), issuer: ""));
        Assert.Throws<ArgumentException>(() => assertions.IsValidAgainstJwks(RsaJwks(), audience: ""));
        Assert.Throws<ArgumentException>(() => assertions.IsValidAgainst(RsaSet, audience: ""));
    }
}
