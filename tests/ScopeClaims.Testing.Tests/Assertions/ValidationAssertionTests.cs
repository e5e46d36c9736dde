using System.Text.Json;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;
using ScopeClaims;
using ScopeClaims.Testing;

namespace ScopeClaims.Testing.Tests.Assertions;

public class ValidationAssertionTests
{
    private const string Issuer = ScopeTokenTestHost.DefaultIssuer;
    private const string Audience = ScopeTokenTestHost.DefaultAudience;

    [Theory]
    [InlineData(SecurityAlgorithms.RsaSha256)]
    [InlineData(SecurityAlgorithms.RsaSsaPssSha256)]
    [InlineData(SecurityAlgorithms.EcdsaSha256)]
    [InlineData(SecurityAlgorithms.EcdsaSha384)]
    public void IsValidAgainstJwks_SignedByAKeyInTheSet_Passes(string algorithm)
    {
        var key = TestSigningKeys.Create(algorithm);
        var token = HeaderAndLifetimeAssertionTests.Issue(key);

        ScopeTokenAssert.That(token)
            .IsValidAgainstJwks(TestSigningKeys.ExportPublicJwks(TestSigningKeys.Rsa, key), Issuer, Audience)
            .IsValidAgainstJwks(TestSigningKeys.ExportPublicJwks(key))
            .IsValidAgainst(new SigningKeySet(key), Issuer, Audience);
    }

    [Fact]
    public void IsValidAgainst_HmacKeySet_Passes_ButNoJwksHoldsIt()
    {
        var token = HeaderAndLifetimeAssertionTests.Issue(TestSigningKeys.Hmac);

        ScopeTokenAssert.That(token).IsValidAgainst(new SigningKeySet(TestSigningKeys.Hmac), Issuer, Audience);
        var message = Tokens.Fails(token, a => a.IsValidAgainstJwks(TestSigningKeys.ExportPublicJwks(TestSigningKeys.Hmac)));
        Assert.Equal("IsValidAgainstJwks failed: the JWKS holds no usable signing key.\nExpected: a JWKS with at least one RSA or EC key for signatures (use \"sig\" or none, key_ops with \"verify\" or none)\nActual:   the JWK set holds no RSA or EC key usable for signature verification (0 key(s) in \"keys\")", message);
    }

    [Fact]
    public void IsValidAgainstJwks_UnknownKey_SaysNoKeyMatches()
    {
        var token = HeaderAndLifetimeAssertionTests.Issue(TestSigningKeys.Create("ES256", "unknown"));
        var jwks = TestSigningKeys.ExportPublicJwks(TestSigningKeys.Rsa, TestSigningKeys.Ec);

        var message = Tokens.Fails(token, a => a.IsValidAgainstJwks(jwks, Issuer, Audience));

        Assert.StartsWith("IsValidAgainstJwks failed: the token does not validate.\n", message, StringComparison.Ordinal);
        Assert.Contains($"Expected: a token that validates against the JWKS (2 key(s): kid \"{TestSigningKeys.Rsa.KeyId}\", kid \"{TestSigningKeys.Ec.KeyId}\"), issuer \"{Issuer}\", audience \"{Audience}\", at ", message, StringComparison.Ordinal);
        Assert.EndsWith("\nActual:   invalid: no key in the set matches the token's kid \"unknown\" and alg \"ES256\" (kids are compared exactly)", message, StringComparison.Ordinal);
    }

    [Fact]
    public void IsValidAgainstJwks_SameKidOtherKey_SaysTheSignatureDoesNotVerify()
    {
        var impostor = TestSigningKeys.Create("RS256", TestSigningKeys.Rsa.KeyId);
        var token = HeaderAndLifetimeAssertionTests.Issue(impostor);

        var message = Tokens.Fails(token, a => a.IsValidAgainstJwks(TestSigningKeys.PublicJwks));

        Assert.Contains("issuer not checked, audience not checked", message, StringComparison.Ordinal);
        Assert.EndsWith("\nActual:   invalid: the signature does not verify with the keys in the set (SecurityTokenInvalidSignatureException, IDX10511)", message, StringComparison.Ordinal);
    }

    [Fact]
    public void IsValidAgainst_ClockPastExp_SaysExpired()
    {
        var time = new ManualTimeProvider(new DateTimeOffset(2030, 1, 1, 0, 0, 0, TimeSpan.Zero));
        var token = HeaderAndLifetimeAssertionTests.Issue(TestSigningKeys.Rsa, TimeSpan.FromMinutes(5), time);
        ScopeTokenAssert.That(token).IsValidAgainstJwks(TestSigningKeys.PublicJwks, timeProvider: time);

        time.Advance(TimeSpan.FromMinutes(5));
        var message = Tokens.Fails(token, a => a.IsValidAgainstJwks(TestSigningKeys.PublicJwks, timeProvider: time));

        Assert.EndsWith("at 2030-01-01T00:05:00Z\nActual:   invalid: the token expired at exp 1893456300 (2030-01-01T00:05:00Z); now is 1893456300 (2030-01-01T00:05:00Z)", message, StringComparison.Ordinal);
    }

    [Fact]
    public void IsValidAgainst_ClockBeforeNbf_SaysNotYetValid()
    {
        var issuedAt = new DateTimeOffset(2030, 1, 1, 0, 0, 0, TimeSpan.Zero);
        var token = HeaderAndLifetimeAssertionTests.Issue(TestSigningKeys.Rsa, time: new ManualTimeProvider(issuedAt));

        var message = Tokens.Fails(token, a => a.IsValidAgainst(new SigningKeySet(TestSigningKeys.Rsa), timeProvider: new ManualTimeProvider(issuedAt.AddSeconds(-1))));

        Assert.EndsWith("Actual:   invalid: the token is not valid before nbf 1893456000 (2030-01-01T00:00:00Z); now is 1893455999 (2029-12-31T23:59:59Z)", message, StringComparison.Ordinal);
    }

    [Fact]
    public void IsValidAgainst_SystemClock_RejectsATokenFromThePast()
    {
        var token = HeaderAndLifetimeAssertionTests.Issue(TestSigningKeys.Rsa, time: new ManualTimeProvider(new DateTimeOffset(2001, 1, 1, 0, 0, 0, TimeSpan.Zero)));

        var message = Tokens.Fails(token, a => a.IsValidAgainst(new SigningKeySet(TestSigningKeys.Rsa)));

        Assert.Contains("the token expired at exp 978307500 (2001-01-01T00:05:00Z); now is ", message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("https://other.test", null,
        "issuer \"https://other.test\", audience not checked",
        $"Actual:   invalid: 'iss' is \"{Issuer}\", not \"https://other.test\" (compared exactly)")]
    [InlineData(null, "https://other.test",
        "issuer not checked, audience \"https://other.test\"",
        $"Actual:   invalid: 'aud' is \"{Audience}\", which does not name \"https://other.test\" (compared exactly: no trailing slash or case is ignored)")]
    public void IsValidAgainst_OtherIssuerOrAudience_ShowsBoth(string? issuer, string? audience, string expected, string actual)
    {
        var token = HeaderAndLifetimeAssertionTests.Issue(TestSigningKeys.Rsa);

        var message = Tokens.Fails(token, a => a.IsValidAgainst(new SigningKeySet(TestSigningKeys.Rsa), issuer, audience));

        Assert.Contains(expected, message, StringComparison.Ordinal);
        Assert.Contains(actual, message, StringComparison.Ordinal);
    }

    [Fact]
    public void IsValidAgainst_NoExp_Fails()
    {
        var token = Sign(TestSigningKeys.Rsa, """{"iss":"https://issuer.test"}""");

        var message = Tokens.Fails(token, a => a.IsValidAgainst(new SigningKeySet(TestSigningKeys.Rsa)));

        Assert.EndsWith("Actual:   invalid: the token has no 'exp' claim (RFC 7519 §4.1.4; the kit requires one)", message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("""{"nbf":4102444800,"exp":4102444800}""", "Actual:   invalid: the lifetime is invalid: nbf 4102444800 (2100-01-01T00:00:00Z), exp 4102444800 (2100-01-01T00:00:00Z) (nbf must be before exp)")]
    [InlineData("""{"exp":"tomorrow"}""", "Actual:   invalid: 'exp' is \"tomorrow\", not a NumericDate (a JSON number of seconds, RFC 7519 §2)")]
    [InlineData("""{"exp":4102444800,"iat":[1]}""", "Actual:   invalid: 'iat' is [1], not a NumericDate (a JSON number of seconds, RFC 7519 §2)")]
    public void IsValidAgainst_BadTimes_SaySo(string payload, string expected)
    {
        var token = Sign(TestSigningKeys.Rsa, payload);

        var message = Tokens.Fails(token, a => a.IsValidAgainst(new SigningKeySet(TestSigningKeys.Rsa)));

        Assert.Contains(expected, message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("""{"alg":"none","typ":"JWT"}""", "", "\"none\"", "IDX10504")]
    [InlineData("""{"alg":"none","typ":"JWT"}""", "c2lnbmF0dXJl", "\"none\"", "IDX10517")]
    [InlineData("""{"alg":"RS256"}""", "", "\"RS256\"", "IDX10504")]
    public void IsValidAgainst_UnsignedToken_Fails(string header, string signature, string alg, string code)
    {
        var exp = DateTimeOffset.UtcNow.AddMinutes(5).ToUnixTimeSeconds();
        var token = Tokens.Make($$"""{"exp":{{exp}}}""", header, signature);

        var message = Tokens.Fails(token, a => a.IsValidAgainst(new SigningKeySet(TestSigningKeys.Rsa)));

        Assert.Contains($"\nActual:   invalid: the token is not signed (alg {alg}, or no signature) (SecurityToken", message, StringComparison.Ordinal);
        Assert.EndsWith($", {code})", message, StringComparison.Ordinal);
    }

    [Fact]
    public void IsValidAgainst_AlgorithmOutsideTheAllowlist_Fails()
    {
        var secret = TestSigningKeys.Create("HS256").Key;
        var token = new JsonWebTokenHandler().CreateToken("""{"exp":4102444800}""", new SigningCredentials(secret, SecurityAlgorithms.HmacSha256Signature));
        var keys = new SigningKeySet(new TokenSigningKey(secret, "HS256"));

        var message = Tokens.Fails(token, a => a.IsValidAgainst(keys));

        Assert.Equal(SecurityAlgorithms.HmacSha256Signature, TokenInspector.InspectUnvalidated(token).Algorithm);
        Assert.Contains($"\nActual:   invalid: the alg \"{SecurityAlgorithms.HmacSha256Signature}\" is not allowed (RS, PS, ES or HS with 256, 384 or 512 only) (SecurityToken", message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("not json", "IsValidAgainstJwks failed: the JWKS cannot be read.\nExpected: a JWK set: {\"keys\": [...]} of public keys, each member named once\nActual:   the JWK set is not well-formed JSON")]
    [InlineData("[]", "IsValidAgainstJwks failed: the JWKS cannot be read.\nExpected: a JWK set: {\"keys\": [...]} of public keys, each member named once\nActual:   the JWK set is not a JSON object with a \"keys\" array (RFC 7517 §5)")]
    [InlineData("""{"keys":{}}""", "Actual:   the JWK set has no \"keys\" array (RFC 7517 §5)")]
    [InlineData("""{"keys":[1]}""", "Actual:   key 0 of the JWK set is not a JSON object")]
    [InlineData("""{"keys":[]}""", "IsValidAgainstJwks failed: the JWKS holds no usable signing key.\n")]
    [InlineData("""{"keys":[{"kty":"RSA","kid":"x"}]}""", "IsValidAgainstJwks failed: the JWKS cannot be read.\nExpected: a JWK set: {\"keys\": [...]} of public keys, each member named once\nActual:   key 0 of the JWK set has no \"n\" member")]
    [InlineData("""{"keys":[{"kty":"RSA","kid":"\uD800"}]}""", "IsValidAgainstJwks failed: the JWKS cannot be read.\nExpected: a JWK set: {\"keys\": [...]} of public keys, each member named once\nActual:   the JWK set holds an escaped lone surrogate (such as \\uD800), which is not valid Unicode")]
    [InlineData("""{"keys":[{"\uDC00":1,"kty":"RSA"}]}""", "Actual:   the JWK set holds an escaped lone surrogate (such as \\uD800), which is not valid Unicode")]
    [InlineData("""{"keys":[],"keys":[]}""", "Actual:   the JWK set names a member twice in one object (such as \"keys\", or \"n\" in a key), so parsers may read different keys")]
    public void IsValidAgainstJwks_UnreadableJwks_Fails(string jwks, string expected)
    {
        var token = HeaderAndLifetimeAssertionTests.Issue(TestSigningKeys.Rsa);

        Assert.Contains(expected, Tokens.Fails(token, a => a.IsValidAgainstJwks(jwks)), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(SecurityAlgorithms.RsaSha256, "d")]
    [InlineData(SecurityAlgorithms.EcdsaSha256, "d")]
    [InlineData(SecurityAlgorithms.HmacSha256, "k")]
    public void IsValidAgainstJwks_PrivateKeyMaterial_FailsWithoutPrintingIt(string algorithm, string member)
    {
        var key = TestSigningKeys.Create(algorithm);
        var privateJwk = key.ExportPrivateJwk();
        var publicJwk = JsonDocument.Parse(TestSigningKeys.PublicJwks).RootElement.GetProperty("keys")[0].GetRawText();
        var jwks = $$"""{"keys":[{{publicJwk}},{{privateJwk}}]}""";
        var token = HeaderAndLifetimeAssertionTests.Issue(key);

        var message = Tokens.Fails(token, a => a.IsValidAgainstJwks(jwks));

        Assert.Equal($"IsValidAgainstJwks failed: the JWKS publishes private key material.\nExpected: a JWKS of public keys only\nActual:   key 1 has the private member \"{member}\"", message);
        var secret = JsonDocument.Parse(privateJwk).RootElement.GetProperty(member).GetString()!;
        Assert.DoesNotContain(secret, message, StringComparison.Ordinal);
    }

    [Fact]
    public void IsValidAgainst_NullArguments_Throw()
    {
        var assertions = ScopeTokenAssert.That(HeaderAndLifetimeAssertionTests.Issue(TestSigningKeys.Rsa));

        Assert.Throws<ArgumentNullException>(() => assertions.IsValidAgainstJwks(null!));
        Assert.Throws<ArgumentNullException>(() => assertions.IsValidAgainst(null!));
    }

    private static string Sign(TokenSigningKey key, string payload) =>
        new JsonWebTokenHandler { SetDefaultTimesOnTokenCreation = false }.CreateToken(payload, key.Credentials);
}
