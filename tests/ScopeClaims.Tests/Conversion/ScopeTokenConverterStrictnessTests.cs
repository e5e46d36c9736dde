using System.Security.Cryptography;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;
using ScopeClaims;

namespace ScopeClaims.Tests.Conversion;

/// <summary>
/// Conversion refusals found by an outside red-team round: lone surrogates at any depth, the signature's alphabet, the
/// inner token of a JWE, loose audience and time claims, media-type spellings of our own <c>typ</c>, a blank subject.
/// </summary>
public class ScopeTokenConverterStrictnessTests
{
    /// <param name="ownType">The <c>typ</c> our issuer writes, or <see langword="null"/> for the default.</param>
    private static ScopeTokenConverter Converter(Action<ScopeTokenConverterOptions>? configure = null, ScopeTokenIssuer? issuer = null, string? ownType = null)
    {
        var options = new ScopeTokenConverterOptions();
        options.Issuers.Add(SourceTokens.Inbound());
        configure?.Invoke(options);
        return new ScopeTokenConverter(options, issuer ?? OurIssuer(ownType));
    }

    private static ScopeTokenIssuer OurIssuer(string? ownType)
    {
        var options = TestKeys.Options(TestKeys.Ec, ScopeFormat.Array);
        if (ownType is not null)
        {
            options.TokenType = ownType;
        }

        return new ScopeTokenIssuer(options);
    }

    /// <summary>A signed source token whose claim <paramref name="name"/> is the raw JSON <paramref name="json"/>.</summary>
    private static string WithClaimJson(string name, string json)
    {
        var payload = SourceTokens.Payload("read:a", extra: c =>
        {
            c.Remove(name);
            c["placeholder"] = 0;
        });
        return SourceTokens.Sign(SourceTokens.Header(), payload.Replace("\"placeholder\":0", $"\"{name}\":{json}", StringComparison.Ordinal));
    }

    private static async Task<TokenConversionException> Refused(string token, ScopeTokenConverter? converter = null)
    {
        var ex = await Assert.ThrowsAsync<TokenConversionException>(() => (converter ?? Converter()).ConvertAsync(token));
        Assert.DoesNotContain(token, ex.ToString(), StringComparison.Ordinal);
        return ex;
    }

    [Theory]
    [InlineData("gty", """{"x":"\uD800"}""")]
    [InlineData("gty", """["\uDC00"]""")]
    [InlineData("azp", """{"a":{"b":["\uDFFF"]}}""")]
    [InlineData("foo", """{"x":"\uD800"}""")]
    [InlineData("foo", """{"a":{"b":["\uDFFF"]}}""")]
    [InlineData("foo", "\"\\uD800\"")]
    [InlineData("foo", """{"\uD800":1}""")]
    [InlineData("foo", "\"ok \\uDBFF\\u0041\"")]
    public async Task Convert_LoneSurrogateAnywhereInThePayload_IsMalformed(string claim, string json)
    {
        // gty and azp are copied claims: they once reached the token writer and escaped as InvalidOperationException.
        var ex = await Refused(WithClaimJson(claim, json));

        Assert.Equal(TokenConversionFailure.Malformed, ex.Reason);
        Assert.Contains("not valid Unicode", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Convert_ValidSurrogatePairsAndEscapes_AreAccepted()
    {
        var result = await Converter().ConvertAsync(WithClaimJson("gty", """{"x":"\uD83D\uDE00 \u00e9 \/"}"""));

        Assert.Equal(ScopeSet.Parse("read:a"), result.Scopes);
    }

    [Theory]
    [InlineData("==")]
    [InlineData("=")]
    [InlineData("+")]
    [InlineData("/")]
    [InlineData(" ")]
    [InlineData("\n")]
    public async Task Convert_SignatureOutsideUnpaddedBase64Url_IsMalformed(string appended)
    {
        var ex = await Refused(SourceTokens.Build("read:a") + appended);

        Assert.Equal(TokenConversionFailure.Malformed, ex.Reason);
        Assert.Contains("signature is not valid base64url", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Convert_SignatureOfImpossibleLength_IsMalformed()
    {
        // An RS256 signature is 342 characters; one less is 4n+1, a length no base64url encoding produces.
        var token = SourceTokens.Build("read:a")[..^1];
        Assert.Equal(1, token.Split('.')[2].Length % 4);

        var ex = await Refused(token);

        Assert.Equal(TokenConversionFailure.Malformed, ex.Reason);
        Assert.Contains("length is impossible", ex.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(1)]
    [InlineData(2)]
    public async Task Convert_PartWithNonZeroTrailingBits_IsMalformed(int part)
    {
        // Flipping the lowest bit of the last character keeps the decoded bytes of a 4n+2 or 4n+3 part: a second
        // spelling of the same token that lenient decoders accept. It is refused by the alphabet check, as Malformed,
        // whichever decoder would have met it.
        var scope = "a";
        var parts = SourceTokens.Build(scope).Split('.');
        while (parts[part].Length % 4 == 0)
        {
            scope += "b";
            parts = SourceTokens.Build(scope).Split('.');
        }

        const string alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
        var original = parts[part];
        parts[part] = original[..^1] + alphabet[alphabet.IndexOf(original[^1], StringComparison.Ordinal) ^ 1];

        var ex = await Refused(string.Join('.', parts));

        Assert.Equal(TokenConversionFailure.Malformed, ex.Reason);
        Assert.Contains("trailing bits", ex.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("\"https://api.test/\"")]
    [InlineData("[\"https://api.test/\"]")]
    public async Task Convert_AudienceDifferingByATrailingSlash_IsWrongAudience(string audience)
    {
        var ex = await Refused(AudienceToken(audience));

        Assert.Equal(TokenConversionFailure.WrongAudience, ex.Reason);
    }

    private static string AudienceToken(string audienceJson) => WithClaimJson("aud", audienceJson);

    [Theory]
    [InlineData("[null,\"https://api.test\"]")]
    [InlineData("[\"https://api.test\",5]")]
    [InlineData("[]")]
    [InlineData("5")]
    [InlineData("{\"a\":\"https://api.test\"}")]
    [InlineData("null")]
    public async Task Convert_AudienceThatIsNotAStringOrStrings_IsMalformed(string audience)
    {
        var ex = await Refused(AudienceToken(audience));

        Assert.Equal(TokenConversionFailure.Malformed, ex.Reason);
        Assert.Contains("'aud'", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Convert_AudienceArrayWithTheConfiguredAudience_IsAccepted()
    {
        var result = await Converter().ConvertAsync(AudienceToken("[\"https://other.test\",\"https://api.test\"]"));

        Assert.Equal(ScopeSet.Parse("read:a"), result.Scopes);
    }

    [Theory]
    [InlineData("exp", "\"{0}\"")]
    [InlineData("exp", "{0}.5")]
    [InlineData("exp", "{0}.0")]
    [InlineData("exp", "{0}e0")]
    [InlineData("exp", "1e300")]
    [InlineData("exp", "-1")]
    [InlineData("exp", "true")]
    [InlineData("exp", "null")]
    [InlineData("nbf", "\"{1}\"")]
    [InlineData("nbf", "{1}.25")]
    [InlineData("iat", "\"{1}\"")]
    [InlineData("iat", "[{1}]")]
    public async Task Convert_TimeClaimThatIsNotAWholeNumber_IsInvalidLifetime(string claim, string format)
    {
        var now = DateTimeOffset.UtcNow.ToUnixTimeSeconds();
        var value = string.Format(System.Globalization.CultureInfo.InvariantCulture, format, now + 600, now - 10);
        var ex = await Refused(WithClaimJson(claim, value));

        Assert.Equal(TokenConversionFailure.InvalidLifetime, ex.Reason);
        Assert.Contains($"'{claim}'", ex.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("iat")]
    [InlineData("nbf")]
    public async Task Convert_TimeClaimOfZero_IsAWholeNumberAndAccepted(string claim)
    {
        var result = await Converter().ConvertAsync(WithClaimJson(claim, "0"));

        Assert.Equal(ScopeSet.Parse("read:a"), result.Scopes);
    }

    [Fact]
    public async Task Convert_TimeClaimAfterTheYear9999_IsInvalidLifetimeNamingTheRule()
    {
        var ex = await Refused(WithClaimJson("iat", "253402300800"));

        Assert.Equal(TokenConversionFailure.InvalidLifetime, ex.Reason);
        Assert.Equal("The token's 'iat' claim must be a whole number of seconds since 1970 (RFC 7519 NumericDate); strings, fractions and out-of-range values are refused, not rounded.", ex.Message);
    }

    [Theory]
    [InlineData("\" \"")]
    [InlineData("\"\"")]
    [InlineData("\"\\t\"")]
    [InlineData("5")]
    [InlineData("null")]
    [InlineData("[\"client-1\"]")]
    public async Task Convert_BlankOrNonStringSubject_IsMalformed_NotExpired(string subject)
    {
        var ex = await Refused(SubjectToken(subject));

        Assert.Equal(TokenConversionFailure.Malformed, ex.Reason);
        Assert.Contains("'sub'", ex.Message, StringComparison.Ordinal);
    }

    private static string SubjectToken(string subjectJson) => WithClaimJson("sub", subjectJson);

    [Fact]
    public async Task Convert_NoSubject_IsConvertedWithoutOne()
    {
        var result = await Converter().ConvertAsync(SourceTokens.Sign(SourceTokens.Header(), SourceTokens.Payload("read:a", extra: c => c.Remove("sub"))));

        Assert.Null(result.Subject);
    }

    [Theory]
    [InlineData("SCOPE", "\"admin\"")]
    [InlineData("Scope", "123")]
    [InlineData("SCP", "[\"admin\"]")]
    [InlineData("HTTP://SCHEMAS.MICROSOFT.COM/IDENTITY/CLAIMS/SCOPE", "\"admin\"")]
    public async Task Convert_CaseVariantOfAScopeClaim_IsInvalidScope(string claim, string json)
    {
        // A .NET consumer compares claim types ignoring case, so it would read this claim as a scope claim.
        var ex = await Refused(WithClaimJson(claim, json));

        Assert.Equal(TokenConversionFailure.InvalidScope, ex.Reason);
        Assert.DoesNotContain("admin", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Convert_ScopesOverTheProfilesLimits_IsInvalidScope()
    {
        // Built directly (no host start to compare the two limits): the profile allows one scope, the converter more.
        var profile = TestKeys.Options(TestKeys.Ec, ScopeFormat.Array);
        profile.Limits = new ScopeLimits { MaxScopes = 1 };
        var issuer = new ScopeTokenIssuer(profile);

        var ex = await Refused(SourceTokens.Build("read:a write:b"), Converter(issuer: issuer));

        Assert.Equal(TokenConversionFailure.InvalidScope, ex.Reason);
    }

    [Theory]
    [InlineData("partner+jwt")]
    [InlineData("application/partner+jwt")]
    [InlineData("APPLICATION/Partner+JWT")]
    [InlineData("partner+jwt ")]
    [InlineData(" application/partner+jwt\t")]
    public async Task Convert_OurOwnTypeInAnySpellingOfItsMediaType_IsReplayedOwnToken(string typ)
    {
        var converter = Converter(ownType: "partner+jwt");

        var ex = await Refused(SourceTokens.Sign(SourceTokens.Header(typ: typ), SourceTokens.Payload("read:a")), converter);

        Assert.Equal(TokenConversionFailure.ReplayedOwnToken, ex.Reason);
    }

    [Fact]
    public async Task Convert_OwnTypeConfiguredWithTheApplicationPrefix_StillRefusesTheShortForm()
    {
        var ex = await Refused(SourceTokens.Sign(SourceTokens.Header(typ: "partner+jwt"), SourceTokens.Payload("read:a")), Converter(ownType: "application/partner+jwt"));

        Assert.Equal(TokenConversionFailure.ReplayedOwnToken, ex.Reason);
    }

    [Theory]
    [InlineData("application/jwt")]
    [InlineData("application/at+jwt")]
    public async Task Convert_GenericOwnTypeInItsLongForm_DoesNotRefuseOtherIssuersTokens(string ownType)
    {
        var result = await Converter(ownType: ownType).ConvertAsync(SourceTokens.Build("read:a"));

        Assert.Equal(ScopeSet.Parse("read:a"), result.Scopes);
    }

    public static TheoryData<string, string, TokenConversionFailure> HostileInnerTokens() => new()
    {
        { "jku", """{"alg":"RS256","kid":"auth0-key-1","jku":"http://127.0.0.1:1/jwks"}""", TokenConversionFailure.UntrustedKeyReference },
        { "x5u", """{"alg":"RS256","kid":"auth0-key-1","x5u":"http://127.0.0.1:1/c"}""", TokenConversionFailure.UntrustedKeyReference },
        { "crit", """{"alg":"RS256","kid":"auth0-key-1","crit":["exp"],"exp":1}""", TokenConversionFailure.UnsupportedCriticalHeader },
        { "duplicate escaped alg", "{\"alg\":\"RS256\",\"\\u0061lg\":\"RS256\",\"kid\":\"auth0-key-1\"}", TokenConversionFailure.DuplicateJsonKey },
        { "zip", """{"alg":"RS256","kid":"auth0-key-1","zip":"DEF"}""", TokenConversionFailure.Malformed },
        { "nested 40 deep", "{\"alg\":\"RS256\",\"kid\":\"auth0-key-1\",\"x\":" + new string('[', 40) + new string(']', 40) + "}", TokenConversionFailure.NestingTooDeep },
        { "our own typ", """{"alg":"RS256","kid":"auth0-key-1","typ":"partner+jwt"}""", TokenConversionFailure.ReplayedOwnToken },
        { "lone surrogate", "{\"alg\":\"RS256\",\"kid\":\"auth0-key-1\",\"x\":{\"y\":\"\\uD800\"}}", TokenConversionFailure.Malformed },
    };

    [Theory]
    [MemberData(nameof(HostileInnerTokens))]
    public async Task Convert_EncryptedTokenWithHostileInnerHeader_IsRefusedLikeAJws(string description, string innerHeader, TokenConversionFailure reason)
    {
        using var rsa = RSA.Create(2048);
        var jwe = Encrypt(SourceTokens.Sign(innerHeader, SourceTokens.Payload("read:a")), rsa);

        var ex = await Refused(jwe, EncryptedConverter(rsa, ownType: "partner+jwt"));

        Assert.True(reason == ex.Reason, $"{description}: expected {reason}, got {ex.Reason}: {ex.Message}");
    }

    [Fact]
    public async Task Convert_EncryptedTokenSignedWithOurOwnKid_IsReplayedOwnToken()
    {
        using var rsa = RSA.Create(2048);
        var jwe = Encrypt(SourceTokens.Sign($$"""{"alg":"RS256","kid":"{{TestKeys.Ec.KeyId}}"}""", SourceTokens.Payload("read:a")), rsa);

        var ex = await Refused(jwe, EncryptedConverter(rsa));

        Assert.Equal(TokenConversionFailure.ReplayedOwnToken, ex.Reason);
    }

    [Fact]
    public async Task Convert_EncryptedTokenWithNestedLoneSurrogateInItsPayload_IsMalformed()
    {
        using var rsa = RSA.Create(2048);
        var jwe = Encrypt(WithClaimJson("foo", "{\"x\":\"\\uD800\"}"), rsa);

        var ex = await Refused(jwe, EncryptedConverter(rsa));

        Assert.Equal(TokenConversionFailure.Malformed, ex.Reason);
    }

    [Fact]
    public async Task Convert_EncryptedTokenWithAPlainInnerJws_IsConverted()
    {
        using var rsa = RSA.Create(2048);
        var jwe = Encrypt(SourceTokens.Build("read:a write:b"), rsa);

        var result = await EncryptedConverter(rsa, ownType: "partner+jwt").ConvertAsync(jwe);

        Assert.Equal(ScopeSet.Parse("read:a write:b"), result.Scopes);
    }

    [Theory]
    [InlineData("RSA1_5")]
    [InlineData("none")]
    [InlineData("HS256")]
    public async Task Convert_EncryptedTokenWithAKeyManagementAlgorithmOutsideTheList_IsRefusedBeforeDecrypting(string alg)
    {
        // Microsoft.IdentityModel unwraps with any alg the decryption key supports; RSA1_5's padding failures are an oracle.
        using var rsa = RSA.Create(2048);
        var jwe = SourceTokens.Encode($$"""{"alg":"{{alg}}","enc":"A128CBC-HS256","kid":"enc-1"}""") + ".AAAA.AAAA.AAAA.AAAA";

        var ex = await Refused(jwe, EncryptedConverter(rsa));

        Assert.Equal(TokenConversionFailure.AlgorithmNotAllowed, ex.Reason);
    }

    [Fact]
    public async Task Convert_EncryptedTokenThatDoesNotDecrypt_ReadsTheSameWhereverItFails()
    {
        // A bit flipped in the wrapped key and one flipped in the ciphertext must not be told apart (a padding oracle).
        using var rsa = RSA.Create(2048);
        var parts = Encrypt(SourceTokens.Build("read:a"), rsa).Split('.');
        string Flip(int part)
        {
            var copy = (string[])parts.Clone();
            var bytes = Base64UrlEncoder.DecodeBytes(copy[part]);
            bytes[bytes.Length / 2] ^= 0x01;
            copy[part] = Base64UrlEncoder.Encode(bytes);
            return string.Join('.', copy);
        }

        var wrappedKey = await Refused(Flip(1), EncryptedConverter(rsa));
        var ciphertext = await Refused(Flip(3), EncryptedConverter(rsa));

        Assert.Equal(TokenConversionFailure.Invalid, wrappedKey.Reason);
        Assert.Equal(wrappedKey.Reason, ciphertext.Reason);
        Assert.Equal("The encrypted token could not be decrypted.", wrappedKey.Message);
        Assert.Equal(wrappedKey.Message, ciphertext.Message);
    }

    [Fact]
    public async Task Convert_EncryptedTokenWhoseInnerKidIsUnknown_IsUnknownKey()
    {
        // The kid is hidden until decryption, so validation tried every key; the kid must still name one.
        using var rsa = RSA.Create(2048);
        var inner = SourceTokens.Sign("""{"alg":"RS256","kid":"no-such-key"}""", SourceTokens.Payload("read:a"));

        var ex = await Refused(Encrypt(inner, rsa), EncryptedConverter(rsa));

        Assert.Equal(TokenConversionFailure.UnknownKey, ex.Reason);
    }

    [Fact]
    public async Task Convert_EncryptedTokenFromOurOwnIssuer_IsRefused()
    {
        using var rsa = RSA.Create(2048);
        var inner = SourceTokens.Sign(SourceTokens.Header(), SourceTokens.Payload("read:a", issuer: "https://issuer.test"));

        var ex = await Refused(Encrypt(inner, rsa), EncryptedConverter(rsa));

        Assert.Contains(ex.Reason, new[] { TokenConversionFailure.ReplayedOwnToken, TokenConversionFailure.WrongIssuer });
    }

    private static ScopeTokenConverter EncryptedConverter(RSA rsa, string? ownType = null) => Converter(
        o =>
        {
            o.AllowEncryptedTokens = true;
            o.DecryptionKeys.Add(new RsaSecurityKey(rsa) { KeyId = "enc-1" });
        },
        ownType: ownType);

    private static string Encrypt(string innerJws, RSA rsa) =>
        new JsonWebTokenHandler().EncryptToken(innerJws, new EncryptingCredentials(new RsaSecurityKey(rsa.ExportParameters(false)) { KeyId = "enc-1" }, SecurityAlgorithms.RsaOAEP, SecurityAlgorithms.Aes128CbcHmacSha256));
}
