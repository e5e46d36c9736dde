using System.Numerics;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using System.Text.Json.Nodes;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;
using ScopeClaims;

namespace ScopeClaims.Tests.Keys;

/// <summary>
/// Keys that load but must not sign: ambiguous files (several private keys, a JWK set), certificates a strict partner
/// refuses, keys meant for encryption, small RSA exponents, degenerate HMAC secrets, RSA JWKs the platform cannot import;
/// and the default HMAC key id, which must tell nothing usable about the secret.
/// </summary>
public sealed class KeyPolicyTests : IDisposable
{
    /// <summary>A test-only RSA 2048 key with public exponent 3, made with 'openssl genpkey -pkeyopt rsa_keygen_pubexp:3'.</summary>
    private const string RsaExponent3Pem = """
        -----BEGIN PRIVATE KEY-----
        MIIEvgIBADANBgkqhkiG9w0BAQEFAASCBKgwggSkAgEAAoIBAQDGE+Qy0KpnbG3+
        YbucoTHnoRHiligeTj+tGlK3LZP5iMmCt/ik3UpEe0bRo01EfKWqpxbLOlVTel2g
        olm8ihqZzfn03bFEyMeT+kJbeJZP3rJ2v0dEG7GRCvDavg3e7IlBFTbaR0yl7Mf4
        tJsJY4EnVwqDpfdLqvM0L1ExedfG2Kp8BJZ9kzL9NDVX7mEsApd6q1PAD4wR3ve3
        WVgdM5QPuqLeDdhTrOggOGAzvtmVzmuGQSGTBBTX5SApcTh7znMXLQlr+LiLklA0
        5oPUlBYB3QfgkgUfdRktfxwZc7b5RSUoJ1ooeAlvhtts04WGn3LVG3v2aoLjMA8V
        AMBxi7qJAgEDAoIBAQCEDULMixxE8vP+69Joa3aaa2FBuXAUNCpzZuHPc7f7sIZX
        JVBt6Nwtp4SLwjOC/cPHGg8yJuOM/D5rFuZ9sWcRM/v4k8uDMIUNUYGSUGQ1PyGk
        f4TYEnZgsfXnKV6UnbDWDiSRhN3D8y/7IxIGQlYaOgcCbqTdHKIiyjYg++UvOe+O
        /m60/JFvSDKm3T7wieqLC6wx2HTDIBZMafxXOaz8viz3sbQciVsOn2jjC9fha+cG
        cFkMjMW3r5qaZi9RL+b5t8tsymYvWes9bxOPRlVk+4st/5s6O19gvIRCW7L1G3HQ
        wFDeaPVpcycpczPshIGsNa882vmdn7C8ObTh4txjAoGBAO7RYyxaWNT3Yqe1f0MU
        /AG5tWhAvEH1fUMvP2Ri+ktSxsDbdw1nU1iOmLK1nPiQYcDKD6XyRfyEYZWwVBvn
        7g6NzcxNgI0p7l15mYgMiHKvYnO5IxTfKWV85tpHZ5Mv94nKuuJY87ROgzUm/Aea
        xLAvS+zIc2REriecfXOw9LCPAoGBANRUI8QTv4Pe5UGoIz+uN7XwZGk0jpr3sZMV
        evk3YsVB1p6PDDzBi4b7sJApkB0zStAyiPYN6u+//CKRg9WaGIoSy4v7SJIanRHf
        Jl5xIiM7AUNib4do8qSffXtugpdZpHCkS/6B5uUC1uuHqrAJFAAjfwhSrqgyEl5e
        LL1twr9nAoGBAJ82Qh2RkI36QcUjqiy4qAEmePArKCv4/izKKkLsptzh2dXnpLOa
        N5BfEHcjvfsK69XcCm6hg/2tlmPK4r1FSV8JM92JAF4b9D5REQVdsEx07E0mF2M/
        cO5TRJGE77d1T7Ex0ew7TSLfAiNvUq+8gyAfh/MwTO2DHsUS/k0goyBfAoGBAI2N
        bS1if60/Q4Eawip0JSP1mEYjCbylIQy4/KYk7IOBOb8KCCiBB69SdbVxCr4iMeAh
        sKQJR0p//WxhAo5muwa3Ml1SMGFnE2E/bumgwWzSANeW9QTwocMU/lJJrGTmbaBt
        h/8BRJisj0evxyAGDVVs/1rhycV2tumUHdOegdTvAoGBAKjJsN+SC/iSRLrLzuTZ
        vgIC8/H8zCYJ2PLMu1gjWMCObKHOknlrdjYcROmdbkhqe6c8QmmmNRaLbeJDsldR
        Or9757pmrAoCMS7CRPcuB3MxzPSDgrjdum1KE8I02fP2OWoiOcef2809FA1J0p1p
        WAb4gtTCs4kf++S+0LB6n737
        -----END PRIVATE KEY-----
        """;

    private readonly string _dir = Directory.CreateTempSubdirectory("scopeclaims-policy-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    // ---- several private keys ----

    [Fact]
    public void FromPem_SeveralPrivateKeys_IsRefusedAsAmbiguous()
    {
        using var rsa = RSA.Create(2048);
        using var ec = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        using var ec2 = ECDsa.Create(ECCurve.NamedCurves.nistP256);

        var encrypted = rsa.ExportEncryptedPkcs8PrivateKeyPem("pw", new PbeParameters(PbeEncryptionAlgorithm.Aes128Cbc, HashAlgorithmName.SHA256, 1000));
        foreach (var pem in new[] { Pem(rsa.ExportRSAPrivateKeyPem(), ec.ExportPkcs8PrivateKeyPem()), Pem(ec.ExportECPrivateKeyPem(), ec2.ExportECPrivateKeyPem()), Pem(ec.ExportPkcs8PrivateKeyPem(), encrypted) })
        {
            var ex = Assert.Throws<SigningKeyException>(() => TokenSigningKey.FromPem(pem));

            Assert.Contains("holds 2 private keys", ex.Message, StringComparison.Ordinal);
            Assert.Contains("Keep one private key per file", ex.Message, StringComparison.Ordinal);
            var path = Write("two.pem", pem);
            Assert.Contains("holds 2 private keys", Assert.Throws<SigningKeyException>(() => TokenSigningKey.FromFile(path)).Message, StringComparison.Ordinal);
        }
    }

    [Fact]
    public void FromPem_OnePrivateKeyBesideCertificates_Loads()
    {
        using var ec = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        using var certificate = SelfSigned(ec);

        var key = TokenSigningKey.FromPem(Pem(certificate.ExportCertificatePem(), ec.ExportPkcs8PrivateKeyPem(), certificate.ExportCertificatePem()));

        Assert.Equal("ES256", key.Algorithm);
    }

    [Fact]
    public void FromPemCertificate_KeyFileWithSeveralPrivateKeys_IsRefused()
    {
        using var ec = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        using var other = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        using var certificate = SelfSigned(ec);
        var certificatePath = Write("cert.pem", certificate.ExportCertificatePem());

        var twoKeys = Write("two.key", Pem(ec.ExportPkcs8PrivateKeyPem(), other.ExportPkcs8PrivateKeyPem()));
        var together = Write("together.pem", Pem(certificate.ExportCertificatePem(), ec.ExportPkcs8PrivateKeyPem(), other.ExportPkcs8PrivateKeyPem()));

        Assert.Contains("holds 2 private keys", Assert.Throws<SigningKeyException>(() => TokenSigningKey.FromPemCertificate(certificatePath, twoKeys)).Message, StringComparison.Ordinal);
        Assert.Contains("holds 2 private keys", Assert.Throws<SigningKeyException>(() => TokenSigningKey.FromPemCertificate(together)).Message, StringComparison.Ordinal);
        Assert.Equal("ES256", TokenSigningKey.FromPemCertificate(certificatePath, Write("one.key", ec.ExportPkcs8PrivateKeyPem())).Algorithm);
    }

    [Fact]
    public void FromPfxFile_SeveralPrivateKeys_IsRefusedAsAmbiguous()
    {
        using var rsa = RSA.Create(2048);
        using var ec = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        using var first = SelfSigned(rsa);
        using var second = SelfSigned(ec);
        var path = WriteBytes("two.pfx", new X509Certificate2Collection { first, second }.Export(X509ContentType.Pkcs12, "pw")!);

        var ex = Assert.Throws<SigningKeyException>(() => TokenSigningKey.FromPfxFile(path, "pw"));

        Assert.Contains("holds 2 certificates with private keys", ex.Message, StringComparison.Ordinal);
        Assert.Equal("ES256", TokenSigningKey.FromPfxFile(WriteBytes("one.pfx", second.Export(X509ContentType.Pkcs12, "pw")), "pw").Algorithm);
    }

    [Fact]
    public void FromPfxFile_CertificatesWithoutPrivateKey_IsRefused()
    {
        using var ec = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        using var certificate = SelfSigned(ec);
        using var publicOnly = X509CertificateLoader.LoadCertificate(certificate.RawData);
        var path = WriteBytes("public.pfx", new X509Certificate2Collection { publicOnly }.Export(X509ContentType.Pkcs12, "pw")!);

        Assert.Contains("holds no certificate with a private key", Assert.Throws<SigningKeyException>(() => TokenSigningKey.FromPfxFile(path, "pw")).Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("der")]
    [InlineData("pem")]
    [InlineData("pkcs7")]
    public void FromPfxFile_CertificateInAnotherFormat_IsRefusedAsNotPkcs12(string format)
    {
        // Note: .NET 8's X509Certificate2Collection.Import also reads DER, PEM and PKCS#7 certificates.
        using var ec = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        using var certificate = SelfSigned(ec);
        var path = WriteBytes("certificate." + format, format switch
        {
            "der" => certificate.RawData,
            "pem" => Encoding.ASCII.GetBytes(certificate.ExportCertificatePem() + "\n" + ec.ExportPkcs8PrivateKeyPem()),
            _ => new X509Certificate2Collection { certificate }.Export(X509ContentType.Pkcs7)!,
        });

        Assert.Contains("not a PKCS#12 file", Assert.Throws<SigningKeyException>(() => TokenSigningKey.FromPfxFile(path, "pw")).Message, StringComparison.Ordinal);
    }

    [Fact]
    public void FromJwk_JwkSet_IsRefused()
    {
        var rsa = TokenSigningKey.Generate("RS256", "a").ExportPrivateJwk();
        var ec = TokenSigningKey.Generate("ES256", "b").ExportPrivateJwk();

        foreach (var set in new[] { $$"""{"keys":[{{rsa}},{{ec}}]}""", $$"""{"keys":[{{ec}}]}""", """{"keys":[]}""" })
        {
            var ex = Assert.Throws<SigningKeyException>(() => TokenSigningKey.FromJwk(set));

            Assert.Contains("is a JWK set", ex.Message, StringComparison.Ordinal);
            Assert.Contains("is a JWK set", Assert.Throws<SigningKeyException>(() => TokenSigningKey.FromFile(Write("set.json", set))).Message, StringComparison.Ordinal);
        }
    }

    // ---- certificates ----

    public static TheoryData<string> RefusedCertificates() => new() { "expired", "not-yet-valid", "key-usage-without-digital-signature", "ca" };

    [Theory]
    [MemberData(nameof(RefusedCertificates))]
    public void FromCertificate_RefusedCertificate_IsRefusedByEveryEntryPoint(string kind)
    {
        using var ec = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest("CN=signer", ec, HashAlgorithmName.SHA256);
        var (from, to, expected) = kind switch
        {
            "expired" => (DateTimeOffset.UtcNow.AddDays(-30), DateTimeOffset.UtcNow.AddDays(-1), "The certificate expired at "),
            "not-yet-valid" => (DateTimeOffset.UtcNow.AddDays(1), DateTimeOffset.UtcNow.AddDays(30), "The certificate is not valid yet"),
            "key-usage-without-digital-signature" => (DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddDays(30), "does not include digitalSignature"),
            _ => (DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddDays(30), "is a CA certificate"),
        };
        if (kind == "key-usage-without-digital-signature")
        {
            request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.NonRepudiation | X509KeyUsageFlags.KeyAgreement, critical: true));
        }

        if (kind == "ca")
        {
            request.CertificateExtensions.Add(new X509BasicConstraintsExtension(certificateAuthority: true, hasPathLengthConstraint: false, pathLengthConstraint: 0, critical: true));
            request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.KeyCertSign | X509KeyUsageFlags.DigitalSignature, critical: true));
        }

        using var certificate = request.CreateSelfSigned(from, to);
        var pfx = WriteBytes("c.pfx", certificate.Export(X509ContentType.Pkcs12, "pw"));
        var pem = Write("c.pem", certificate.ExportCertificatePem() + "\n" + ec.ExportPkcs8PrivateKeyPem());

        Assert.Contains(expected, Assert.Throws<SigningKeyException>(() => TokenSigningKey.FromCertificate(certificate)).Message, StringComparison.Ordinal);
        Assert.Contains(expected, Assert.Throws<SigningKeyException>(() => new TokenSigningKey(new X509SecurityKey(certificate))).Message, StringComparison.Ordinal);
        Assert.Contains(expected, Assert.Throws<SigningKeyException>(() => TokenSigningKey.FromPfxFile(pfx, "pw")).Message, StringComparison.Ordinal);
        Assert.Contains(expected, Assert.Throws<SigningKeyException>(() => TokenSigningKey.FromPemCertificate(pem)).Message, StringComparison.Ordinal);
    }

    [Fact]
    public void FromCertificate_EndEntityWithDigitalSignature_Loads()
    {
        using var ec = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest("CN=signer", ec, HashAlgorithmName.SHA256);
        request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.DigitalSignature, critical: true));
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(certificateAuthority: false, hasPathLengthConstraint: false, pathLengthConstraint: 0, critical: true));
        using var certificate = request.CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddDays(30));

        Assert.Equal("ES256", TokenSigningKey.FromCertificate(certificate).Algorithm);
        Assert.Equal("ES256", new TokenSigningKey(new X509SecurityKey(certificate)).Algorithm);
    }

    // ---- use and key_ops ----

    [Theory]
    [InlineData("use", "\"enc\"")]
    [InlineData("use", "\"other\"")]
    [InlineData("key_ops", "[\"verify\"]")]
    [InlineData("key_ops", "[\"encrypt\",\"decrypt\"]")]
    [InlineData("key_ops", "[]")]
    public void FromJwk_NotForSigning_IsRefused(string member, string value)
    {
        var node = JsonNode.Parse(TokenSigningKey.Generate("ES256").ExportPrivateJwk())!.AsObject();
        node.Remove("use");
        node[member] = JsonNode.Parse(value);
        var json = node.ToJsonString();

        var ex = Assert.Throws<SigningKeyException>(() => TokenSigningKey.FromJwk(json));

        Assert.Contains(member == "use" ? "is marked 'use'" : "'key_ops'", ex.Message, StringComparison.Ordinal);
        if (value != "[]")
        {
            Assert.Throws<SigningKeyException>(() => new TokenSigningKey(new JsonWebKey(json)));
        }
    }

    [Theory]
    [InlineData("use", "\"sig\"")]
    [InlineData("key_ops", "[\"sign\"]")]
    [InlineData("key_ops", "[\"sign\",\"verify\"]")]
    public void FromJwk_MarkedForSigning_Loads(string member, string value)
    {
        var node = JsonNode.Parse(TokenSigningKey.Generate("ES256").ExportPrivateJwk())!.AsObject();
        node.Remove("use");
        node[member] = JsonNode.Parse(value);

        Assert.Equal("ES256", TokenSigningKey.FromJwk(node.ToJsonString()).Algorithm);
    }

    // ---- RSA public exponent ----

    [Fact]
    public void FromPem_RsaExponent3_IsRefused()
    {
        var ex = Assert.Throws<SigningKeyException>(() => TokenSigningKey.FromPem(RsaExponent3Pem));

        Assert.Contains("public exponent is 3", ex.Message, StringComparison.Ordinal);
        Assert.Contains("FIPS 186-5", ex.Message, StringComparison.Ordinal);
        using var rsa = RSA.Create();
        rsa.ImportFromPem(RsaExponent3Pem);
        Assert.Throws<SigningKeyException>(() => new TokenSigningKey(new RsaSecurityKey(rsa)));
        Assert.Throws<SigningKeyException>(() => new TokenSigningKey(new RsaSecurityKey(rsa.ExportParameters(true))));
        Assert.Throws<SigningKeyException>(() => TokenSigningKey.FromJwk(PrivateJwk(rsa)));
    }

    [Fact]
    public void FromPem_RsaExponent65537_Loads()
    {
        using var rsa = RSA.Create(2048);

        Assert.Equal(new byte[] { 1, 0, 1 }, rsa.ExportParameters(false).Exponent);
        Assert.Equal("RS256", TokenSigningKey.FromPem(rsa.ExportPkcs8PrivateKeyPem()).Algorithm);
    }

    // ---- degenerate HMAC secrets ----

    // The theory data is each secret's name; the secret is built in the test, so the random ones stay random and the
    // data is the same at discovery and run.
    private static readonly Dictionary<string, (string Algorithm, Func<byte[]> Secret)> DegenerateSecretCases = new()
    {
        ["32 zero bytes"] = (SecurityAlgorithms.HmacSha256, () => new byte[32]),
        ["64 bytes 0xFF"] = (SecurityAlgorithms.HmacSha512, () => Enumerable.Repeat((byte)0xFF, 64).ToArray()),
        ["40 times 'a'"] = (SecurityAlgorithms.HmacSha256, () => Enumerable.Repeat((byte)'a', 40).ToArray()),
        ["0, 1, 2 ... 31"] = (SecurityAlgorithms.HmacSha256, () => Enumerable.Range(0, 32).Select(static i => (byte)i).ToArray()),
        ["200, 197, 194 ... down by 3"] = (SecurityAlgorithms.HmacSha384, () => Enumerable.Range(0, 48).Select(static i => (byte)(200 - (3 * i))).ToArray()),
        ["'abc' repeated"] = (SecurityAlgorithms.HmacSha256, () => Encoding.ASCII.GetBytes("abcabcabcabcabcabcabcabcabcabcabc")),
        ["'changeme-' repeated"] = (SecurityAlgorithms.HmacSha256, () => Encoding.ASCII.GetBytes("changeme-changeme-changeme-changeme-")),
        ["16 random bytes twice"] = (SecurityAlgorithms.HmacSha256, () => Twice(RandomNumberGenerator.GetBytes(16))),
        ["16 random bytes four times"] = (SecurityAlgorithms.HmacSha512, () => Twice(Twice(RandomNumberGenerator.GetBytes(16)))),
    };

    public static TheoryData<string> DegenerateSecrets() => new(DegenerateSecretCases.Keys);

    private static byte[] Twice(byte[] block) => block.Concat(block).ToArray();

    [Theory]
    [MemberData(nameof(DegenerateSecrets))]
    public void FromSymmetricKey_DegenerateSecret_IsRefused(string secretName)
    {
        var (algorithm, makeSecret) = DegenerateSecretCases[secretName];
        var secret = makeSecret();

        var ex = Assert.Throws<SigningKeyException>(() => TokenSigningKey.FromSymmetricKey(secret, algorithm));
        var jwk = $$"""{"kty":"oct","k":"{{Base64UrlEncoder.Encode(secret)}}"}""";

        Assert.Contains("The HMAC key is", ex.Message, StringComparison.Ordinal);
        Assert.Throws<SigningKeyException>(() => TokenSigningKey.FromJwk(jwk, algorithm));
    }

    [Fact]
    public void FromSymmetricKey_RandomSecretWithLocalRepeats_Loads()
    {
        var secret = RandomNumberGenerator.GetBytes(48);
        secret.AsSpan(10, 8).Clear();
        secret[^1] = secret[0];

        Assert.Equal("HS256", TokenSigningKey.FromSymmetricKey(secret).Algorithm);
        Assert.Equal("HS256", TokenSigningKey.FromSymmetricKey(Encoding.ASCII.GetBytes("a long passphrase that is not one block repeated!")).Algorithm);
    }

    // ---- the default HMAC key id ----

    [Theory]
    [InlineData(SecurityAlgorithms.HmacSha256, 32)]
    [InlineData(SecurityAlgorithms.HmacSha256, 100)]
    [InlineData(SecurityAlgorithms.HmacSha384, 48)]
    [InlineData(SecurityAlgorithms.HmacSha512, 200)]
    public void KeyId_DefaultForHmac_IsNoHashOfTheSecret(string algorithm, int length)
    {
        var secret = RandomNumberGenerator.GetBytes(length);

        var kid = TokenSigningKey.FromSymmetricKey(secret, algorithm).KeyId;

        Assert.Equal(kid, TokenSigningKey.FromSymmetricKey(secret, algorithm).KeyId);
        Assert.NotEqual(kid, TokenSigningKey.FromSymmetricKey(RandomNumberGenerator.GetBytes(length), algorithm).KeyId);
        foreach (var hash in new[] { SHA256.HashData(secret), SHA384.HashData(secret), SHA512.HashData(secret) })
        {
            Assert.NotEqual(Base64UrlEncoder.Encode(hash), kid);
            Assert.False(Base64UrlEncoder.Encode(hash).StartsWith(kid, StringComparison.Ordinal));
        }

        var thumbprint = new JsonWebKey { Kty = "oct", K = Base64UrlEncoder.Encode(secret) }.ComputeJwkThumbprint();
        Assert.NotEqual(Base64UrlEncoder.Encode(thumbprint), kid);
        Assert.Equal(22, kid.Length);
        Assert.Equal("mine", TokenSigningKey.FromSymmetricKey(secret, algorithm, "mine").KeyId);
    }

    [Fact]
    public void KeyId_DefaultForLongHmacSecret_CannotForgeTokens()
    {
        // RFC 2104: an HS256 secret longer than 64 bytes is replaced by its SHA-256, so that hash signs exactly as the
        // secret does. Publishing it as the kid would hand out the key; the derived kid must not.
        var secret = RandomNumberGenerator.GetBytes(100);
        var key = TokenSigningKey.FromSymmetricKey(secret);
        var options = TestKeys.Options(key);
        var token = new ScopeTokenIssuer(options).Issue(ScopeSet.Parse("read:a"));
        var kid = new JsonWebToken(token).Kid;
        Assert.Equal(key.KeyId, kid);

        var handler = new JsonWebTokenHandler();
        var descriptor = new SecurityTokenDescriptor
        {
            Issuer = "https://issuer.test",
            Audience = "https://partner.test",
            Claims = new Dictionary<string, object> { ["scope"] = new[] { "admin" } },
            Expires = DateTime.UtcNow.AddMinutes(5),
        };
        string Forge(byte[] guessedKey)
        {
            descriptor.SigningCredentials = new SigningCredentials(new SymmetricSecurityKey(guessedKey) { KeyId = kid }, SecurityAlgorithms.HmacSha256);
            return handler.CreateToken(descriptor);
        }

        bool Verifies(string forged) => handler.ValidateTokenAsync(forged, TestKeys.ValidationParameters(new SigningKeySet(key))).GetAwaiter().GetResult().IsValid;

        // The control: the hash of the secret does forge, so this test would see a kid that leaks it.
        Assert.True(Verifies(Forge(SHA256.HashData(secret))));
        Assert.True(Verifies(token));

        // The kid, read as base64url or as text, padded to a valid HS256 key length, forges nothing.
        var kidBytes = Base64UrlEncoder.DecodeBytes(kid);
        Assert.False(Verifies(Forge(kidBytes.Concat(new byte[32 - kidBytes.Length]).ToArray())));
        Assert.False(Verifies(Forge(kidBytes.Concat(kidBytes).ToArray())));
        Assert.False(Verifies(Forge(Encoding.ASCII.GetBytes(kid).Concat(new byte[10]).ToArray())));
    }

    // ---- RSA JWKs the platform cannot import ----

    [Fact]
    public void FromJwk_RsaWithoutCrtParameters_IsRefusedWithAccurateMessage()
    {
        var node = JsonNode.Parse(TokenSigningKey.Generate("RS256").ExportPrivateJwk())!.AsObject();
        foreach (var member in new[] { "p", "q", "dp", "dq", "qi" })
        {
            node.Remove(member);
        }

        var ex = Assert.Throws<SigningKeyException>(() => TokenSigningKey.FromJwk(node.ToJsonString()));

        Assert.Contains("has 'd' without the CRT parameters", ex.Message, StringComparison.Ordinal);
        Assert.Contains("export the key again", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void FromJwk_RsaWithSomeCrtParameters_IsRefusedNamingTheRfcRule()
    {
        var node = JsonNode.Parse(TokenSigningKey.Generate("RS256").ExportPrivateJwk())!.AsObject();
        node.Remove("qi");

        var ex = Assert.Throws<SigningKeyException>(() => TokenSigningKey.FromJwk(node.ToJsonString()));

        Assert.Contains("requires all of them when any is present", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void FromJwk_RsaMultiPrime_IsRefusedWithAccurateMessage()
    {
        var node = JsonNode.Parse(TokenSigningKey.Generate("RS256").ExportPrivateJwk())!.AsObject();
        node["oth"] = new JsonArray(new JsonObject { ["r"] = "AQAB", ["d"] = "AQAB", ["t"] = "AQAB" });

        var ex = Assert.Throws<SigningKeyException>(() => TokenSigningKey.FromJwk(node.ToJsonString()));

        Assert.Contains("multi-prime", ex.Message, StringComparison.Ordinal);
    }

    // ---- a private key that does not match its public key ----

    [Fact]
    public void FromJwk_EcPrivateKeyOfAnotherKey_IsRefused()
    {
        var node = JsonNode.Parse(TokenSigningKey.Generate("ES256").ExportPrivateJwk())!.AsObject();
        node["d"] = JsonNode.Parse(TokenSigningKey.Generate("ES256").ExportPrivateJwk())!["d"]!.DeepClone();

        var ex = Assert.Throws<SigningKeyException>(() => TokenSigningKey.FromJwk(node.ToJsonString()));

        Assert.Contains("EC", ex.Message, StringComparison.Ordinal);
    }

    // ---- the rules at their edges (SigningKeyRules) ----

    [Theory]
    [InlineData("65538", "public exponent is 65538")]
    [InlineData("2^256+1", "public exponent is out of range")]
    [InlineData("1000000", "public exponent is out of range")]
    public void Constructor_RsaExponentOutsideFips_IsRefused(string exponentName, string expected)
    {
        var exponent = exponentName switch
        {
            "65538" => new BigInteger(65538),
            "2^256+1" => (BigInteger.One << 256) + 1,
            _ => new BigInteger(1_000_000),
        };
        // OpenSSL imports no even exponent, so the key is one that only reports its public half (an RSA implementation
        // such as a hardware key's may hold what OpenSSL would not import): the exponent is judged before any signing.
        using var rsa = new PublicHalfOnly(exponent);

        var ex = Assert.Throws<SigningKeyException>(() => new TokenSigningKey(new RsaSecurityKey(rsa)));

        Assert.Contains(expected, ex.Message, StringComparison.Ordinal);
        Assert.Contains("must be odd, above 2^16 and below 2^256", ex.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(65539)]
    [InlineData(2147483649)]
    public void Constructor_RsaExponentOddAboveTwoToTheSixteen_Loads(long exponent)
    {
        // 2^31 + 1 has its top bit set in its four bytes: read as a signed number it would be negative.
        var key = new TokenSigningKey(new RsaSecurityKey(RsaParametersWithExponent(new BigInteger(exponent))));

        Assert.Equal(SecurityAlgorithms.RsaSha256, key.Algorithm);
    }

    [Theory]
    [InlineData("32 zero bytes", "one byte repeated")]
    [InlineData("0, 1, 2 ... 31", "stepping by a fixed amount")]
    [InlineData("'abc' repeated", "one short block repeated")]
    [InlineData("16 random bytes twice", "one short block repeated")]
    public void FromSymmetricKey_DegenerateSecret_MessageNamesTheKind(string secretName, string expected)
    {
        var (algorithm, makeSecret) = DegenerateSecretCases[secretName];

        var ex = Assert.Throws<SigningKeyException>(() => TokenSigningKey.FromSymmetricKey(makeSecret(), algorithm));

        Assert.Contains(expected, ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void FromSymmetricKey_SteppingBrokenOnlyAtTheThirdByte_Loads()
    {
        // 0, 1, then 50, 51, 52 ...: the step from the second byte to the third differs, so the run is no placeholder.
        var secret = new byte[] { 0, 1 }.Concat(Enumerable.Range(50, 30).Select(static i => (byte)i)).ToArray();

        Assert.Equal("HS256", TokenSigningKey.FromSymmetricKey(secret).Algorithm);
    }

    [Fact]
    public void FromSymmetricKey_SecretsOfFewSymbols_AreRefusedExactlyWhenDegenerate()
    {
        // Secrets of 32 to 40 bytes from three symbols, built as a repeated block (some with one byte changed), judged
        // against the definitions: every step the same, or a period of at most half the length. A fixed seed keeps the
        // run repeatable.
        var random = new Random(20261130);
        for (var n = 0; n < 3000; n++)
        {
            var length = random.Next(32, 41);
            var period = random.Next(1, length + 1);
            var block = Enumerable.Range(0, period).Select(_ => (byte)random.Next(1, 4)).ToArray();
            var secret = Enumerable.Range(0, length).Select(i => block[i % period]).ToArray();
            if (random.Next(3) == 0)
            {
                secret[random.Next(length)] = (byte)random.Next(1, 4);
            }

            var degenerate = Stepping(secret) || NaivePeriod(secret) <= length / 2;
            var refused = Record.Exception(() => TokenSigningKey.FromSymmetricKey(secret)) is SigningKeyException;

            Assert.True(degenerate == refused, $"{Convert.ToHexString(secret)}: degenerate {degenerate}, refused {refused}");
        }

        static bool Stepping(byte[] s) => Enumerable.Range(2, s.Length - 2).All(i => (byte)(s[i] - s[i - 1]) == (byte)(s[1] - s[0]));

        static int NaivePeriod(byte[] s) => Enumerable.Range(1, s.Length).First(p => Enumerable.Range(p, s.Length - p).All(i => s[i] == s[i - p]));
    }

    /// <summary>
    /// The parameters of a fresh 2048-bit RSA key with the odd public exponent given and the private exponent computed
    /// for it (a key is drawn again until the exponent is coprime to its primes' lambda).
    /// </summary>
    private static RSAParameters RsaParametersWithExponent(BigInteger e)
    {
        for (var attempt = 0; ; attempt++)
        {
            using var rsa = RSA.Create(2048);
            var p = rsa.ExportParameters(true);
            var prime1 = new BigInteger(p.P, isUnsigned: true, isBigEndian: true);
            var prime2 = new BigInteger(p.Q, isUnsigned: true, isBigEndian: true);
            var lambda = (prime1 - 1) * (prime2 - 1) / BigInteger.GreatestCommonDivisor(prime1 - 1, prime2 - 1);
            if (BigInteger.GreatestCommonDivisor(e, lambda) != BigInteger.One)
            {
                Assert.True(attempt < 20, "no key found for the exponent");
                continue;
            }

            var d = ModInverse(e, lambda);
            p.Exponent = e.ToByteArray(isUnsigned: true, isBigEndian: true);
            p.D = Fixed(d, p.D!.Length);
            p.DP = Fixed(d % (prime1 - 1), p.DP!.Length);
            p.DQ = Fixed(d % (prime2 - 1), p.DQ!.Length);
            return p;
        }

        static byte[] Fixed(BigInteger value, int length)
        {
            var bytes = value.ToByteArray(isUnsigned: true, isBigEndian: true);
            return new byte[length - bytes.Length].Concat(bytes).ToArray();
        }

        static BigInteger ModInverse(BigInteger a, BigInteger m)
        {
            var (r0, r1) = (m, a % m);
            var (s0, s1) = (BigInteger.Zero, BigInteger.One);
            while (r1 != 0)
            {
                var quotient = r0 / r1;
                (r0, r1) = (r1, r0 - (quotient * r1));
                (s0, s1) = (s1, s0 - (quotient * s1));
            }

            return ((s0 % m) + m) % m;
        }
    }

    [Fact]
    public void Constructor_RsaKeyWhoseSignaturesDoNotVerify_IsRefusedAsCorrupt()
    {
        using var rsa = new SignsWithAnotherKey();

        var ex = Assert.Throws<SigningKeyException>(() => new TokenSigningKey(new RsaSecurityKey(rsa)));

        Assert.Equal("The RSA private key does not match its public key: a signature made with it does not verify. The key is corrupt.", ex.Message);
    }

    /// <summary>
    /// An RSA key whose private half is not its public half's (as a corrupt key store or hardware key could hold): it
    /// publishes one key and signs with another.
    /// </summary>
    private sealed class SignsWithAnotherKey : RSA
    {
        private readonly RSA _published = RSA.Create(2048);
        private readonly RSA _signer = RSA.Create(2048);

        public SignsWithAnotherKey() => KeySizeValue = 2048;

        public override RSAParameters ExportParameters(bool includePrivateParameters) => _published.ExportParameters(includePrivateParameters);

        public override void ImportParameters(RSAParameters parameters) => throw new NotSupportedException();

        public override byte[] SignHash(byte[] hash, HashAlgorithmName hashAlgorithm, RSASignaturePadding padding) => _signer.SignHash(hash, hashAlgorithm, padding);

        public override bool VerifyHash(byte[] hash, byte[] signature, HashAlgorithmName hashAlgorithm, RSASignaturePadding padding) => _published.VerifyHash(hash, signature, hashAlgorithm, padding);

        protected override void Dispose(bool disposing)
        {
            if (disposing)
            {
                _published.Dispose();
                _signer.Dispose();
            }

            base.Dispose(disposing);
        }
    }

    /// <summary>An RSA key of 2048 bits that reports a public exponent and can do nothing else.</summary>
    private sealed class PublicHalfOnly : RSA
    {
        private readonly RSAParameters _parameters;

        public PublicHalfOnly(BigInteger exponent)
        {
            KeySizeValue = 2048;
            _parameters = new RSAParameters { Modulus = new byte[256], Exponent = exponent.ToByteArray(isUnsigned: true, isBigEndian: true) };
        }

        public override RSAParameters ExportParameters(bool includePrivateParameters) =>
            includePrivateParameters ? throw new CryptographicException("No private key.") : _parameters;

        public override void ImportParameters(RSAParameters parameters) => throw new NotSupportedException();
    }

    /// <summary>PEM blocks one after the other, each on lines of its own.</summary>
    private static string Pem(params string[] blocks) => string.Join('\n', blocks) + "\n";

    private static X509Certificate2 SelfSigned(AsymmetricAlgorithm key) => key switch
    {
        RSA rsa => new CertificateRequest("CN=test", rsa, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1).CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddDays(30)),
        ECDsa ec => new CertificateRequest("CN=test", ec, HashAlgorithmName.SHA256).CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddDays(30)),
        _ => throw new ArgumentException("RSA or EC.", nameof(key)),
    };

    private static string PrivateJwk(RSA rsa)
    {
        var p = rsa.ExportParameters(true);
        return new JsonObject
        {
            ["kty"] = "RSA",
            ["n"] = Base64UrlEncoder.Encode(p.Modulus),
            ["e"] = Base64UrlEncoder.Encode(p.Exponent),
            ["d"] = Base64UrlEncoder.Encode(p.D),
            ["p"] = Base64UrlEncoder.Encode(p.P),
            ["q"] = Base64UrlEncoder.Encode(p.Q),
            ["dp"] = Base64UrlEncoder.Encode(p.DP),
            ["dq"] = Base64UrlEncoder.Encode(p.DQ),
            ["qi"] = Base64UrlEncoder.Encode(p.InverseQ),
        }.ToJsonString();
    }

    private string Write(string name, string content)
    {
        var path = Path.Combine(_dir, name);
        File.WriteAllText(path, content);
        return path;
    }

    private string WriteBytes(string name, byte[] content)
    {
        var path = Path.Combine(_dir, name);
        File.WriteAllBytes(path, content);
        return path;
    }
}
