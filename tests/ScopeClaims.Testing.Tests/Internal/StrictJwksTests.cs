using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using System.Text.Json.Nodes;
using ScopeClaims.Internal;
using static ScopeClaims.Testing.Tests.Internal.RawJose;

namespace ScopeClaims.Testing.Tests.Internal;

public sealed class StrictJwksTests
{
    private static StrictJwks.Result Read(string json, StrictJwks.PrivateKeys privateKeys = StrictJwks.PrivateKeys.Refuse)
    {
        var result = StrictJwks.Read(json, privateKeys);
        if (!result.IsValid)
        {
            Assert.Empty(result.Keys);
            Assert.False(string.IsNullOrEmpty(result.Message));
        }

        return result;
    }

    private static void Refused(string json, StrictJwks.Error error, StrictJwks.PrivateKeys privateKeys = StrictJwks.PrivateKeys.Refuse)
    {
        var result = Read(json, privateKeys);
        Assert.Equal(error, result.Error);
        AssertNoKeyMaterial(json, result.Message!);
    }

    /// <summary>No base64url run of 16 characters or more from the input (a key parameter, a certificate) is in the message.</summary>
    private static void AssertNoKeyMaterial(string json, string message)
    {
        foreach (var word in json.Split('"', ',', ':', '[', ']', '{', '}', ' ').Where(w => w.Length >= 16))
        {
            Assert.DoesNotContain(word, message, StringComparison.Ordinal);
        }
    }

    [Fact]
    public void Read_PublicRsaAndEcKeys_ReturnsJsonWebKeysWithTheirMembers()
    {
        var rsa = Jwk(Rsa2048, kid: "r", alg: "RS256", use: "sig");
        var ec = Jwk(P384, kid: "e", alg: "ES384");
        ec["key_ops"] = new JsonArray("verify");

        var result = Read(Jwks(rsa, ec));

        Assert.True(result.IsValid);
        Assert.Equal(StrictJwks.Error.None, result.Error);
        Assert.Null(result.Message);
        Assert.Collection(
            result.Keys,
            k =>
            {
                Assert.Equal(("RSA", "r", "RS256", "sig"), (k.Kty, k.Kid, k.Alg, k.Use));
                Assert.Equal(rsa["n"]!.GetValue<string>(), k.N);
                Assert.Equal(rsa["e"]!.GetValue<string>(), k.E);
            },
            k =>
            {
                Assert.Equal(("EC", "e", "ES384", "P-384"), (k.Kty, k.Kid, k.Alg, k.Crv));
                Assert.Equal(["verify"], k.KeyOps);
                Assert.Equal(ec["x"]!.GetValue<string>(), k.X);
            });
    }

    [Fact]
    public void Read_KeysNamedTwiceFirstHoldingASecret_DuplicateMember()
    {
        var secret = new JsonObject { ["kty"] = "oct", ["k"] = B64(Secret(32)) };
        var json = "{\"keys\":[" + secret.ToJsonString() + "],\"keys\":[" + Jwk(Rsa2048).ToJsonString() + "]}";

        Refused(json, StrictJwks.Error.DuplicateMember);
    }

    [Fact]
    public void Read_KeysNamedTwiceFirstHoldingAnRsaPrivateKey_DuplicateMember()
    {
        var priv = Jwk(Rsa2048);
        priv["d"] = B64(Rsa2048.ExportParameters(true).D!);
        var json = "{\"keys\":[" + priv.ToJsonString() + "],\"keys\":[" + Jwk(Rsa2048).ToJsonString() + "]}";

        Refused(json, StrictJwks.Error.DuplicateMember);
    }

    [Theory]
    [InlineData("n")]
    [InlineData("kty")]
    [InlineData("alg")]
    public void Read_MemberNamedTwiceInOneKey_DuplicateMember(string member)
    {
        var key = Jwk(Rsa2048, alg: "RS256").ToJsonString();
        var value = Jwk(Rsa2048, alg: "RS256")[member]!.ToJsonString();
        var json = "{\"keys\":[" + key[..^1] + ",\"" + member + "\":" + value + "}]}";

        Refused(json, StrictJwks.Error.DuplicateMember);
    }

    [Fact]
    public void Read_EscapedDuplicateName_DuplicateMember()
    {
        var json = Jwks(Jwk(Rsa2048));
        Refused(json[..^1] + ",\"k\\u0065ys\":[]}", StrictJwks.Error.DuplicateMember);
    }

    [Fact]
    public void Read_NestedDeeperThanTheLimit_TooDeep()
    {
        var key = Jwk(Rsa2048).ToJsonString();
        var deep = string.Concat(Enumerable.Repeat("[", 20)) + string.Concat(Enumerable.Repeat("]", 20));
        Refused("{\"keys\":[" + key[..^1] + ",\"ext\":" + deep + "}]}", StrictJwks.Error.TooDeep);
    }

    [Theory]
    [InlineData("{\"keys\":[]")]
    [InlineData("{\"keys\":[]} {}")]
    [InlineData("{\"keys\":[],}")]
    [InlineData("{'keys':[]}")]
    public void Read_NotWellFormed_Malformed(string json) => Refused(json, StrictJwks.Error.Malformed);

    [Theory]
    [InlineData("[]")]
    [InlineData("\"keys\"")]
    [InlineData("{}")]
    [InlineData("{\"keys\":{}}")]
    [InlineData("{\"keys\":null}")]
    [InlineData("{\"Keys\":[]}")]
    [InlineData("{\"keys\":[1]}")]
    [InlineData("{\"keys\":[[]]}")]
    public void Read_NotAKeySet_NotAKeySet(string json) => Refused(json, StrictJwks.Error.NotAKeySet);

    [Fact]
    public void Read_EscapedLoneSurrogate_InvalidUnicode()
    {
        var key = Jwk(Rsa2048);
        key["kid"] = "PLACEHOLDER";
        Refused(Jwks(key).Replace("PLACEHOLDER", "\\uD800", StringComparison.Ordinal), StrictJwks.Error.InvalidUnicode);
    }

    [Fact]
    public void Read_EscapedLoneSurrogateInAMemberName_InvalidUnicode() =>
        Refused("{\"keys\":[{\"\\uDC00\":1,\"kty\":\"RSA\"}]}", StrictJwks.Error.InvalidUnicode);

    [Fact]
    public void Read_StringWithALoneSurrogateCharacter_NotUtf8() =>
        Refused("{\"keys\":[],\"x\":\"\uD800\"}", StrictJwks.Error.NotUtf8);

    [Fact]
    public void Read_BytesThatAreNotUtf8_NotUtf8()
    {
        var bytes = Encoding.UTF8.GetBytes("{\"keys\":[],\"x\":\"??\"}");
        bytes[^4] = 0xC3;
        bytes[^3] = 0x28;
        var result = StrictJwks.Read(bytes, StrictJwks.PrivateKeys.Refuse);
        Assert.Equal(StrictJwks.Error.NotUtf8, result.Error);
    }

    [Theory]
    [InlineData("d")]
    [InlineData("p")]
    [InlineData("q")]
    [InlineData("dp")]
    [InlineData("dq")]
    [InlineData("qi")]
    [InlineData("oth")]
    [InlineData("k")]
    public void Read_KeyWithAPrivateMember_PrivateMemberNamed(string member)
    {
        var secretValue = B64(Secret(48, seed: 7));
        var priv = Jwk(Rsa2048);
        priv[member] = member == "oth" ? new JsonArray(new JsonObject { ["r"] = secretValue }) : secretValue;

        var json = Jwks(Jwk(P256), priv);
        var result = Read(json);

        Assert.Equal(StrictJwks.Error.PrivateMember, result.Error);
        Assert.Equal(member, result.Member);
        Assert.Equal(1, result.KeyIndex);
        Assert.Contains($"key 1 ", result.Message!, StringComparison.Ordinal);
        Assert.Contains($"\"{member}\"", result.Message!, StringComparison.Ordinal);
        Assert.DoesNotContain(secretValue, result.Message!, StringComparison.Ordinal);
        AssertNoKeyMaterial(json, result.Message!);
    }

    [Fact]
    public void Read_PrivateKeysSkipped_ReturnsThePublicKeysOnly()
    {
        var priv = Jwk(Rsa2048, kid: "private");
        priv["d"] = B64(Rsa2048.ExportParameters(true).D!);
        var secret = new JsonObject { ["kty"] = "oct", ["kid"] = "secret", ["k"] = B64(Secret(32)) };

        var result = Read(Jwks(priv, Jwk(P256, kid: "public"), secret), StrictJwks.PrivateKeys.Skip);

        Assert.True(result.IsValid);
        Assert.Equal("public", Assert.Single(result.Keys).Kid);
    }

    [Fact]
    public void Read_OnlyPrivateKeysSkipped_NoUsableKey()
    {
        var secret = new JsonObject { ["kty"] = "oct", ["k"] = B64(Secret(32)) };
        Refused(Jwks(secret), StrictJwks.Error.NoUsableKey, StrictJwks.PrivateKeys.Skip);
    }

    [Theory]
    [InlineData("{\"kty\":\"oct\"}")]
    [InlineData("{\"kty\":\"OKP\",\"crv\":\"Ed25519\",\"x\":\"11qYAYKxCrfVS_7TyWQHOg7hcvPapiMlrwIaaPcHURo\"}")]
    [InlineData("{\"kty\":\"unknown\"}")]
    public void Read_KeyOfAnotherType_LeftOut(string other)
    {
        var json = "{\"keys\":[" + other + "," + Jwk(P256, kid: "ec").ToJsonString() + "]}";
        Assert.Equal("ec", Assert.Single(Read(json).Keys).Kid);
        Refused("{\"keys\":[" + other + "]}", StrictJwks.Error.NoUsableKey);
    }

    [Theory]
    [InlineData("use", "\"enc\"")]
    [InlineData("key_ops", "[\"sign\"]")]
    [InlineData("key_ops", "[\"encrypt\",\"wrapKey\"]")]
    [InlineData("key_ops", "[]")]
    public void Read_KeyNotForVerification_LeftOut(string member, string value)
    {
        var key = Jwk(Rsa2048, kid: "enc");
        key[member] = JsonNode.Parse(value);

        var result = Read(Jwks(key, Jwk(P256, kid: "sig", use: "sig")));

        Assert.Equal("sig", Assert.Single(result.Keys).Kid);
        Refused(Jwks(key), StrictJwks.Error.NoUsableKey);
    }

    [Fact]
    public void Read_EmptyKeys_NoUsableKey() => Refused("{\"keys\":[]}", StrictJwks.Error.NoUsableKey);

    [Theory]
    [InlineData("kty", "1")]
    [InlineData("kty", "null")]
    [InlineData("n", "1")]
    [InlineData("e", "[\"AQAB\"]")]
    [InlineData("alg", "1")]
    [InlineData("kid", "{}")]
    [InlineData("use", "true")]
    [InlineData("key_ops", "\"verify\"")]
    [InlineData("key_ops", "[1]")]
    [InlineData("key_ops", "[\"verify\",\"verify\"]")]
    [InlineData("x5c", "\"MII\"")]
    [InlineData("x5c", "[]")]
    [InlineData("x5c", "[\"not base64!\"]")]
    [InlineData("x5c", "[\"AAAA\"]")]
    [InlineData("x5t", "7")]
    [InlineData("n", "\"\"")]
    [InlineData("n", "\"a+b/\"")]
    [InlineData("n", "\"AQAB=\"")]
    [InlineData("e", "\"AQAC\"")]
    [InlineData("e", "\"AQ\"")]
    [InlineData("e", "\"AA\"")]
    public void Read_RsaKeyWithAnInvalidMember_InvalidKeyNamingIt(string member, string value)
    {
        var key = Jwk(Rsa2048);
        key[member] = JsonNode.Parse(value);
        var json = Jwks(Jwk(P256), key);

        var result = Read(json);

        Assert.Equal(StrictJwks.Error.InvalidKey, result.Error);
        Assert.Equal(1, result.KeyIndex);
        Assert.Equal(member, result.Member);
        AssertNoKeyMaterial(json, result.Message!);
    }

    [Theory]
    [InlineData("crv", "\"P-192\"")]
    [InlineData("crv", "\"secp256k1\"")]
    [InlineData("x", "\"AAAA\"")]
    [InlineData("y", "\"AAAA\"")]
    public void Read_EcKeyWithAnInvalidMember_InvalidKey(string member, string value)
    {
        var key = Jwk(P256);
        key[member] = JsonNode.Parse(value);
        Refused(Jwks(key), StrictJwks.Error.InvalidKey);
    }

    [Fact]
    public void Read_EcPointNotOnTheCurve_InvalidKey()
    {
        var key = Jwk(P256);
        var x = Base64UrlEncoderDecode(key["x"]!.GetValue<string>());
        x[^1] ^= 1;
        key["x"] = B64(x);
        Refused(Jwks(key), StrictJwks.Error.InvalidKey);
    }

    [Theory]
    [InlineData("RSA")]
    [InlineData("EC")]
    public void Read_X5cOfTheSameKey_ReadWithTheCertificate(string kty)
    {
        AsymmetricAlgorithm key = kty == "RSA" ? Rsa2048 : P256;
        var jwk = Jwk(key, kid: "c");
        var certificate = Certificate(key);
        jwk["x5c"] = new JsonArray(certificate);
        var der = Convert.FromBase64String(certificate);
        jwk["x5t"] = B64(SHA1.HashData(der));
        jwk["x5t#S256"] = B64(SHA256.HashData(der));

        var result = Read(Jwks(jwk));

        Assert.Equal([certificate], Assert.Single(result.Keys).X5c);
    }

    [Theory]
    [InlineData("RSA", "RSA")]
    [InlineData("EC", "EC")]
    [InlineData("RSA", "EC")]
    [InlineData("EC", "RSA")]
    public void Read_X5cOfAnotherKey_CertificateMismatch(string jwkType, string certificateType)
    {
        var jwk = Jwk(jwkType == "RSA" ? Rsa2048 : P256);
        jwk["x5c"] = new JsonArray(Certificate(certificateType == "RSA" ? Rsa2048Other : P256Other));
        var result = Read(Jwks(jwk));
        Assert.Equal(StrictJwks.Error.CertificateMismatch, result.Error);
        Assert.Equal("x5c", result.Member);
    }

    [Theory]
    [InlineData(X509ContentType.Pkcs7)]
    [InlineData(X509ContentType.Pkcs12)]
    public void Read_X5cOfTheSameKeyInAnotherContainerThanDer_InvalidKey(X509ContentType container)
    {
        // Note: RFC 7517 §4.7 allows a DER certificate only; .NET 8's X509Certificate2(byte[]) also opens PKCS#7 and PKCS#12.
        var jwk = Jwk(Rsa2048);
        jwk["x5c"] = new JsonArray(CertificateIn(Rsa2048, container));
        var json = Jwks(jwk);

        var result = Read(json);

        Assert.Equal(StrictJwks.Error.InvalidKey, result.Error);
        Assert.Equal("x5c", result.Member);
        AssertNoKeyMaterial(json, result.Message!);
    }

    [Theory]
    [InlineData("x5t")]
    [InlineData("x5t#S256")]
    public void Read_ThumbprintOfAnotherCertificate_CertificateMismatch(string member)
    {
        var jwk = Jwk(Rsa2048);
        jwk["x5c"] = new JsonArray(Certificate(Rsa2048));
        jwk[member] = B64(SHA256.HashData(Convert.FromBase64String(Certificate(Rsa2048Other))));
        var result = Read(Jwks(jwk));
        Assert.Equal(StrictJwks.Error.CertificateMismatch, result.Error);
        Assert.Equal(member, result.Member);
    }

    [Fact]
    public void Read_NullJson_Throws() => Assert.Throws<ArgumentNullException>(() => StrictJwks.Read((string)null!, StrictJwks.PrivateKeys.Refuse));

    private static byte[] Base64UrlEncoderDecode(string value) => Microsoft.IdentityModel.Tokens.Base64UrlEncoder.DecodeBytes(value);
}
