using Microsoft.IdentityModel.Tokens;
using ScopeClaims;
using ScopeClaims.Testing;

namespace ScopeClaims.Testing.Tests.Inspection;

public class TokenInspectorTests
{
    [Fact]
    public void InspectUnvalidated_IssuedToken_ReadsHeaderPayloadAndScopes()
    {
        var time = new ManualTimeProvider(new DateTimeOffset(2030, 1, 2, 3, 4, 5, TimeSpan.Zero));
        var options = new ScopeTokenOptions { Issuer = "https://issuer.test", SigningKeys = new SigningKeySet(TestSigningKeys.Ec), TokenType = "at+jwt" };
        options.Audiences.Add("https://partner.test");
        var token = new ScopeTokenIssuer(options, timeProvider: time).Issue(ScopeSet.Parse("read:a write:b"), "client-1");

        var inspection = TokenInspector.InspectUnvalidated(token);

        Assert.Equal("ES256", inspection.Algorithm);
        Assert.Equal(TestSigningKeys.Ec.KeyId, inspection.KeyId);
        Assert.Equal("at+jwt", inspection.TokenType);
        Assert.True(inspection.IsSigned);
        Assert.Equal(time.GetUtcNow(), inspection.IssuedAt);
        Assert.Equal(time.GetUtcNow(), inspection.NotBefore);
        Assert.Equal(time.GetUtcNow().AddMinutes(5), inspection.ExpiresAt);
        Assert.Equal("client-1", inspection.Payload.GetProperty("sub").GetString());
        Assert.Equal("ES256", inspection.Header.GetProperty("alg").GetString());
        Assert.Contains("\"scope\":[\"read:a\",\"write:b\"]", inspection.PayloadJson, StringComparison.Ordinal);
        Assert.Contains("\"kid\"", inspection.HeaderJson, StringComparison.Ordinal);
        var claim = Assert.Single(inspection.ScopeClaims);
        Assert.Equal("scope", claim.Name);
        Assert.Equal(ScopeClaimShape.Array, claim.Shape);
        Assert.Equal(new[] { "read:a", "write:b" }, claim.Values);
        Assert.Equal(ScopeSet.Parse("read:a write:b"), inspection.Scopes);
        Assert.Null(inspection.ScopeError);
    }

    [Theory]
    [InlineData("""{"scope":["a","b"]}""", ScopeClaimShape.Array, new[] { "a", "b" }, """["a","b"]""")]
    [InlineData("""{"scope":["x"]}""", ScopeClaimShape.Array, new[] { "x" }, """["x"]""")]
    [InlineData("""{"scope":[]}""", ScopeClaimShape.Array, new string[0], "[]")]
    [InlineData("""{"scope":"a b"}""", ScopeClaimShape.SpaceDelimited, new[] { "a", "b" }, "\"a b\"")]
    [InlineData("""{"scope":" a  b "}""", ScopeClaimShape.SpaceDelimited, new[] { "a", "b" }, "\" a  b \"")]
    [InlineData("""{"scope":""}""", ScopeClaimShape.SpaceDelimited, new string[0], "\"\"")]
    [InlineData("""{"scope":5}""", ScopeClaimShape.Other, new string[0], "5")]
    [InlineData("""{"scope":true}""", ScopeClaimShape.Other, new string[0], "true")]
    [InlineData("""{"scope":null}""", ScopeClaimShape.Other, new string[0], "null")]
    [InlineData("""{"scope":{"a":1}}""", ScopeClaimShape.Other, new string[0], """{"a":1}""")]
    [InlineData("""{"scope":["a",1]}""", ScopeClaimShape.Other, new string[0], """["a",1]""")]
    [InlineData("""{"scope":[["a"]]}""", ScopeClaimShape.Other, new string[0], """[["a"]]""")]
    [InlineData("""{"sub":"x"}""", ScopeClaimShape.Absent, new string[0], null)]
    public void GetScopeClaim_EveryShape_IsClassified(string payload, ScopeClaimShape shape, string[] values, string? json)
    {
        var claim = TokenInspector.InspectUnvalidated(Tokens.Make(payload)).GetScopeClaim("scope");

        Assert.Equal("scope", claim.Name);
        Assert.Equal(shape, claim.Shape);
        Assert.Equal(values, claim.Values);
        Assert.Equal(json, claim.Json);
    }

    [Theory]
    [InlineData("""{"scope":["a","b"]}""", """array ["a","b"]""")]
    [InlineData("""{"scope":"a b"}""", "space-delimited string \"a b\"")]
    [InlineData("""{"scope":5}""", "a number 5")]
    [InlineData("""{"scope":false}""", "a boolean false")]
    [InlineData("""{"scope":null}""", "null null")]
    [InlineData("""{"scope":{}}""", "an object {}")]
    [InlineData("""{"scope":["a",{}]}""", """an array holding an object element ["a",{}]""")]
    [InlineData("""{}""", "absent")]
    public void ScopeClaimDescription_ShowsShapeAndJson(string payload, string description)
    {
        var claim = TokenInspector.InspectUnvalidated(Tokens.Make(payload)).GetScopeClaim("scope");

        Assert.Equal(description, claim.Description);
        Assert.Equal(description, claim.ToString());
    }

    [Fact]
    public void ScopeClaimDescription_LongValue_IsShortened()
    {
        var scopes = Enumerable.Range(0, 100).Select(i => $"scope-{i}").ToArray();
        var payload = $$"""{"scope":["{{string.Join("\",\"", scopes)}}"]}""";

        var claim = TokenInspector.InspectUnvalidated(Tokens.Make(payload)).GetScopeClaim("scope");

        Assert.True(claim.Description.Length < 260, claim.Description);
        Assert.EndsWith($"... ({claim.Json!.Length} characters)", claim.Description, StringComparison.Ordinal);
        Assert.Equal(100, claim.Values.Count);
    }

    [Fact]
    public void ScopeClaims_ListsEveryStandardScopeClaimPresent_InOrder()
    {
        var payload = $$"""{"{{ScopeClaimTypes.MicrosoftScope}}":"a b","scp":["a","b"],"scope":"b a","scopes_array":["a"]}""";

        var inspection = TokenInspector.InspectUnvalidated(Tokens.Make(payload));

        Assert.Equal(new[] { "scope", "scp", ScopeClaimTypes.MicrosoftScope }, inspection.ScopeClaims.Select(c => c.Name));
        Assert.Equal(new[] { ScopeClaimShape.SpaceDelimited, ScopeClaimShape.Array, ScopeClaimShape.SpaceDelimited }, inspection.ScopeClaims.Select(c => c.Shape));
        Assert.Equal(ScopeSet.Parse("a b"), inspection.Scopes);
        Assert.Equal(ScopeClaimShape.Array, inspection.GetScopeClaim("scopes_array").Shape);
    }

    [Fact]
    public void Scopes_NoScopeClaim_IsEmpty()
    {
        var inspection = TokenInspector.InspectUnvalidated(Tokens.Make("""{"sub":"x"}"""));

        Assert.Empty(inspection.ScopeClaims);
        Assert.Equal(ScopeSet.Empty, inspection.Scopes);
        Assert.Null(inspection.ScopeError);
    }

    [Theory]
    [InlineData("""{"scope":"a","scp":["b"]}""", ScopeErrorReason.ConflictingClaims)]
    [InlineData("""{"scope":["read", "write admin"]}""", ScopeErrorReason.ElementContainsSeparator)]
    [InlineData("""{"scope":5}""", ScopeErrorReason.InvalidShape)]
    [InlineData("""{"scope":"a\tb"}""", ScopeErrorReason.InvalidCharacter)]
    public void Scopes_RefusedByTheNormalizer_AreNullWithTheError(string payload, ScopeErrorReason reason)
    {
        var inspection = TokenInspector.InspectUnvalidated(Tokens.Make(payload));

        Assert.Null(inspection.Scopes);
        Assert.Equal(reason, inspection.ScopeError!.Reason);
        Assert.NotEmpty(inspection.ScopeClaims);
    }

    [Theory]
    [InlineData("""{"alg":"none"}""", "")]
    [InlineData("""{"alg":"NONE"}""", "c2ln")]
    [InlineData("""{"alg":"RS256"}""", "")]
    [InlineData("""{"typ":"JWT"}""", "c2ln")]
    [InlineData("""{"alg":5}""", "c2ln")]
    public void IsSigned_NoSignatureOrNoAlgorithm_IsFalse(string header, string signature)
    {
        Assert.False(TokenInspector.InspectUnvalidated(Tokens.Make("{}", header, signature)).IsSigned);
    }

    [Theory]
    [InlineData("""{"iat":1000,"exp":1300.5}""", 1000_000L, 1300_500L)]
    [InlineData("""{"iat":"1000","exp":1e300}""", null, null)]
    [InlineData("""{"iat":null,"exp":-1e300}""", null, null)]
    public void NumericDates_NumbersOnly_InRange(string payload, long? iatMilliseconds, long? expMilliseconds)
    {
        var inspection = TokenInspector.InspectUnvalidated(Tokens.Make(payload));

        Assert.Equal(iatMilliseconds, inspection.IssuedAt?.ToUnixTimeMilliseconds());
        Assert.Equal(expMilliseconds, inspection.ExpiresAt?.ToUnixTimeMilliseconds());
        Assert.Null(inspection.NotBefore);
    }

    [Fact]
    public void HasClaim_AnyValue_IsPresent()
    {
        var inspection = TokenInspector.InspectUnvalidated(Tokens.Make("""{"a":null,"b":false}"""));

        Assert.True(inspection.HasClaim("a"));
        Assert.True(inspection.HasClaim("b"));
        Assert.False(inspection.HasClaim("A"));
    }

    public static TheoryData<string, string> HostileTokens()
    {
        var header = Tokens.Encode(Tokens.Header);
        var payload = Tokens.Encode("""{"scope":"a"}""");
        var deep = new string('[', 70) + new string(']', 70);
        var invalidUtf8 = Base64UrlEncoder.Encode(new byte[] { (byte)'{', (byte)'"', 0xC3, 0x28, (byte)'"', (byte)':', (byte)'1', (byte)'}' });
        return new()
        {
            { "", "has 1 part(s)" },
            { "abcdefgh", "has 1 part(s)" },
            { $"{header}.{payload}", "has 2 part(s)" },
            { $"{header}.{payload}.c2ln.c2ln", "has 4 part(s)" },
            { $"{header}.ZW5j.aXY.{payload}.dGFn", "it is an encrypted JWE" },
            { $".{payload}.c2ln", "header is empty" },
            { $"{header}..c2ln", "payload is empty" },
            { $"{header}!.{payload}.c2ln", "header is not base64url: the character at index" },
            { $"{header}.{payload}==.c2ln", "payload is not base64url: the character at index" },
            { $"{header}.{payload}.c2l+", "signature is not base64url" },
            { $"{header}.e30AA.c2ln", "payload is not base64url: its length" },
            { $"{header}.e31.c2ln", "payload is not canonical base64url: the unused bits of its last character are not zero" },
            { $"{Tokens.Encode("[1,2]")}.{payload}.c2ln", "header is JSON but an array, not an object" },
            { $"{header}.{Tokens.Encode("\"a b\"")}.c2ln", "payload is JSON but a string, not an object" },
            { $"{header}.{Tokens.Encode("{\"scope\":")}.c2ln", "payload is not well-formed JSON" },
            { $"{header}.{Tokens.Encode("{} {}")}.c2ln", "payload is not well-formed JSON" },
            { $"{Tokens.Encode("\uFEFF" + Tokens.Header)}.{payload}.c2ln", "header is not well-formed JSON" },
            { $"{header}.{Tokens.Encode(deep)}.c2ln", "nested deeper than 64" },
            { $"{header}.{invalidUtf8}.c2ln", "payload is not valid UTF-8" },
            { $"{header}.{Tokens.Encode("""{"scope":"a","scope":["b"]}""")}.c2ln", "payload names the member 'scope' more than once" },
            { $"{Tokens.Encode("""{"alg":"RS256","alg":"none"}""")}.{payload}.c2ln", "header names the member 'alg' more than once" },
            { $"{header}.{Tokens.Encode("""{"scope":"a","cnf":{"jkt":"x","jkt":"y"}}""")}.c2ln", "payload names a member more than once in a nested object" },
            { $"{header}.{Tokens.Encode("""{"scope":"a","act":[{"sub":"x","s\u0075b":"y"}]}""")}.c2ln", "payload names a member more than once in a nested object" },
            { $"{Tokens.Encode("""{"alg":"RS256","jwk":{"kty":"EC","kty":"RSA"}}""")}.{payload}.c2ln", "header names a member more than once in a nested object" },
            { $"{Tokens.Encode("""{"alg":"\uD800"}""")}.{payload}.c2ln", "header holds a string that is not valid Unicode" },
            { $"{header}.{Tokens.Encode("""{"scope":"a\uDC00"}""")}.c2ln", "payload holds a string that is not valid Unicode" },
            { $"{header}.{Tokens.Encode("""{"scope":["a"],"x":{"\uD800":1}}""")}.c2ln", "payload holds a string that is not valid Unicode" },
        };
    }

    [Theory]
    [MemberData(nameof(HostileTokens))]
    public void InspectUnvalidated_HostileToken_ThrowsMalformedTokenException(string token, string expected)
    {
        var ex = Assert.Throws<MalformedTokenException>(() => TokenInspector.InspectUnvalidated(token));

        Assert.Contains(expected, ex.Message, StringComparison.Ordinal);
        Assert.Null(ex.InnerException);
        if (token.Length > 0)
        {
            Tokens.AssertNoToken(token, ex.Message);
        }
    }

    [Fact]
    public void InspectUnvalidated_Null_Throws()
    {
        Assert.Throws<ArgumentNullException>(() => TokenInspector.InspectUnvalidated(null!));
        var inspection = TokenInspector.InspectUnvalidated(Tokens.Make("{}"));
        Assert.Throws<ArgumentNullException>(() => inspection.GetScopeClaim(null!));
        Assert.Throws<ArgumentNullException>(() => inspection.HasClaim(null!));
    }

    [Fact]
    public void MalformedTokenException_Constructors_KeepMessageAndInner()
    {
        var inner = new InvalidOperationException();

        Assert.False(string.IsNullOrEmpty(new MalformedTokenException().Message));
        Assert.Equal("m", new MalformedTokenException("m").Message);
        Assert.Same(inner, new MalformedTokenException("m", inner).InnerException);
        Assert.IsAssignableFrom<FormatException>(new MalformedTokenException());
    }
}
