using System.Text.Json;
using ScopeClaims.Internal;
using static ScopeClaims.Internal.CompactJws;

namespace ScopeClaims.Testing.Tests.Internal;

/// <summary>
/// The one decoder of unvalidated compact JWS (linked into ScopeClaims.Testing and the CLI): what it refuses, where, and
/// the one difference between its two rules.
/// </summary>
public sealed class CompactJwsTests
{
    private static readonly string s_header = Tokens.Encode(Tokens.Header);
    private static readonly string s_payload = Tokens.Encode("""{"scope":"a"}""");

    private static Failure Refused(string token, Strictness strictness = Strictness.Canonical)
    {
        Assert.False(TryDecode(token, strictness, out var jws, out var failure));
        Assert.Null(jws);
        return failure;
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void TryDecode_CompactJws_GivesHeaderPayloadAndSignaturePresence(bool lenientSignature)
    {
        var rule = lenientSignature ? Strictness.LenientSignature : Strictness.Canonical;
        Assert.True(TryDecode($"{s_header}.{s_payload}.c2ln", rule, out var jws, out _));

        Assert.Equal(Tokens.Header, jws.HeaderJson);
        Assert.Equal("RS256", jws.Header.GetProperty("alg").GetString());
        Assert.Equal("""{"scope":"a"}""", jws.PayloadJson);
        Assert.Equal(jws.PayloadJson, System.Text.Encoding.UTF8.GetString(jws.PayloadUtf8));
        Assert.Equal(JsonValueKind.Object, jws.Payload.ValueKind);
        Assert.True(jws.HasSignature);

        Assert.True(TryDecode($"{s_header}.{s_payload}.", rule, out var unsigned, out _));
        Assert.False(unsigned.HasSignature);
    }

    [Fact]
    public void TryDecode_SignatureSettingUnusedBits_LenientSignatureAcceptsCanonicalRefuses()
    {
        // "c2l" spells the bytes of "c2k" with one of the two unused bits of its last character set.
        var token = $"{s_header}.{s_payload}.c2l";

        Assert.True(TryDecode(token, Strictness.LenientSignature, out var jws, out _));
        Assert.True(jws.HasSignature);

        Assert.Equal(new Failure(Problem.Base64UrlTrailingBits, Part.Signature) { Base64UrlProblem = "non-zero trailing bits", Index = -1 }, Refused(token, Strictness.Canonical));
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void TryDecode_PayloadSettingUnusedBits_IsRefusedWhateverTheStrictness(bool lenientSignature)
    {
        // "e31" spells "{}" with an unused bit set; the platform's base64url decoder refuses it, so the decoder does first.
        var failure = Refused($"{s_header}.e31.c2ln", lenientSignature ? Strictness.LenientSignature : Strictness.Canonical);

        Assert.Equal(new Failure(Problem.Base64UrlTrailingBits, Part.Payload) { Base64UrlProblem = "non-zero trailing bits", Index = -1 }, failure);
    }

    private static readonly (string Token, Failure Expected)[] s_refusals =
    [
        ("a.b", new(Problem.PartCount, Part.Token) { PartCount = 2 }),
        ("a.b.c.d.e", new(Problem.Encrypted, Part.Token) { PartCount = 5 }),
        ($".{s_payload}.c2ln", new(Problem.Empty, Part.Header)),
        ($"{s_header}..c2ln", new(Problem.Empty, Part.Payload)),
        ($"{s_header}.e30=.c2ln", new(Problem.Base64UrlCharacter, Part.Payload) { Base64UrlProblem = "a character outside its alphabet", Index = 3 }),
        ($"{s_header}.e30AA.c2ln", new(Problem.Base64UrlLength, Part.Payload) { Base64UrlProblem = "its length is impossible", Index = -1 }),
        ($"{s_header}.{s_payload}.c2l+", new(Problem.Base64UrlCharacter, Part.Signature) { Base64UrlProblem = "a character outside its alphabet", Index = 3 }),

        // Every part's text is checked before any part is decoded: the signature's '+' is found before the header's JSON.
        ($"{Tokens.Encode("[")}.{s_payload}.c2l+", new(Problem.Base64UrlCharacter, Part.Signature) { Base64UrlProblem = "a character outside its alphabet", Index = 3 }),
        ($"{Tokens.Encode("{\"a\":")}.{s_payload}.c2ln", new(Problem.NotJson, Part.Header) { Line = 0, BytePosition = 5 }),
        ($"{s_header}.{Tokens.Encode("{} {}")}.c2ln", new(Problem.NotJson, Part.Payload) { Line = 0, BytePosition = 3 }),
        ($"{s_header}.{Tokens.Encode("[1]")}.c2ln", new(Problem.NotAnObject, Part.Payload) { Kind = JsonValueKind.Array }),
        ($"{s_header}.{Tokens.Encode("""{"a":"\uD800"}""")}.c2ln", new(Problem.InvalidString, Part.Payload)),
        ($"{s_header}.{Tokens.Encode("""{"a":1,"\u0061":2}""")}.c2ln", new(Problem.DuplicateMember, Part.Payload) { MemberName = "a" }),
        ($"{s_header}.{Tokens.Encode("""{"a":{"b":1,"b":2}}""")}.c2ln", new(Problem.NestedDuplicateMember, Part.Payload)),
    ];

    [Fact]
    public void TryDecode_Refused_SaysWhatAndWhere()
    {
        foreach (var (token, expected) in s_refusals)
        {
            var failure = Refused(token);

            Assert.Equal(expected, failure);
            Tokens.AssertNoToken(token, failure.ToString());
        }
    }

    [Fact]
    public void TryDecode_InvalidUtf8_IsNotUtf8()
    {
        var token = $"{s_header}.{Microsoft.IdentityModel.Tokens.Base64UrlEncoder.Encode(new byte[] { (byte)'{', (byte)'"', 0xC3, 0x28, (byte)'"', (byte)':', (byte)'1', (byte)'}' })}.c2ln";

        Assert.Equal(new Failure(Problem.NotUtf8, Part.Payload), Refused(token));
    }

    [Fact]
    public void TryDecode_NestedDeeperThanMaxDepth_IsNotJson()
    {
        var deep = "{\"a\":" + new string('[', MaxDepth) + new string(']', MaxDepth) + "}";

        Assert.Equal(Problem.NotJson, Refused($"{s_header}.{Tokens.Encode(deep)}.c2ln").Problem);
    }

    [Fact]
    public void TryDecode_Null_Throws() =>
        Assert.Throws<ArgumentNullException>(() => TryDecode(null!, Strictness.Canonical, out _, out _));
}
