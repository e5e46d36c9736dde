using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text.Json.Nodes;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;
using ScopeClaims.Internal;
using static ScopeClaims.Testing.Tests.Internal.RawJose;

namespace ScopeClaims.Testing.Tests.Internal;

public sealed class KeyAlgorithmBindingTests
{
    private static SecurityKey KeyFor(string kind) => kind switch
    {
        "rsa2048" => new RsaSecurityKey(Rsa2048),
        "rsa1024" => new RsaSecurityKey(Rsa1024),
        "rsa2048-parameters" => new RsaSecurityKey(Rsa2048.ExportParameters(false)),
        "rsa1024-parameters" => new RsaSecurityKey(Rsa1024.ExportParameters(false)),
        "p256" => new ECDsaSecurityKey(P256),
        "p384" => new ECDsaSecurityKey(P384),
        "p521" => new ECDsaSecurityKey(P521),
        "x509-rsa2048" => new X509SecurityKey(X509CertificateLoader.LoadCertificate(Convert.FromBase64String(Certificate(Rsa2048)))),
        "x509-rsa1024" => new X509SecurityKey(X509CertificateLoader.LoadCertificate(Convert.FromBase64String(Certificate(Rsa1024)))),
        "x509-p384" => new X509SecurityKey(X509CertificateLoader.LoadCertificate(Convert.FromBase64String(Certificate(P384)))),
        "hmac256" => new SymmetricSecurityKey(Secret(32)),
        "hmac248" => new SymmetricSecurityKey(Secret(31)),
        "hmac512" => new SymmetricSecurityKey(Secret(64)),
        "jwk-rsa2048" => new JsonWebKey(Jwk(Rsa2048).ToJsonString()),
        "jwk-rsa1024" => new JsonWebKey(Jwk(Rsa1024).ToJsonString()),
        "jwk-p256" => new JsonWebKey(Jwk(P256).ToJsonString()),
        "jwk-p384" => new JsonWebKey(Jwk(P384).ToJsonString()),
        "jwk-oct256" => new JsonWebKey(new JsonObject { ["kty"] = "oct", ["k"] = B64(Secret(32)) }.ToJsonString()),
        _ => throw new ArgumentOutOfRangeException(nameof(kind)),
    };

    [Theory]
    [InlineData("rsa2048", "RS256")]
    [InlineData("rsa2048", "RS384")]
    [InlineData("rsa2048", "RS512")]
    [InlineData("rsa2048", "PS256")]
    [InlineData("rsa2048", "PS512")]
    [InlineData("rsa2048-parameters", "RS256")]
    [InlineData("x509-rsa2048", "PS384")]
    [InlineData("jwk-rsa2048", "RS256")]
    [InlineData("p256", "ES256")]
    [InlineData("p384", "ES384")]
    [InlineData("p521", "ES512")]
    [InlineData("x509-p384", "ES384")]
    [InlineData("jwk-p256", "ES256")]
    [InlineData("jwk-p384", "ES384")]
    [InlineData("hmac256", "HS256")]
    [InlineData("hmac512", "HS384")]
    [InlineData("hmac512", "HS512")]
    [InlineData("jwk-oct256", "HS256")]
    public void Check_KeyThatFitsTheAlgorithm_Null(string key, string alg) => Assert.Null(KeyAlgorithmBinding.Check(KeyFor(key), alg));

    [Theory]
    [InlineData("p384", "ES256", "ES256 needs an EC key on P-256; this key is on P-384")]
    [InlineData("p256", "ES384", "ES384 needs an EC key on P-384; this key is on P-256")]
    [InlineData("p384", "ES512", "ES512 needs an EC key on P-521; this key is on P-384")]
    [InlineData("p521", "ES256", "on P-521")]
    [InlineData("jwk-p384", "ES256", "ES256 needs an EC key on P-256; this key is on P-384")]
    [InlineData("x509-p384", "ES256", "this key is on P-384")]
    [InlineData("rsa1024", "RS256", "the RSA key has 1024 bits; RS256 needs at least 2048")]
    [InlineData("rsa1024-parameters", "PS256", "the RSA key has 1024 bits")]
    [InlineData("jwk-rsa1024", "RS256", "the RSA key has 1024 bits")]
    [InlineData("x509-rsa1024", "RS256", "the RSA key has 1024 bits")]
    [InlineData("hmac248", "HS256", "the symmetric key has 248 bits; HS256 needs at least 256")]
    [InlineData("hmac256", "HS384", "the symmetric key has 256 bits; HS384 needs at least 384")]
    [InlineData("hmac512", "RS256", "RS256 needs an RSA key; this is a symmetric key")]
    [InlineData("rsa2048", "HS256", "HS256 needs a symmetric key; this is an RSA key")]
    [InlineData("jwk-rsa2048", "HS256", "HS256 needs a symmetric key; this is an RSA key")]
    [InlineData("rsa2048", "ES256", "ES256 needs an EC key; this is an RSA key")]
    [InlineData("p256", "RS256", "RS256 needs an RSA key; this is an EC key")]
    [InlineData("rsa2048", "none", "the alg \"none\" is not one of")]
    [InlineData("rsa2048", "RS1", "the alg \"RS1\" is not one of")]
    [InlineData("hmac256", "hs256", "the alg \"hs256\" is not one of")]
    public void Check_KeyThatDoesNotFit_Reason(string key, string alg, string reason) =>
        Assert.Contains(reason, KeyAlgorithmBinding.Check(KeyFor(key), alg), StringComparison.Ordinal);

    [Fact]
    public void Check_DerivedSymmetricKeyClaimingALargerKeySize_IsJudgedByItsSecret()
    {
        // The size of a plain SymmetricSecurityKey is read from KeySize (no copy of the secret); a derived type's from its secret.
        Assert.Contains("the symmetric key has 248 bits; HS256 needs at least 256", KeyAlgorithmBinding.Check(new OverstatedKey(Secret(31)), "HS256"), StringComparison.Ordinal);
        Assert.Null(KeyAlgorithmBinding.Check(new OverstatedKey(Secret(32)), "HS256"));
    }

    [Theory]
    [InlineData("PS256")]
    [InlineData("RS384")]
    [InlineData("RS512")]
    public void Check_JwkWithAlgRs256VerifyingAnotherAlgorithm_Reason(string alg)
    {
        var key = new JsonWebKey(Jwk(Rsa2048, alg: "RS256").ToJsonString());
        Assert.Equal($"the key's JWK \"alg\" is \"RS256\", so it verifies that algorithm only, not {alg} (RFC 8725 §3.1)", KeyAlgorithmBinding.Check(key, alg));
        Assert.Null(KeyAlgorithmBinding.Check(key, "RS256"));
    }

    [Theory]
    [InlineData("use", "\"enc\"", "\"use\" is \"enc\", not \"sig\"")]
    [InlineData("use", "\"SIG\"", "\"use\" is \"SIG\", not \"sig\"")]
    [InlineData("key_ops", "[\"sign\"]", "\"key_ops\" do not name \"verify\"")]
    [InlineData("key_ops", "[\"encrypt\"]", "\"key_ops\" do not name \"verify\"")]
    public void Check_JwkNotForVerification_Reason(string member, string value, string reason)
    {
        var jwk = Jwk(Rsa2048);
        jwk[member] = JsonNode.Parse(value);
        Assert.Contains(reason, KeyAlgorithmBinding.Check(new JsonWebKey(jwk.ToJsonString()), "RS256"), StringComparison.Ordinal);
    }

    [Fact]
    public void Check_JwkWithUseSigAndKeyOpsVerify_Null()
    {
        var jwk = Jwk(P256, use: "sig", alg: "ES256");
        jwk["key_ops"] = new JsonArray("verify");
        Assert.Null(KeyAlgorithmBinding.Check(new JsonWebKey(jwk.ToJsonString()), "ES256"));
    }

    [Fact]
    public void Check_JwkWhoseCertificateIsA1024BitKey_Reason()
    {
        // Note: Microsoft.IdentityModel verifies with the x5c certificate's key, so that is the key that must fit.
        var jwk = Jwk(Rsa2048);
        jwk["x5c"] = new JsonArray(Certificate(Rsa1024));
        Assert.Contains("another key than its own parameters", KeyAlgorithmBinding.Check(new JsonWebKey(jwk.ToJsonString()), "RS256"), StringComparison.Ordinal);
    }

    [Fact]
    public void Check_JwkWithOnlyACertificate_UsesTheCertificatesKey()
    {
        var jwk = new JsonObject { ["kty"] = "EC", ["x5c"] = new JsonArray(Certificate(P384)) };
        var key = new JsonWebKey(jwk.ToJsonString());
        Assert.Null(KeyAlgorithmBinding.Check(key, "ES384"));
        Assert.Contains("this key is on P-384", KeyAlgorithmBinding.Check(key, "ES256"), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(X509ContentType.Pkcs7)]
    [InlineData(X509ContentType.Pkcs12)]
    public void Check_JwkWhoseCertificateIsInAnotherContainerThanDer_Reason(X509ContentType container)
    {
        // Note: RFC 7517 §4.7 allows a DER certificate only; .NET 8's X509Certificate2(byte[]) also opens PKCS#7 and PKCS#12.
        var jwk = new JsonObject { ["kty"] = "EC", ["x5c"] = new JsonArray(CertificateIn(P256, container)) };
        Assert.Contains("\"x5c\" certificate cannot be read", KeyAlgorithmBinding.Check(new JsonWebKey(jwk.ToJsonString()), "ES256"), StringComparison.Ordinal);
    }

    [Fact]
    public void Check_JwkWithUnreadableParameters_Reason()
    {
        Assert.Contains("no public parameters", KeyAlgorithmBinding.Check(new JsonWebKey("{\"kty\":\"RSA\"}"), "RS256"), StringComparison.Ordinal);
        Assert.Contains("no public parameters", KeyAlgorithmBinding.Check(new JsonWebKey("{\"kty\":\"OKP\",\"x\":\"AAAA\"}"), "RS256"), StringComparison.Ordinal);
        Assert.Contains("\"x5c\" certificate cannot be read", KeyAlgorithmBinding.Check(new JsonWebKey("{\"kty\":\"RSA\",\"x5c\":[\"AAAA\"]}"), "RS256"), StringComparison.Ordinal);
    }

    [Fact]
    public void Check_EcKeyOnAnExplicitCurve_Reason()
    {
        var explicitCurve = P256.ExportExplicitParameters(false);
        using var ec = ECDsa.Create(explicitCurve);
        Assert.Contains("a curve other than P-256, P-384 or P-521", KeyAlgorithmBinding.Check(new ECDsaSecurityKey(ec), "ES256"), StringComparison.Ordinal);
    }

    [Fact]
    public void Check_A2047BitRsaKey_Reason()
    {
        // Note: RSA.KeySize rounds up to whole bytes on some platforms; the modulus's own bit length is what counts.
        var p = Rsa2048.ExportParameters(false);
        var modulus = (byte[])p.Modulus!.Clone();
        modulus[0] = 0x7F;
        var key = new RsaSecurityKey(new RSAParameters { Modulus = modulus, Exponent = p.Exponent });
        Assert.Equal("the RSA key has 2047 bits; RS256 needs at least 2048 (RFC 7518 §3.3)", KeyAlgorithmBinding.Check(key, "RS256"));
    }

    [Fact]
    public void Check_UnsupportedKeyTypeOrNoKey_Reason()
    {
        Assert.Contains("keys of type OtherKey are not supported", KeyAlgorithmBinding.Check(new OtherKey(), "RS256"), StringComparison.Ordinal);
        Assert.Equal("no key verified the signature", KeyAlgorithmBinding.Check(null, "RS256"));
        Assert.Contains("the alg (none)", KeyAlgorithmBinding.Check(KeyFor("rsa2048"), null), StringComparison.Ordinal);
    }

    [Fact]
    public void Check_HostileAlgText_ShownShortAndPrintable()
    {
        var reason = KeyAlgorithmBinding.Check(KeyFor("rsa2048"), "RS256\n\"" + new string('x', 100))!;
        Assert.DoesNotContain("\n", reason, StringComparison.Ordinal);
        Assert.DoesNotContain(new string('x', 40), reason, StringComparison.Ordinal);
    }

    [Fact]
    public void Check_ReasonsNeverQuoteKeyMaterial()
    {
        var jwk = Jwk(Rsa1024, alg: "RS256");
        var reason = KeyAlgorithmBinding.Check(new JsonWebKey(jwk.ToJsonString()), "RS256")!;
        Assert.DoesNotContain(jwk["n"]!.GetValue<string>()[..16], reason, StringComparison.Ordinal);
    }

    private sealed class OtherKey : SecurityKey
    {
        public override int KeySize => 2048;
    }

    private sealed class OverstatedKey(byte[] secret) : SymmetricSecurityKey(secret)
    {
        public override int KeySize => 512;
    }
}
