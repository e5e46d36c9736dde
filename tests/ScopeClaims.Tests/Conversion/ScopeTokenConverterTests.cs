using System.Security.Cryptography;
using System.Text.Json;
using Microsoft.Extensions.Options;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;
using ScopeClaims;
using ScopeClaims.Tests.Serialization;

namespace ScopeClaims.Tests.Conversion;

public class ScopeTokenConverterTests
{
    private static ScopeTokenIssuer OurIssuer(ScopeFormat format = ScopeFormat.Array, Action<ScopeTokenOptions>? configure = null)
    {
        var options = TestKeys.Options(TestKeys.Ec, format);
        configure?.Invoke(options);
        return new ScopeTokenIssuer(options);
    }

    private static ScopeTokenConverter Converter(ScopeTokenIssuer? issuer = null, Action<ScopeTokenConverterOptions>? configure = null, InboundIssuerOptions? inbound = null)
    {
        var options = new ScopeTokenConverterOptions();
        options.Issuers.Add(inbound ?? SourceTokens.Inbound());
        configure?.Invoke(options);
        return new ScopeTokenConverter(options, issuer ?? OurIssuer());
    }

    [Fact]
    public async Task Convert_StringToArray_ReissuesUnderOurIssuerKeyAndType()
    {
        var issuer = OurIssuer();
        var source = SourceTokens.Build("read:a write:b");

        var result = await Converter(issuer).ConvertAsync(source);

        var payload = ScopeSerializerTests.Payload(result.Token);
        Assert.Equal("""["read:a","write:b"]""", payload.GetProperty("scope").GetRawText());
        Assert.Equal("https://issuer.test", payload.GetProperty("iss").GetString());
        Assert.Equal("https://partner.test", payload.GetProperty("aud").GetString());
        Assert.Equal("client-1@clients", payload.GetProperty("sub").GetString());
        Assert.Equal("client-1", payload.GetProperty("azp").GetString());
        Assert.Equal("client-credentials", payload.GetProperty("gty").GetString());
        Assert.False(payload.TryGetProperty("email", out _));
        Assert.NotEqual("source-jti", payload.GetProperty("jti").GetString());
        Assert.Equal(TestKeys.Ec.KeyId, new JsonWebToken(result.Token).Kid);
        Assert.Equal(ScopeSet.Parse("read:a write:b"), result.Scopes);
        Assert.Equal(SourceTokens.Auth0, result.SourceIssuer);

        var jwks = new JsonWebKeySet(issuer.Keys.ExportPublicJwks());
        var parameters = TestKeys.ValidationParameters(issuer.Keys);
        parameters.IssuerSigningKeys = jwks.GetSigningKeys();
        Assert.True((await new JsonWebTokenHandler().ValidateTokenAsync(result.Token, parameters)).IsValid);
    }

    [Fact]
    public async Task Convert_ArraySourceToSpaceDelimitedTarget_WritesOneScopeString()
    {
        var result = await Converter(OurIssuer(ScopeFormat.SpaceDelimited)).ConvertAsync(SourceTokens.Build(new[] { "read:a", "write:b" }));

        Assert.Equal("read:a write:b", ScopeSerializerTests.Payload(result.Token).GetProperty("scope").GetString());
    }

    [Theory]
    [InlineData("scope", true)]
    [InlineData("scp", true)]
    [InlineData("scope", false)]
    [InlineData("scp", false)]
    public async Task Convert_EverySourceShape_GivesTheSameSet(string claim, bool array)
    {
        object scope = array ? new[] { "read:a", "write:b" } : "read:a write:b";

        var result = await Converter().ConvertAsync(SourceTokens.Sign(SourceTokens.Header(), SourceTokens.Payload(scope, claim)));

        Assert.Equal(ScopeSet.Parse("read:a write:b"), ScopeNormalizer.Default.Read(new JsonWebToken(result.Token)));
    }

    [Fact]
    public async Task Convert_Expiry_IsTheEarlierOfSourceAndMaxLifetime()
    {
        var shortSource = await Converter().ConvertAsync(SourceTokens.Build("a", expiresInSeconds: 120));
        var longSource = await Converter().ConvertAsync(SourceTokens.Build("a", expiresInSeconds: 7200));
        var capped = await Converter(configure: o => o.MaxLifetime = TimeSpan.FromMinutes(1)).ConvertAsync(SourceTokens.Build("a", expiresInSeconds: 7200));

        var now = DateTimeOffset.UtcNow;
        Assert.InRange(shortSource.ExpiresAt, now.AddSeconds(100), now.AddSeconds(121));
        Assert.InRange(longSource.ExpiresAt, now.AddMinutes(4), now.AddMinutes(5).AddSeconds(1));
        Assert.InRange(capped.ExpiresAt, now.AddSeconds(40), now.AddSeconds(61));
    }

    [Fact]
    public async Task Convert_AllowedScopes_DownScopes()
    {
        var result = await Converter(configure: o => o.AllowedScopes = "read:a other").ConvertAsync(SourceTokens.Build("read:a write:b"));

        Assert.Equal(new[] { "read:a" }, result.Scopes.ToArray());
        Assert.True(result.Scopes.IsSubsetOf(ScopeSet.Parse("read:a write:b")));
    }

    [Fact]
    public async Task Convert_CopiedClaims_AreConfigurable()
    {
        var result = await Converter(configure: o =>
        {
            o.CopiedClaims.Clear();
            o.CopiedClaims.Add("email");
        }).ConvertAsync(SourceTokens.Build("a"));

        var payload = ScopeSerializerTests.Payload(result.Token);
        Assert.Equal("someone@example.test", payload.GetProperty("email").GetString());
        Assert.False(payload.TryGetProperty("azp", out _));
    }

    // The theory data is each case's name and the reason it must be refused; its token is built in the test, since
    // tokens carry the time of the run and some are signed with fresh keys (the data is the same at discovery and run).
    public static TheoryData<string, TokenConversionFailure> HostileTokens()
    {
        var data = new TheoryData<string, TokenConversionFailure>();
        foreach (var (description, _, reason) in HostileTokenCases())
        {
            data.Add(description, reason);
        }

        return data;
    }

    private static HostileTokenTable HostileTokenCases()
    {
        var header = SourceTokens.Header();
        var payload = SourceTokens.Payload("read:a");
        return new HostileTokenTable
        {
            { "alg none", () => SourceTokens.Encode("""{"alg":"none","typ":"JWT"}""") + "." + SourceTokens.Encode(payload) + ".", TokenConversionFailure.AlgorithmNotAllowed },
            { "alg None signed", () => SourceTokens.Sign("""{"alg":"None","kid":"auth0-key-1"}""", payload), TokenConversionFailure.AlgorithmNotAllowed },
            { "alg NONE with junk signature", () => SourceTokens.Encode("""{"alg":"NONE"}""") + "." + SourceTokens.Encode(payload) + ".c2ln", TokenConversionFailure.AlgorithmNotAllowed },
            { "alg nOnE", () => SourceTokens.Encode("""{"alg":"nOnE"}""") + "." + SourceTokens.Encode(payload) + ".", TokenConversionFailure.AlgorithmNotAllowed },
            { "no signature", () => SourceTokens.Encode(header) + "." + SourceTokens.Encode(payload) + ".", TokenConversionFailure.AlgorithmNotAllowed },
            { "algorithm outside allowlist", () => SourceTokens.Sign(SourceTokens.Header(SourceTokens.IssuerKey, alg: "PS256"), payload, new TokenSigningKey(SourceTokens.IssuerKey.Key, "PS256", SourceTokens.IssuerKey.KeyId)), TokenConversionFailure.AlgorithmNotAllowed },
            { "unknown kid", () => SourceTokens.Sign(SourceTokens.Header(TokenSigningKey.Generate("RS256", "stranger")), payload, TokenSigningKey.Generate("RS256", "stranger")), TokenConversionFailure.UnknownKey },
            { "signed by another key under the issuer's kid", () => SourceTokens.Sign(header, payload, new TokenSigningKey(TokenSigningKey.Generate("RS256").Key, "RS256", SourceTokens.IssuerKey.KeyId)), TokenConversionFailure.InvalidSignature },
            { "tampered payload", () => Tamper(SourceTokens.Sign(header, payload)), TokenConversionFailure.InvalidSignature },
            { "crit header", () => SourceTokens.Sign("""{"alg":"RS256","kid":"auth0-key-1","crit":["exp"],"exp":1}""", payload), TokenConversionFailure.UnsupportedCriticalHeader },
            { "crit b64", () => SourceTokens.Sign("""{"alg":"RS256","kid":"auth0-key-1","b64":false,"crit":["b64"]}""", payload), TokenConversionFailure.UnsupportedCriticalHeader },
            { "jku header", () => SourceTokens.Sign("""{"alg":"RS256","kid":"auth0-key-1","jku":"http://127.0.0.1:1/jwks"}""", payload), TokenConversionFailure.UntrustedKeyReference },
            { "x5u header", () => SourceTokens.Sign("""{"alg":"RS256","kid":"auth0-key-1","x5u":"http://127.0.0.1:1/cert"}""", payload), TokenConversionFailure.UntrustedKeyReference },
            { "duplicate alg in header", () => SourceTokens.Sign("""{"alg":"RS256","alg":"none","kid":"auth0-key-1"}""", payload), TokenConversionFailure.DuplicateJsonKey },
            { "duplicate alg, one escaped", () => SourceTokens.Sign("{\"alg\":\"RS256\",\"\\u0061lg\":\"none\",\"kid\":\"auth0-key-1\"}", payload), TokenConversionFailure.DuplicateJsonKey },
            { "duplicate scope, one escaped", () => SourceTokens.Sign(header, payload.Replace("\"scope\":\"read:a\"", "\"scope\":\"read:a\",\"\\u0073cope\":\"admin\"", StringComparison.Ordinal)), TokenConversionFailure.DuplicateJsonKey },
            { "duplicate scope in payload", () => SourceTokens.Sign(header, payload.Replace("\"scope\":\"read:a\"", "\"scope\":\"read:a\",\"scope\":\"admin\"", StringComparison.Ordinal)), TokenConversionFailure.DuplicateJsonKey },
            { "duplicate key nested in payload", () => SourceTokens.Sign(header, payload.Replace("}", ",\"ext\":{\"a\":1,\"a\":2}}", StringComparison.Ordinal)), TokenConversionFailure.DuplicateJsonKey },
            { "deeply nested payload", () => SourceTokens.Sign(header, payload.Replace("}", ",\"x\":" + new string('[', 40) + new string(']', 40) + "}", StringComparison.Ordinal)), TokenConversionFailure.NestingTooDeep },
            { "JWE", () => "eyJhbGciOiJSU0EtT0FFUCIsImVuYyI6IkEyNTZHQ00ifQ.a.b.c.d", TokenConversionFailure.EncryptedTokenNotAllowed },
            { "two parts", () => SourceTokens.Encode(header) + "." + SourceTokens.Encode(payload), TokenConversionFailure.Malformed },
            { "bad base64url", () => "e30!.e30.c2ln", TokenConversionFailure.Malformed },
            { "padded base64url header", () => Pad(SourceTokens.Sign(header, payload), part: 0), TokenConversionFailure.Malformed },
            { "padded base64url payload", () => Pad(SourceTokens.Sign(header, payload), part: 1), TokenConversionFailure.Malformed },
            { "base64 '+' in the payload", () => Replace(SourceTokens.Sign(header, payload), part: 1, '-', '+'), TokenConversionFailure.Malformed },
            { "base64 '/' in the header", () => Replace(SourceTokens.Sign(header, payload), part: 0, 'J', '/'), TokenConversionFailure.Malformed },
            { "whitespace inside the payload", () => Replace(SourceTokens.Sign(header, payload), part: 1, 'e', ' '), TokenConversionFailure.Malformed },
            { "line break inside the header", () => Replace(SourceTokens.Sign(header, payload), part: 0, 'e', '\n'), TokenConversionFailure.Malformed },
            { "payload is an array", () => SourceTokens.Sign(header, "[1]"), TokenConversionFailure.Malformed },
            { "header without alg", () => SourceTokens.Sign("""{"kid":"auth0-key-1"}""", payload), TokenConversionFailure.Malformed },
            { "empty", () => string.Empty, TokenConversionFailure.Malformed },
            { "expired", () => SourceTokens.Build("a", expiresInSeconds: -600), TokenConversionFailure.Expired },
            { "not yet valid", () => SourceTokens.Sign(header, SourceTokens.Payload("a", extra: c => c["nbf"] = DateTimeOffset.UtcNow.AddMinutes(10).ToUnixTimeSeconds())), TokenConversionFailure.NotYetValid },
            { "no exp", () => SourceTokens.Sign(header, SourceTokens.Payload("a", extra: c => c.Remove("exp"))), TokenConversionFailure.InvalidLifetime },
            { "unconfigured issuer", () => SourceTokens.Sign(header, SourceTokens.Payload("a", issuer: "https://evil.test/")), TokenConversionFailure.WrongIssuer },
            { "no issuer", () => SourceTokens.Sign(header, SourceTokens.Payload("a", extra: c => c.Remove("iss"))), TokenConversionFailure.WrongIssuer },
            { "issuer of wrong type", () => SourceTokens.Sign(header, SourceTokens.Payload("a", extra: c => c["iss"] = 5)), TokenConversionFailure.WrongIssuer },
            { "wrong audience", () => SourceTokens.Sign(header, SourceTokens.Payload("a", audience: "https://other.test")), TokenConversionFailure.WrongAudience },
            { "no audience", () => SourceTokens.Sign(header, SourceTokens.Payload("a", extra: c => c.Remove("aud"))), TokenConversionFailure.WrongAudience },
            { "scope is a number", () => SourceTokens.Build(42), TokenConversionFailure.InvalidScope },
            { "scope element with space", () => SourceTokens.Build(new[] { "read", "write admin" }), TokenConversionFailure.InvalidScope },
            { "scope with a tab", () => SourceTokens.Build("read\twrite"), TokenConversionFailure.InvalidScope },
            { "scope nested array", () => SourceTokens.Build(new object[] { "a", new[] { "b" } }), TokenConversionFailure.InvalidScope },
            { "own issuer", () => SourceTokens.Sign(header, SourceTokens.Payload("a", issuer: "https://issuer.test")), TokenConversionFailure.ReplayedOwnToken },

            // Names are compared after unescaping wherever the escape falls, and header rules apply to unescaped names.
            { "crit, escaped", () => SourceTokens.Sign("{\"alg\":\"RS256\",\"kid\":\"auth0-key-1\",\"\\u0063rit\":[\"exp\"]}", payload), TokenConversionFailure.UnsupportedCriticalHeader },
            { "jku, escaped", () => SourceTokens.Sign("{\"alg\":\"RS256\",\"kid\":\"auth0-key-1\",\"\\u006Aku\":\"http://127.0.0.1:1/\"}", payload), TokenConversionFailure.UntrustedKeyReference },
            { "duplicate alg, escaped first", () => SourceTokens.Sign("{\"\\u0061lg\":\"RS256\",\"alg\":\"none\",\"kid\":\"auth0-key-1\"}", payload), TokenConversionFailure.DuplicateJsonKey },
            { "duplicate alg, both escaped", () => SourceTokens.Sign("{\"\\u0061lg\":\"RS256\",\"kid\":\"auth0-key-1\",\"al\\u0067\":\"none\"}", payload), TokenConversionFailure.DuplicateJsonKey },
            { "duplicate after a refused header", () => SourceTokens.Sign("""{"alg":"RS256","crit":["exp"],"alg":"HS256"}""", payload), TokenConversionFailure.DuplicateJsonKey },
            { "alg is a lone surrogate", () => SourceTokens.Sign("{\"alg\":\"\\uD800\",\"kid\":\"auth0-key-1\"}", payload), TokenConversionFailure.Malformed },
            { "iss is a lone surrogate", () => SourceTokens.Sign(header, payload.Replace("\"iss\":\"https://tenant.auth0.test/\"", "\"iss\":\"\\uDC00\"", StringComparison.Ordinal)), TokenConversionFailure.Malformed },
            { "duplicate key in the second of two sibling objects", () => SourceTokens.Sign(header, payload.Replace("}", ",\"ext\":[{\"a\":1},{\"a\":1,\"\\u0061\":2}]}", StringComparison.Ordinal)), TokenConversionFailure.DuplicateJsonKey },
            { "duplicate escaped key in a payload over 1 KB", () => SourceTokens.Sign(header, payload.Replace("}", ",\"pad\":\"" + new string('x', 2000) + "\",\"\\u0073ub\":\"other\"}", StringComparison.Ordinal)), TokenConversionFailure.DuplicateJsonKey },
        };
    }

    private static string Pad(string token, int part)
    {
        var parts = token.Split('.');
        parts[part] += "==";
        return string.Join('.', parts);
    }

    private static string Replace(string token, int part, char from, char to)
    {
        // Note: the first occurrence only; every encoded JSON object here starts with "ey", so 'e' is always found.
        var parts = token.Split('.');
        var at = parts[part].IndexOf(from, StringComparison.Ordinal);
        parts[part] = at < 0 ? parts[part] + to : parts[part][..at] + to + parts[part][(at + 1)..];
        return string.Join('.', parts);
    }

    [Theory]
    [InlineData(0, '=')]
    [InlineData(1, '+')]
    [InlineData(1, '/')]
    [InlineData(1, ' ')]
    [InlineData(0, '\t')]
    public async Task Convert_ACharacterOutsideTheBase64UrlAlphabet_IsRefusedBeforeDecoding(int part, char bad)
    {
        // Lenient decoders skip whitespace and padding or accept the base64 alphabet; the token must not be read at all.
        var token = Replace(SourceTokens.Build("read:a"), part, 'e', bad);

        var ex = await Assert.ThrowsAsync<TokenConversionException>(() => Converter().ConvertAsync(token));

        Assert.Equal(TokenConversionFailure.Malformed, ex.Reason);
        Assert.Contains("outside its alphabet", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Convert_HostileScopesOnAForgedToken_AreReportedAsTheSignature_NotTheScopes()
    {
        // The scopes of a token that did not validate are never the reason given: validation comes first.
        var forged = SourceTokens.Sign(SourceTokens.Header(), SourceTokens.Payload("read\twrite"), new TokenSigningKey(TokenSigningKey.Generate("RS256").Key, "RS256", SourceTokens.IssuerKey.KeyId));

        var ex = await Assert.ThrowsAsync<TokenConversionException>(() => Converter().ConvertAsync(forged));

        Assert.Equal(TokenConversionFailure.InvalidSignature, ex.Reason);
        Assert.Equal(TokenConversionFailure.InvalidScope, (await Assert.ThrowsAsync<TokenConversionException>(() => Converter().ConvertAsync(SourceTokens.Build("read\twrite")))).Reason);
    }

    [Fact]
    public async Task Convert_NamesInsideNestedValues_AreNeitherDuplicatesNorClaims()
    {
        // Only the payload's own properties are claims: an "iss" or "scope" inside an object is data, and the same name
        // may appear again at another level or in a sibling object.
        var payload = SourceTokens.Payload("read:a").Replace("}", ",\"ext\":{\"iss\":\"https://evil.test/\",\"scope\":\"admin\",\"ext\":{\"ext\":1}},\"list\":[{\"a\":1},{\"a\":1}],\"pad\":\"" + new string('x', 2000) + "\"}", StringComparison.Ordinal);

        var result = await Converter().ConvertAsync(SourceTokens.Sign(SourceTokens.Header(), payload));

        Assert.Equal(ScopeSet.Parse("read:a"), result.Scopes);
        Assert.Equal(SourceTokens.Auth0, result.SourceIssuer);
    }

    [Fact]
    public async Task Convert_EscapedClaimNames_AreReadAsTheirUnescapedNames()
    {
        var payload = SourceTokens.Payload("read:a").Replace("\"scope\"", "\"\\u0073cope\"", StringComparison.Ordinal).Replace("\"azp\"", "\"\\u0061zp\"", StringComparison.Ordinal);

        var result = await Converter().ConvertAsync(SourceTokens.Sign(SourceTokens.Header(), payload));

        Assert.Equal(ScopeSet.Parse("read:a"), result.Scopes);
        Assert.Equal("client-1", ScopeSerializerTests.Payload(result.Token).GetProperty("azp").GetString());
    }

    [Theory]
    [MemberData(nameof(HostileTokens))]
    public async Task Convert_HostileToken_IsRefusedWithReason_AndNothingIssued(string description, TokenConversionFailure reason)
    {
        var token = HostileTokenCases().Single(c => c.Description == description).Token();

        var ex = await Assert.ThrowsAsync<TokenConversionException>(() => Converter().ConvertAsync(token));

        Assert.True(reason == ex.Reason, $"{description}: expected {reason}, got {ex.Reason}: {ex.Message}");
        AssertNoTokenIn(ex, token);
    }

    // What the refusal of a hostile case of the table above says (the start of its message, when the rest names a value).
    private static readonly Dictionary<string, string> HostileTokenMessages = new()
    {
        ["alg None signed"] = "The token is unsigned (alg 'none'); a signature is required.",
        ["no signature"] = "The token is unsigned; a signature is required.",
        ["algorithm outside allowlist"] = "The token's algorithm is not in the inbound issuer's allowlist (RS256).",
        ["unknown kid"] = "No key of the inbound issuer has the token's kid.",
        ["crit header"] = "The token header marks extensions as critical ('crit'); none is implemented, so it must be refused (RFC 7515 §4.1.11).",
        ["jku header"] = "The token header carries 'jku'; key references in a token are never dereferenced nor trusted (RFC 8725 §3.10).",
        ["x5u header"] = "The token header carries 'x5u'; key references in a token are never dereferenced nor trusted (RFC 8725 §3.10).",
        ["duplicate alg in header"] = "The token header names a JSON property more than once.",
        ["duplicate scope in payload"] = "The token payload names a JSON property more than once.",
        ["deeply nested payload"] = "The token payload nests JSON deeper than 16 levels.",
        ["JWE"] = "The token is encrypted (JWE); set ScopeTokenConverterOptions.AllowEncryptedTokens and DecryptionKeys to accept it.",
        ["two parts"] = "The token is not a compact JWS (three base64url parts separated by dots).",
        ["empty"] = "The token is not a compact JWS (three base64url parts separated by dots).",
        ["bad base64url"] = "The token header is not valid base64url (",
        ["padded base64url payload"] = "The token payload is not valid base64url (",
        ["payload is an array"] = "The token payload is not one JSON object.",
        ["header without alg"] = "The token header has no 'alg'.",
        ["no issuer"] = "The token has no 'iss' claim.",
        ["issuer of wrong type"] = "The token's 'iss' claim is not a string.",
        ["unconfigured issuer"] = "The token's issuer is not a configured inbound issuer (ScopeTokenConverterOptions.Issuers).",
        ["own issuer"] = "The token was issued by our own issuer; a converted token is never converted again.",
        ["scope is a number"] = "The token's scopes are refused: The scope claim 'scope' is a number; it must be a space-delimited string or an array of strings.",
        ["alg is a lone surrogate"] = "The token header holds a string that is not valid Unicode (an escaped lone surrogate).",
        ["iss is a lone surrogate"] = "The token payload holds a string that is not valid Unicode (an escaped lone surrogate).",
    };

    public static TheoryData<string> HostileTokensWithMessages() => new(HostileTokenMessages.Keys);

    [Theory]
    [MemberData(nameof(HostileTokensWithMessages))]
    public async Task Convert_HostileToken_MessageSaysWhatIsWrong(string description)
    {
        var token = HostileTokenCases().Single(c => c.Description == description).Token();

        var ex = await Assert.ThrowsAsync<TokenConversionException>(() => Converter().ConvertAsync(token));

        Assert.StartsWith(HostileTokenMessages[description], ex.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("header")]
    [InlineData("payload")]
    public async Task Convert_InvalidUtf8InAJsonString_IsMalformed(string part)
    {
        // {"alg":"\xEE"} and {"iss":"\xEE"}: found by AFL++; must never escape as InvalidOperationException.
        var badHeader = Base64UrlEncoder.Encode(new byte[] { 0x7B, 0x22, 0x61, 0x6C, 0x67, 0x22, 0x3A, 0x22, 0xEE, 0x22, 0x7D });
        var badPayload = Base64UrlEncoder.Encode(new byte[] { 0x7B, 0x22, 0x69, 0x73, 0x73, 0x22, 0x3A, 0x22, 0xEE, 0x22, 0x7D });
        var token = part == "header"
            ? badHeader + "." + SourceTokens.Encode(SourceTokens.Payload("a")) + ".c2ln"
            : SourceTokens.Encode(SourceTokens.Header()) + "." + badPayload + ".c2ln";

        var ex = await Assert.ThrowsAsync<TokenConversionException>(() => Converter().ConvertAsync(token));

        Assert.Equal(TokenConversionFailure.Malformed, ex.Reason);
        Assert.Equal($"The token {part} is not valid UTF-8.", ex.Message);
    }

    [Fact]
    public async Task Convert_OversizedToken_IsRefusedBeforeParsing()
    {
        var token = new string('!', 10_000);

        var ex = await Assert.ThrowsAsync<TokenConversionException>(() => Converter().ConvertAsync(token));

        Assert.Equal(TokenConversionFailure.Oversized, ex.Reason);
        Assert.Equal(TokenConversionFailure.Oversized, (await Assert.ThrowsAsync<TokenConversionException>(() => Converter(configure: o => o.MaxTokenLength = 300).ConvertAsync(SourceTokens.Build("a")))).Reason);
    }

    [Fact]
    public async Task Convert_HsTokenMacedWithIssuersRsaPublicKey_IsRefused()
    {
        // The classic RS/HS confusion: the attacker MACs with the public key, hoping the verifier uses it as an HMAC secret.
        var publicKey = SourceTokens.PublicKey(SourceTokens.IssuerKey);
        using var rsa = RSA.Create();
        rsa.ImportParameters(((RsaSecurityKey)new TokenSigningKey(SourceTokens.IssuerKey.Key).Key).Rsa.ExportParameters(false));
        var payload = SourceTokens.Payload("admin");
        var header = """{"alg":"HS256","kid":"auth0-key-1","typ":"JWT"}""";

        foreach (var secret in new[] { rsa.ExportSubjectPublicKeyInfo(), System.Text.Encoding.ASCII.GetBytes(rsa.ExportSubjectPublicKeyInfoPem()), rsa.ExportRSAPublicKey() })
        {
            var token = SourceTokens.MacWith(secret, header, payload);

            var strict = await Assert.ThrowsAsync<TokenConversionException>(() => Converter().ConvertAsync(token));
            Assert.Equal(TokenConversionFailure.AlgorithmNotAllowed, strict.Reason);

            // Even when the inbound issuer wrongly allows HS256 too, an RSA key is never used as an HMAC secret.
            var lax = await Assert.ThrowsAsync<TokenConversionException>(() => Converter(inbound: SourceTokens.Inbound("RS256", "HS256")).ConvertAsync(token));
            Assert.Contains(lax.Reason, new[] { TokenConversionFailure.InvalidSignature, TokenConversionFailure.UnknownKey, TokenConversionFailure.AlgorithmNotAllowed, TokenConversionFailure.Invalid });
        }

        Assert.NotNull(publicKey);
    }

    [Fact]
    public async Task Convert_EmbeddedJwkHeader_IsRefused()
    {
        // The attacker embeds its own public key and signs with the matching private key.
        var attacker = TokenSigningKey.Generate("RS256", "auth0-key-1");
        var jwk = attacker.ToPublicJsonWebKey()!;
        var header = JsonSerializer.Serialize(new { alg = "RS256", kid = "auth0-key-1", jwk = new { kty = "RSA", n = jwk.N, e = jwk.E } });

        var ex = await Assert.ThrowsAsync<TokenConversionException>(() => Converter().ConvertAsync(SourceTokens.Sign(header, SourceTokens.Payload("admin"), attacker)));

        Assert.Equal(TokenConversionFailure.UntrustedKeyReference, ex.Reason);
    }

    [Fact]
    public async Task Convert_X5cHeaderWithAttackerCertificate_IsNotTrusted()
    {
        var attacker = RSA.Create(2048);
        using var cert = new System.Security.Cryptography.X509Certificates.CertificateRequest("CN=evil", attacker, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1).CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddDays(1));
        var key = new TokenSigningKey(new RsaSecurityKey(attacker), "RS256", "auth0-key-1");
        var header = JsonSerializer.Serialize(new { alg = "RS256", kid = "auth0-key-1", x5c = new[] { Convert.ToBase64String(cert.RawData) } });

        var ex = await Assert.ThrowsAsync<TokenConversionException>(() => Converter().ConvertAsync(SourceTokens.Sign(header, SourceTokens.Payload("admin"), key)));

        Assert.Equal(TokenConversionFailure.InvalidSignature, ex.Reason);
    }

    [Fact]
    public async Task Convert_EncryptedToken_WhenEnabled_IsDecryptedThenValidated()
    {
        using var rsa = System.Security.Cryptography.RSA.Create(2048);
        var decryptionKey = new RsaSecurityKey(rsa) { KeyId = "enc-1" };
        var now = DateTime.UtcNow;
        var jwe = new JsonWebTokenHandler().CreateToken(new SecurityTokenDescriptor
        {
            Issuer = SourceTokens.Auth0,
            Audience = SourceTokens.Api,
            IssuedAt = now,
            NotBefore = now,
            Expires = now.AddMinutes(10),
            Claims = new Dictionary<string, object> { ["scope"] = "read:a write:b", ["sub"] = "client-1" },
            SigningCredentials = SourceTokens.IssuerKey.Credentials,
            EncryptingCredentials = new EncryptingCredentials(new RsaSecurityKey(rsa.ExportParameters(false)) { KeyId = "enc-1" }, SecurityAlgorithms.RsaOAEP, SecurityAlgorithms.Aes128CbcHmacSha256),
        });

        Assert.Equal(TokenConversionFailure.EncryptedTokenNotAllowed, (await Assert.ThrowsAsync<TokenConversionException>(() => Converter().ConvertAsync(jwe))).Reason);

        var result = await Converter(configure: o =>
        {
            o.AllowEncryptedTokens = true;
            o.DecryptionKeys.Add(decryptionKey);
        }).ConvertAsync(jwe);

        Assert.Equal(ScopeSet.Parse("read:a write:b"), result.Scopes);
        Assert.Equal("client-1", result.Subject);
    }

    [Fact]
    public async Task Convert_OurOwnToken_IsRefused()
    {
        var issuer = OurIssuer();
        var ours = issuer.Issue(ScopeSet.Parse("a"));

        var ex = await Assert.ThrowsAsync<TokenConversionException>(() => Converter(issuer).ConvertAsync(ours));

        Assert.Equal(TokenConversionFailure.ReplayedOwnToken, ex.Reason);
    }

    [Fact]
    public async Task Convert_TokenWithOurDistinctiveType_IsRefused()
    {
        var issuer = OurIssuer(configure: o => o.TokenType = "partner+jwt");
        var options = new ScopeTokenConverterOptions();
        options.Issuers.Add(SourceTokens.Inbound());
        var converter = new ScopeTokenConverter(options, issuer);

        var ex = await Assert.ThrowsAsync<TokenConversionException>(() => converter.ConvertAsync(SourceTokens.Sign(SourceTokens.Header(typ: "partner+jwt"), SourceTokens.Payload("a"))));

        Assert.Equal(TokenConversionFailure.ReplayedOwnToken, ex.Reason);
    }

    [Fact]
    public async Task Convert_IssuerOfAnotherType_ReportsTheExpiryTheIssuerGives()
    {
        var issuer = new ReportingIssuer(OurIssuer());
        var options = new ScopeTokenConverterOptions();
        options.Issuers.Add(SourceTokens.Inbound());

        var result = await new ScopeTokenConverter(options, issuer).ConvertAsync(SourceTokens.Build("a"));

        Assert.Equal(1, issuer.Calls);
        Assert.Equal(issuer.LastExpiresAt, result.ExpiresAt);
        Assert.Equal(issuer.LastExpiresAt.ToUnixTimeSeconds(), ScopeSerializerTests.Payload(result.Token).GetProperty("exp").GetInt64());
    }

    [Fact]
    public async Task Convert_TokenTypesAllowlist_IsEnforced()
    {
        var inbound = SourceTokens.Inbound();
        inbound.TokenTypes.Add("at+jwt");

        var ex = await Assert.ThrowsAsync<TokenConversionException>(() => Converter(inbound: inbound).ConvertAsync(SourceTokens.Build("a")));

        Assert.Equal(TokenConversionFailure.WrongTokenType, ex.Reason);
        Assert.NotNull(await Converter(inbound: inbound).ConvertAsync(SourceTokens.Sign(SourceTokens.Header(typ: "at+jwt"), SourceTokens.Payload("a"))));
    }

    [Fact]
    public async Task Convert_ClockSkew_IsBounded()
    {
        var inbound = SourceTokens.Inbound();
        inbound.ClockSkew = TimeSpan.Zero;

        var ex = await Assert.ThrowsAsync<TokenConversionException>(() => Converter(inbound: inbound).ConvertAsync(SourceTokens.Build("a", expiresInSeconds: -5)));

        Assert.Equal(TokenConversionFailure.Expired, ex.Reason);
    }

    [Fact]
    public async Task Convert_SourceWithinSkewButExpired_IssuesNothing()
    {
        var ex = await Assert.ThrowsAsync<TokenConversionException>(() => Converter().ConvertAsync(SourceTokens.Build("a", expiresInSeconds: -5)));

        Assert.Equal(TokenConversionFailure.Expired, ex.Reason);
    }

    [Fact]
    public async Task Convert_IssuerKeysFromJwksJson_VerifiesAndKeepsTheScopes()
    {
        var inbound = new InboundIssuerOptions { Issuer = SourceTokens.Auth0, JwksJson = new SigningKeySet(SourceTokens.IssuerKey).ExportPublicJwks() };
        inbound.Audiences.Add(SourceTokens.Api);
        inbound.Algorithms.Add("RS256");

        var result = await Converter(inbound: inbound).ConvertAsync(SourceTokens.Build("a b"));

        Assert.Equal(ScopeSet.Parse("a b"), result.Scopes);
    }

    [Fact]
    public async Task Convert_IssuerKeysFromJwksPath_VerifiesAndKeepsTheScopes()
    {
        var path = Path.GetTempFileName();
        try
        {
            await File.WriteAllTextAsync(path, new SigningKeySet(SourceTokens.IssuerKey).ExportPublicJwks());
            var inbound = new InboundIssuerOptions { Issuer = SourceTokens.Auth0, JwksPath = path };
            inbound.Audiences.Add(SourceTokens.Api);
            inbound.Algorithms.Add("RS256");

            Assert.Equal(ScopeSet.Parse("a"), (await Converter(inbound: inbound).ConvertAsync(SourceTokens.Build("a"))).Scopes);
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Fact]
    public async Task Convert_TokenWithoutKid_TriesTheIssuersKeys()
    {
        var header = """{"alg":"RS256","typ":"JWT"}""";

        var result = await Converter().ConvertAsync(SourceTokens.Sign(header, SourceTokens.Payload("a")));

        Assert.Equal(ScopeSet.Parse("a"), result.Scopes);
    }

    [Fact]
    public async Task Convert_SeveralInboundIssuers_PicksByIssuer()
    {
        var okta = TokenSigningKey.Generate("ES256", "okta-1");
        var inbound = new InboundIssuerOptions { Issuer = "https://okta.test/oauth2/default" };
        inbound.Audiences.Add("api://default");
        inbound.Algorithms.Add("ES256");
        inbound.SigningKeys.Add(SourceTokens.PublicKey(okta));
        var converter = Converter(configure: o => o.Issuers.Add(inbound));

        var token = SourceTokens.Sign(SourceTokens.Header(okta), SourceTokens.Payload(new[] { "a" }, "scp", issuer: "https://okta.test/oauth2/default", audience: "api://default"), okta);
        var crossed = SourceTokens.Sign(SourceTokens.Header(okta), SourceTokens.Payload(new[] { "a" }, "scp"), okta);

        Assert.Equal(ScopeSet.Parse("a"), (await converter.ConvertAsync(token)).Scopes);
        Assert.Equal(TokenConversionFailure.AlgorithmNotAllowed, (await Assert.ThrowsAsync<TokenConversionException>(() => converter.ConvertAsync(crossed))).Reason);

        // Same algorithm, other issuer's key: the key is not one of this issuer's.
        var oktaRsa = TokenSigningKey.Generate("RS256", "okta-rsa");
        var crossedRsa = SourceTokens.Sign(SourceTokens.Header(oktaRsa), SourceTokens.Payload(new[] { "a" }, "scp"), oktaRsa);
        Assert.Equal(TokenConversionFailure.UnknownKey, (await Assert.ThrowsAsync<TokenConversionException>(() => converter.ConvertAsync(crossedRsa))).Reason);
    }

    [Fact]
    public void Constructor_InvalidOptions_ListsEveryProblem()
    {
        var options = new ScopeTokenConverterOptions { MaxTokenLength = 10, AllowedScopes = "a\tb", MaxLifetime = TimeSpan.Zero };
        options.CopiedClaims.Add("exp");
        var bad = new InboundIssuerOptions { Issuer = "", JwksJson = "{}", Authority = new Uri("http://idp.example.test/"), ClockSkew = TimeSpan.FromHours(1) };
        bad.Algorithms.Add("none");
        options.Issuers.Add(bad);

        var ex = Assert.Throws<OptionsValidationException>(() => new ScopeTokenConverter(options, OurIssuer()));

        foreach (var expected in new[] { "MaxTokenLength", "AllowedScopes", "MaxLifetime", "CopiedClaims", "Issuers[0].Issuer", "Issuers[0].Audiences", "'none'", "ClockSkew", "several key sources", "https" })
        {
            Assert.Contains(ex.Failures, f => f.Contains(expected, StringComparison.Ordinal));
        }
    }

    [Fact]
    public void Constructor_NoIssuers_Throws()
    {
        var ex = Assert.Throws<OptionsValidationException>(() => new ScopeTokenConverter(new ScopeTokenConverterOptions(), OurIssuer()));

        Assert.Contains("at least one inbound issuer", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ArgumentValidation_NullArguments_Throw()
    {
        Assert.Throws<ArgumentNullException>(() => new ScopeTokenConverter(null!, OurIssuer()));
        Assert.Throws<ArgumentNullException>(() => new ScopeTokenConverter(new ScopeTokenConverterOptions(), null!));
        await Assert.ThrowsAsync<ArgumentNullException>(() => Converter().ConvertAsync(null!));
    }

    [Fact]
    public async Task Convert_Cancelled_Throws()
    {
        using var cts = new CancellationTokenSource();
        await cts.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => Converter().ConvertAsync(SourceTokens.Build("a"), cts.Token));
    }

    internal static string Tamper(string token)
    {
        var parts = token.Split('.');
        var payload = SourceTokens.Encode(Microsoft.IdentityModel.Tokens.Base64UrlEncoder.Decode(parts[1]).Replace("read:a", "admin", StringComparison.Ordinal));
        return parts[0] + "." + payload + "." + parts[2];
    }

    internal static void AssertNoTokenIn(Exception ex, string token)
    {
        var text = ex.ToString();
        foreach (var part in token.Split('.').Where(p => p.Length >= 8))
        {
            Assert.DoesNotContain(part, text, StringComparison.Ordinal);
        }
    }

    private sealed class HostileTokenTable : List<(string Description, Func<string> Token, TokenConversionFailure Reason)>
    {
        public void Add(string description, Func<string> token, TokenConversionFailure reason) => Add((description, token, reason));
    }

    /// <summary>An issuer that is not a <see cref="ScopeTokenIssuer"/>: the converter knows it only through the interface.</summary>
    private sealed class ReportingIssuer(IScopeTokenIssuer inner) : IScopeTokenIssuer
    {
        public int Calls { get; private set; }

        public DateTimeOffset LastExpiresAt { get; private set; }

        public string Issuer => inner.Issuer;

        public SigningKeySet Keys => inner.Keys;

        public string TokenType => inner.TokenType;

        public string Issue(ScopeTokenRequest request) => throw new InvalidOperationException("The converter asks for the expiry too.");

        public string Issue(ScopeTokenRequest request, out DateTimeOffset expiresAt)
        {
            Calls++;
            var token = inner.Issue(request, out expiresAt);
            LastExpiresAt = expiresAt;
            return token;
        }
    }
}
