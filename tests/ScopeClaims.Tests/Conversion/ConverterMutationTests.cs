using System.Globalization;
using System.Security.Cryptography;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;
using ScopeClaims;
using ScopeClaims.Tests.Serialization;

namespace ScopeClaims.Tests.Conversion;

/// <summary>
/// The converter's edges and exact refusals: the length limit at its value, the first of several problems reported, the
/// whole message of each refusal, the inner token of a JWE, and the clock of the new token at the source's expiry.
/// </summary>
public class ConverterMutationTests
{
    private static ScopeTokenIssuer OurIssuer(Action<ScopeTokenOptions>? configure = null)
    {
        var options = TestKeys.Options(TestKeys.Ec, ScopeFormat.Array);
        configure?.Invoke(options);
        return new ScopeTokenIssuer(options);
    }

    private static ScopeTokenConverter Converter(Action<ScopeTokenConverterOptions>? configure = null, InboundIssuerOptions? inbound = null, ScopeTokenIssuer? issuer = null, TimeProvider? time = null)
    {
        var options = new ScopeTokenConverterOptions();
        options.Issuers.Add(inbound ?? SourceTokens.Inbound());
        configure?.Invoke(options);
        return new ScopeTokenConverter(options, issuer ?? OurIssuer(), time);
    }

    private static async Task<TokenConversionException> Refused(string token, ScopeTokenConverter? converter = null)
    {
        var ex = await Assert.ThrowsAsync<TokenConversionException>(() => (converter ?? Converter()).ConvertAsync(token));
        ScopeTokenConverterTests.AssertNoTokenIn(ex, token);
        return ex;
    }

    /// <summary>A payload written member by member, in this order (the source's own order matters to some rules).</summary>
    private static string RawPayload(params string[] members)
    {
        var now = DateTimeOffset.UtcNow.ToUnixTimeSeconds();
        var defaults = new Dictionary<string, string>
        {
            ["iss"] = "\"" + SourceTokens.Auth0 + "\"",
            ["aud"] = "\"" + SourceTokens.Api + "\"",
            ["exp"] = (now + 600).ToString(CultureInfo.InvariantCulture),
            ["scope"] = "\"read:a\"",
        };
        var written = new List<string>(members);
        foreach (var (name, json) in defaults)
        {
            if (!members.Any(m => m.StartsWith("\"" + name + "\":", StringComparison.Ordinal)))
            {
                written.Add("\"" + name + "\":" + json);
            }
        }

        return "{" + string.Join(",", written) + "}";
    }

    private static string Signed(params string[] members) => SourceTokens.Sign(SourceTokens.Header(), RawPayload(members));

    private static ScopeTokenConverter EncryptedConverter(RSA rsa, InboundIssuerOptions? inbound = null, Action<ScopeTokenConverterOptions>? configure = null) => Converter(
        o =>
        {
            o.AllowEncryptedTokens = true;
            o.DecryptionKeys.Add(new RsaSecurityKey(rsa) { KeyId = "enc-1" });
            configure?.Invoke(o);
        },
        inbound);

    private static string Encrypt(string innerJws, RSA rsa) =>
        new JsonWebTokenHandler().EncryptToken(innerJws, new EncryptingCredentials(new RsaSecurityKey(rsa.ExportParameters(false)) { KeyId = "enc-1" }, SecurityAlgorithms.RsaOAEP, SecurityAlgorithms.Aes128CbcHmacSha256));

    [Fact]
    public async Task Convert_TokenOfExactlyMaxTokenLength_IsAcceptedAndOneCharacterLessOfLimitIsOversized()
    {
        var token = SourceTokens.Build("read:a");

        var result = await Converter(o => o.MaxTokenLength = token.Length).ConvertAsync(token);
        var ex = await Refused(token, Converter(o => o.MaxTokenLength = token.Length - 1));

        Assert.Equal(ScopeSet.Parse("read:a"), result.Scopes);
        Assert.Equal(TokenConversionFailure.Oversized, ex.Reason);
        Assert.Equal($"The token is {token.Length} characters long; the limit is {token.Length - 1} (ScopeTokenConverterOptions.MaxTokenLength).", ex.Message);
    }

    [Fact]
    public async Task Convert_EncryptedTokenWithRsa15_MessageListsTheAcceptedAlgorithms()
    {
        using var rsa = RSA.Create(2048);
        var jwe = SourceTokens.Encode("""{"alg":"RSA1_5","enc":"A128CBC-HS256","kid":"enc-1"}""") + ".AAAA.AAAA.AAAA.AAAA";

        var ex = await Refused(jwe, EncryptedConverter(rsa));

        Assert.Equal(TokenConversionFailure.AlgorithmNotAllowed, ex.Reason);
        Assert.Equal("The encrypted token's key-management algorithm is not accepted (accepted: RSA-OAEP, RSA-OAEP-256, ECDH-ES, ECDH-ES+A128KW, ECDH-ES+A256KW, A128KW, A256KW, dir).", ex.Message);
    }

    [Fact]
    public async Task Convert_EmptyPayloadPart_IsNotACompactJws()
    {
        var ex = await Refused(SourceTokens.Encode(SourceTokens.Header()) + "..c2ln");

        Assert.Equal(TokenConversionFailure.Malformed, ex.Reason);
        Assert.Equal("The token is not a compact JWS (three base64url parts separated by dots).", ex.Message);
    }

#if NET9_0_OR_GREATER
    [Fact]
    public async Task Convert_PayloadOverTheStackBuffer_GoesBackToThePoolCleared()
    {
        // A payload decoding to more than 1024 bytes is decoded into a pooled array; the pool's per-thread cache hands
        // this thread's last returned array of the size to the next renter on it. The token is refused for its issuer,
        // before Microsoft.IdentityModel (which rents arrays of its own) sees it; everything up to there runs on this thread.
        var payload = RawPayload("\"iss\":\"https://unknown.test/\"", "\"pad\":\"" + new string('x', 1500) + "\"");
        var token = SourceTokens.Sign(SourceTokens.Header(), payload);
        var encodedPayload = token.Split('.')[1];
        var size = System.Buffers.Text.Base64Url.GetMaxDecodedLength(encodedPayload.Length);
        Assert.InRange(size, 1025, 2048);
        var pooled = System.Buffers.ArrayPool<byte>.Shared.Rent(size);
        pooled.AsSpan().Fill(0x55);
        System.Buffers.ArrayPool<byte>.Shared.Return(pooled);

        var task = Converter().ConvertAsync(token);

        Assert.True(pooled.AsSpan().IndexOfAnyExcept((byte)0) < 0, "the payload's array went back to the pool holding data");
        Assert.Equal(TokenConversionFailure.WrongIssuer, (await Assert.ThrowsAsync<TokenConversionException>(() => task)).Reason);
    }
#endif

    [Theory]
    [InlineData("\"crit\":[\"exp\"],\"jku\":\"http://127.0.0.1:1/\"", TokenConversionFailure.UnsupportedCriticalHeader, "The token header marks extensions as critical ('crit'); none is implemented, so it must be refused (RFC 7515 §4.1.11).")]
    [InlineData("\"jku\":\"http://127.0.0.1:1/\",\"crit\":[\"exp\"]", TokenConversionFailure.UntrustedKeyReference, "The token header carries 'jku'; key references in a token are never dereferenced nor trusted (RFC 8725 §3.10).")]
    [InlineData("\"zip\":\"DEF\",\"x5u\":\"http://127.0.0.1:1/\"", TokenConversionFailure.Malformed, "The token header carries 'zip', which a JWS must not.")]
    public async Task Convert_HeaderWithTwoProblems_ReportsTheFirst(string members, TokenConversionFailure reason, string message)
    {
        var ex = await Refused(SourceTokens.Sign("{\"alg\":\"RS256\",\"kid\":\"auth0-key-1\"," + members + "}", SourceTokens.Payload("read:a")));

        Assert.Equal(reason, ex.Reason);
        Assert.Equal(message, ex.Message);
    }

    [Theory]
    [InlineData("{\"alg\":5,\"kid\":\"auth0-key-1\"}")]
    [InlineData("{\"alg\":\"RS256\",\"kid\":[\"auth0-key-1\"]}")]
    [InlineData("{\"alg\":\"RS256\",\"kid\":\"auth0-key-1\",\"typ\":null}")]
    public async Task Convert_HeaderMemberThatIsNotAString_IsMalformedNamingTheRule(string header)
    {
        var ex = await Refused(SourceTokens.Sign(header, SourceTokens.Payload("read:a")));

        Assert.Equal(TokenConversionFailure.Malformed, ex.Reason);
        Assert.Equal("The token header's 'alg', 'kid' and 'typ' must be strings.", ex.Message);
    }

    private const string AudienceRule = "The token's 'aud' claim must be a string or a non-empty array of strings (RFC 7519 §4.1.3).";
    private const string SubjectRule = "The token's 'sub' claim must be a non-blank string (RFC 7519 §4.1.2).";
    private const string ExpRule = "The token's 'exp' claim must be a whole number of seconds since 1970 (RFC 7519 NumericDate); strings, fractions and out-of-range values are refused, not rounded.";
    private const string NbfRule = "The token's 'nbf' claim must be a whole number of seconds since 1970 (RFC 7519 NumericDate); strings, fractions and out-of-range values are refused, not rounded.";

    [Theory]
    [InlineData("\"aud\":5", "\"sub\":\"\"", TokenConversionFailure.Malformed, AudienceRule)]
    [InlineData("\"sub\":\" \"", "\"aud\":[]", TokenConversionFailure.Malformed, SubjectRule)]
    [InlineData("\"sub\":5", "\"exp\":\"soon\"", TokenConversionFailure.Malformed, SubjectRule)]
    [InlineData("\"exp\":1.5", "\"nbf\":\"now\"", TokenConversionFailure.InvalidLifetime, ExpRule)]
    [InlineData("\"nbf\":-1", "\"sub\":\"\"", TokenConversionFailure.InvalidLifetime, NbfRule)]
    public async Task Convert_PayloadWithTwoProblems_ReportsTheFirst(string first, string second, TokenConversionFailure reason, string message)
    {
        var ex = await Refused(Signed(first, second));

        Assert.Equal(reason, ex.Reason);
        Assert.Equal(message, ex.Message);
    }

    [Theory]
    [InlineData("iat")]
    [InlineData("exp")]
    public async Task Convert_TimeClaimOfExactlyTheLastSecondOfYear9999_IsAccepted(string claim)
    {
        var result = await Converter().ConvertAsync(Signed("\"" + claim + "\":253402300799"));

        Assert.Equal(ScopeSet.Parse("read:a"), result.Scopes);
    }

    [Theory]
    [InlineData("\"scope\":42", "\"SCOPE\":\"admin\"", "The token's scopes are refused: The scope claim 'scope' is a number; it must be a space-delimited string or an array of strings.")]
    [InlineData("\"SCOPE\":\"admin\"", "\"scope\":42", "The token's scopes are refused: The scope claim 'scope' is also named by a claim whose name differs from it only in case; .NET compares claim types ignoring case, so that claim would be read as this scope claim. Name scope claims exactly.")]
    [InlineData("\"scope\":42", "\"scp\":true", "The token's scopes are refused: The scope claim 'scope' is a number; it must be a space-delimited string or an array of strings.")]
    public async Task Convert_TwoScopeProblems_ReportsTheFirst(string first, string second, string message)
    {
        var ex = await Refused(Signed(first, second));

        Assert.Equal(TokenConversionFailure.InvalidScope, ex.Reason);
        Assert.Equal(message, ex.Message);
    }

    [Fact]
    public async Task Convert_ScopeClaimsThatDisagree_IsInvalidScopeNamingTheSecond()
    {
        var ex = await Refused(Signed("\"scope\":\"read:a\"", "\"scp\":[\"write:b\"]"));

        Assert.Equal(TokenConversionFailure.InvalidScope, ex.Reason);
        Assert.Equal("The token's scopes are refused: The scope claim 'scp' holds a different set of scopes than 'scope'; with several scope claims present they must agree (see ScopeNormalizerOptions.MultipleClaims).", ex.Message);
    }

    [Fact]
    public async Task Convert_CopiedClaimsOfEveryJsonType_AreCopiedAsTheirJsonAndANullOneIsLeftOut()
    {
        var converter = Converter(o =>
        {
            o.CopiedClaims.Clear();
            foreach (var name in new[] { "s", "n", "f", "b", "o", "a", "z" })
            {
                o.CopiedClaims.Add(name);
            }
        });

        var result = await converter.ConvertAsync(Signed("\"s\":\"text \\u00e9\"", "\"n\":12345678901", "\"f\":1.5", "\"b\":false", "\"o\":{\"k\":[1,\"v\",null]}", "\"a\":[true,{}]", "\"z\":null"));

        var payload = ScopeSerializerTests.Payload(result.Token);
        Assert.Equal("text é", payload.GetProperty("s").GetString());
        Assert.Equal("12345678901", payload.GetProperty("n").GetRawText());
        Assert.Equal("1.5", payload.GetProperty("f").GetRawText());
        Assert.Equal("false", payload.GetProperty("b").GetRawText());
        Assert.Equal("{\"k\":[1,\"v\",null]}", payload.GetProperty("o").GetRawText());
        Assert.Equal("[true,{}]", payload.GetProperty("a").GetRawText());
        Assert.False(payload.TryGetProperty("z", out _));
    }

    [Fact]
    public async Task Convert_SourceSignedUnderOurOwnKid_IsReplayedOwnTokenNamingTheKey()
    {
        var token = SourceTokens.Sign($$"""{"alg":"RS256","kid":"{{TestKeys.Ec.KeyId}}"}""", SourceTokens.Payload("read:a"));

        var ex = await Refused(token);

        Assert.Equal(TokenConversionFailure.ReplayedOwnToken, ex.Reason);
        Assert.Equal("The token is signed with one of our own keys; a converted token is never converted again.", ex.Message);
    }

    [Fact]
    public async Task Convert_SourceWithOurOwnType_IsReplayedOwnTokenNamingTheType()
    {
        var converter = Converter(issuer: OurIssuer(o => o.TokenType = "partner+jwt"));

        var ex = await Refused(SourceTokens.Sign(SourceTokens.Header(typ: "partner+jwt"), SourceTokens.Payload("read:a")), converter);

        Assert.Equal(TokenConversionFailure.ReplayedOwnToken, ex.Reason);
        Assert.Equal("The token has our own 'typ'; a converted token is never converted again.", ex.Message);
    }

    [Fact]
    public async Task Convert_OwnTypeAtJwt_IsGenericAndASourceOfThatTypeIsConverted()
    {
        var converter = Converter(issuer: OurIssuer(o => o.TokenType = "at+jwt"));

        var result = await converter.ConvertAsync(SourceTokens.Sign(SourceTokens.Header(typ: "at+jwt"), SourceTokens.Payload("read:a")));

        Assert.Equal(ScopeSet.Parse("read:a"), result.Scopes);
    }

    [Fact]
    public async Task Convert_EncryptedTokenWithTwoInboundIssuers_IsWrongIssuer()
    {
        using var rsa = RSA.Create(2048);
        var other = new InboundIssuerOptions { Issuer = "https://other.test/" };
        other.Audiences.Add(SourceTokens.Api);
        other.Algorithms.Add("RS256");
        other.SigningKeys.Add(SourceTokens.PublicKey(SourceTokens.IssuerKey));

        var ex = await Refused(Encrypt(SourceTokens.Build("read:a"), rsa), EncryptedConverter(rsa, configure: o => o.Issuers.Add(other)));

        Assert.Equal(TokenConversionFailure.WrongIssuer, ex.Reason);
        Assert.Equal("An encrypted token can only be converted when exactly one inbound issuer is configured.", ex.Message);
    }

    [Theory]
    [InlineData("https://evil.test/")]
    [InlineData("https://issuer.test")] // our own: the one inbound issuer is assumed for an encrypted token, and a decrypted payload naming our issuer is not that issuer's
    public async Task Convert_EncryptedTokenOfAnotherIssuer_IsWrongIssuerWithTheDiagnostic(string issuer)
    {
        using var rsa = RSA.Create(2048);
        var inner = SourceTokens.Sign(SourceTokens.Header(), SourceTokens.Payload("read:a", issuer: issuer));

        var ex = await Refused(Encrypt(inner, rsa), EncryptedConverter(rsa));

        Assert.Equal(TokenConversionFailure.WrongIssuer, ex.Reason);
        Assert.Equal("The token's issuer is not accepted. (SecurityTokenInvalidIssuerException, IDX10205)", ex.Message);
    }

    [Fact]
    public async Task Convert_WrongAudience_MessageCarriesTheDiagnostic()
    {
        var ex = await Refused(SourceTokens.Sign(SourceTokens.Header(), SourceTokens.Payload("read:a", audience: "https://other.test")));

        Assert.Equal(TokenConversionFailure.WrongAudience, ex.Reason);
        Assert.Equal("The token's audience is not one the inbound issuer allows. (SecurityTokenInvalidAudienceException, IDX10214)", ex.Message);
    }

    [Fact]
    public async Task Convert_TokenTypeOutsideTheAllowlist_MessageCarriesTheDiagnostic()
    {
        var inbound = SourceTokens.Inbound();
        inbound.TokenTypes.Add("at+jwt");

        var ex = await Refused(SourceTokens.Build("read:a"), Converter(inbound: inbound));

        Assert.Equal(TokenConversionFailure.WrongTokenType, ex.Reason);
        Assert.Equal("The token's 'typ' is not one the inbound issuer allows. (SecurityTokenInvalidTypeException, IDX10257)", ex.Message);
    }

    [Fact]
    public async Task Convert_AlgorithmOutsideAnAllowlistOfTwo_MessageListsBoth()
    {
        var ps256 = new TokenSigningKey(SourceTokens.IssuerKey.Key, "PS256", SourceTokens.IssuerKey.KeyId);
        var token = SourceTokens.Sign(SourceTokens.Header(SourceTokens.IssuerKey, alg: "PS256"), SourceTokens.Payload("read:a"), ps256);

        var ex = await Refused(token, Converter(inbound: SourceTokens.Inbound("RS256", "ES256")));

        Assert.Equal(TokenConversionFailure.AlgorithmNotAllowed, ex.Reason);
        Assert.Equal("The token's algorithm is not in the inbound issuer's allowlist (RS256, ES256).", ex.Message);
    }

    [Fact]
    public async Task Convert_EncryptedTokenWhoseInnerAlgorithmIsSecondInTheAllowlist_IsConverted()
    {
        using var rsa = RSA.Create(2048);

        var result = await EncryptedConverter(rsa, SourceTokens.Inbound("ES256", "RS256")).ConvertAsync(Encrypt(SourceTokens.Build("read:a"), rsa));

        Assert.Equal(ScopeSet.Parse("read:a"), result.Scopes);
    }

    [Fact]
    public async Task Convert_EncryptedTokenWhoseInnerAlgorithmIsNotAllowed_IsRefusedByValidation()
    {
        using var rsa = RSA.Create(2048);
        var ps256 = new TokenSigningKey(SourceTokens.IssuerKey.Key, "PS256", SourceTokens.IssuerKey.KeyId);
        var inner = SourceTokens.Sign(SourceTokens.Header(SourceTokens.IssuerKey, alg: "PS256"), SourceTokens.Payload("read:a"), ps256);

        var ex = await Refused(Encrypt(inner, rsa), EncryptedConverter(rsa, SourceTokens.Inbound("RS256", "ES256")));

        // Microsoft.IdentityModel holds the inner token to ValidAlgorithms and reports a refusal as a signature failure.
        Assert.Equal(TokenConversionFailure.InvalidSignature, ex.Reason);
        Assert.Equal("The token's signature does not verify. (SecurityTokenInvalidSignatureException, IDX10511)", ex.Message);
    }

    [Fact]
    public async Task Convert_EncryptedTokenWhoseInnerSignatureIsPadded_IsMalformed()
    {
        using var rsa = RSA.Create(2048);
        var inner = SourceTokens.Build("read:a");
        while (inner.Split('.')[2].Length % 4 == 0)
        {
            inner = SourceTokens.Build("read:a");
        }

        var ex = await Refused(Encrypt(inner + new string('=', 4 - (inner.Split('.')[2].Length % 4)), rsa), EncryptedConverter(rsa));

        Assert.Equal(TokenConversionFailure.Malformed, ex.Reason);
        Assert.Equal("The token signature is not valid base64url (a character outside its alphabet).", ex.Message);
    }

    [Fact]
    public async Task Convert_EncryptedTokenWhoseInnerKidIsUnknown_MessageNamesTheInnerKid()
    {
        using var rsa = RSA.Create(2048);
        var inner = SourceTokens.Sign("""{"alg":"RS256","kid":"no-such-key"}""", SourceTokens.Payload("read:a"));

        var ex = await Refused(Encrypt(inner, rsa), EncryptedConverter(rsa));

        Assert.Equal(TokenConversionFailure.UnknownKey, ex.Reason);
        Assert.Equal("No key of the inbound issuer has the encrypted token's inner kid.", ex.Message);
    }

    [Fact]
    public async Task Convert_OurIssuerRenamedToTheInboundIssuerAfterConstruction_TokensOfItAreReplayedOwnTokens()
    {
        // A host's own IScopeTokenIssuer may report another name later than when the converter was built; tokens of
        // the name it reports now are still never converted, signed or encrypted.
        using var rsa = RSA.Create(2048);
        var renaming = new RenamingIssuer(new ScopeTokenIssuer(TestKeys.Options(TestKeys.Ec)));
        var options = new ScopeTokenConverterOptions { AllowEncryptedTokens = true };
        options.DecryptionKeys.Add(new RsaSecurityKey(rsa) { KeyId = "enc-1" });
        options.Issuers.Add(SourceTokens.Inbound());
        var converter = new ScopeTokenConverter(options, renaming);
        renaming.Issuer = SourceTokens.Auth0;

        var signed = await Refused(SourceTokens.Build("read:a"), converter);
        var encrypted = await Refused(Encrypt(SourceTokens.Build("read:a"), rsa), converter);

        Assert.Equal(TokenConversionFailure.ReplayedOwnToken, signed.Reason);
        Assert.Equal(TokenConversionFailure.ReplayedOwnToken, encrypted.Reason);
        Assert.Equal("The encrypted token was issued by our own issuer; a converted token is never converted again.", encrypted.Message);
    }

    [Fact]
    public void Constructor_InboundIssuerNamedAsOurOwn_IsRefusedNamingIt()
    {
        var inbound = SourceTokens.Inbound();
        inbound.Issuer = "https://issuer.test";
        var options = new ScopeTokenConverterOptions();
        options.Issuers.Add(SourceTokens.Inbound());
        options.Issuers.Add(inbound);

        var ex = Assert.Throws<OptionsValidationException>(() => new ScopeTokenConverter(options, new ScopeTokenIssuer(TestKeys.Options(TestKeys.Ec))));

        Assert.Equal(
            "ScopeTokenConverterOptions.Issuers[1].Issuer is 'https://issuer.test', the issuer of the converter's own tokens; the converter refuses every token of its own issuer as a replay, so name an issuer other than our own (the default converter).",
            Assert.Single(ex.Failures));
    }

    [Fact]
    public async Task ConvertAsync_TwoOfThreeRequestedScopesNotGranted_MessageCountsTwo()
    {
        var ex = await Assert.ThrowsAsync<TokenConversionException>(() =>
            Converter().ConvertAsync(SourceTokens.Build("read:a"), new ScopeTokenConversionRequest { Scopes = ScopeSet.Parse("read:a write:b admin") }));

        Assert.Equal(TokenConversionFailure.ScopeNotGranted, ex.Reason);
        Assert.Equal("2 requested scope(s) are not granted by the token.", ex.Message);
    }

    [Fact]
    public async Task Convert_ClockAtTheSourcesExpirySecond_IsExpiredAndOneSecondBeforeIsConverted()
    {
        // Microsoft.IdentityModel validates the source's lifetime with the system clock; the converter's own clock decides
        // whether the source lives long enough to yield a token.
        var exp = DateTimeOffset.UtcNow.ToUnixTimeSeconds() + 600;
        var token = Signed("\"exp\":" + exp.ToString(CultureInfo.InvariantCulture));

        var ex = await Refused(token, Converter(time: new FakeTimeProvider(DateTimeOffset.FromUnixTimeSeconds(exp))));
        var result = await Converter(time: new FakeTimeProvider(DateTimeOffset.FromUnixTimeSeconds(exp - 1).AddMilliseconds(999))).ConvertAsync(token);

        Assert.Equal(TokenConversionFailure.Expired, ex.Reason);
        Assert.Equal("The token expires too soon to be converted.", ex.Message);
        Assert.Equal(ScopeSet.Parse("read:a"), result.Scopes);
    }

    [Fact]
    public async Task Convert_ScopesOverTheConvertersLimits_IsInvalidScope()
    {
        var ex = await Refused(SourceTokens.Build("read:a write:b"), Converter(o => o.Limits = new ScopeLimits { MaxScopes = 1 }));

        Assert.Equal(TokenConversionFailure.InvalidScope, ex.Reason);
        Assert.Equal("The token's scopes are refused: The scope claim 'scope' holds more than 1 scopes. Raise ScopeLimits.MaxScopes if this is expected.", ex.Message);
    }

    [Fact]
    public async Task Convert_ScopesOverTheProfilesLimits_MessageNamesTheProfile()
    {
        var issuer = OurIssuer(o => o.Limits = new ScopeLimits { MaxScopes = 1 });

        var ex = await Refused(SourceTokens.Build("read:a write:b"), Converter(issuer: issuer));

        Assert.Equal(TokenConversionFailure.InvalidScope, ex.Reason);
        Assert.Equal("The token's scopes exceed the target profile's limits: The request holds 2 scopes; ScopeTokenOptions.Limits.MaxScopes is 1.", ex.Message);
    }

    [Fact]
    public async Task Convert_CancelledBeforeValidation_ThrowsOperationCanceledWithTheCallersToken()
    {
        using var cts = new CancellationTokenSource();
        await cts.CancelAsync();

        var ex = await Assert.ThrowsAsync<OperationCanceledException>(() => Converter().ConvertAsync(SourceTokens.Build("read:a"), cts.Token));

        Assert.Equal(cts.Token, ex.CancellationToken);
    }

    [Fact]
    public async Task Convert_SourceTheIssuersClockSeesExpired_IsInvalidNamingTheProfileRule()
    {
        // The source expired five seconds ago, within the inbound clock skew; the converter's clock is a minute behind
        // it, so only the issuer (on the system clock) refuses the request.
        var exp = DateTimeOffset.UtcNow.ToUnixTimeSeconds() - 5;
        var token = Signed("\"exp\":" + exp.ToString(CultureInfo.InvariantCulture));

        var ex = await Refused(token, Converter(time: new FakeTimeProvider(DateTimeOffset.FromUnixTimeSeconds(exp - 60))));

        Assert.Equal(TokenConversionFailure.Invalid, ex.Reason);
        Assert.Equal("The token cannot be re-issued under the target profile: The token would already be expired: NotAfter is not later than now. (Parameter 'request')", ex.Message);
    }

    [Fact]
    public async Task Convert_KidTheAuthorityDoesNotPublish_IsUnknownKeyWithTheDiagnostic()
    {
        await using var authority = await LoopbackAuthority.StartAsync(TokenSigningKey.Generate("ES256", "idp-1"));
        var converter = Converter(inbound: authority.Inbound(refresh: TimeSpan.FromMinutes(5)));
        var stranger = TokenSigningKey.Generate("ES256", "unknown-1");

        var ex = await Refused(authority.Token("a", stranger), converter);

        Assert.Equal(TokenConversionFailure.UnknownKey, ex.Reason);
        Assert.Equal("No key of the inbound issuer matches the token's kid. (SecurityTokenSignatureKeyNotFoundException, IDX10500)", ex.Message);
    }
}

/// <summary>An issuer whose reported name can be changed after a converter was built with it.</summary>
internal sealed class RenamingIssuer(IScopeTokenIssuer inner) : IScopeTokenIssuer
{
    public string Issuer { get; set; } = inner.Issuer;

    public SigningKeySet Keys => inner.Keys;

    public string TokenType => inner.TokenType;

    public string Issue(ScopeTokenRequest request) => inner.Issue(request);

    public string Issue(ScopeTokenRequest request, out DateTimeOffset expiresAt) => inner.Issue(request, out expiresAt);
}
