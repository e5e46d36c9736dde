using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text.Json;
using Microsoft.IdentityModel.Tokens;
using ScopeClaims;

namespace ScopeClaims.Tests.Keys;

public sealed class TokenSigningKeyTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("scopeclaims-keys-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    [Theory]
    [InlineData("none")]
    [InlineData("None")]
    [InlineData("hs256")]
    [InlineData("RS1")]
    [InlineData("")]
    public void Generate_UnsupportedAlgorithm_IsRefused(string algorithm)
    {
        var ex = Assert.Throws<SigningKeyException>(() => TokenSigningKey.Generate(algorithm));

        Assert.Contains("not supported", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Constructor_NoneAlgorithmOnRealKey_IsRefused()
    {
        Assert.Throws<SigningKeyException>(() => new TokenSigningKey(TestKeys.Rsa.Key, "none"));
    }

    [Fact]
    public void Constructor_RsaUnder2048Bits_IsRefused()
    {
        using var rsa = RSA.Create(1024);

        var ex = Assert.Throws<SigningKeyException>(() => new TokenSigningKey(new RsaSecurityKey(rsa)));

        Assert.Contains("1024 bits", ex.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(SecurityAlgorithms.HmacSha256, 31)]
    [InlineData(SecurityAlgorithms.HmacSha384, 47)]
    [InlineData(SecurityAlgorithms.HmacSha512, 63)]
    public void FromSymmetricKey_ShorterThanHash_IsRefused(string algorithm, int bytes)
    {
        Assert.Throws<SigningKeyException>(() => TokenSigningKey.FromSymmetricKey(new byte[bytes], algorithm));
        Assert.NotNull(TokenSigningKey.FromSymmetricKey(RandomNumberGenerator.GetBytes(bytes + 1), algorithm));
    }

    [Fact]
    public void Constructor_PublicOnlyRsa_IsRefused()
    {
        using var rsa = RSA.Create(2048);
        var publicOnly = new RsaSecurityKey(rsa.ExportParameters(false));

        var ex = Assert.Throws<SigningKeyException>(() => new TokenSigningKey(publicOnly));

        Assert.Contains("public-only", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Constructor_PublicOnlyEc_IsRefused()
    {
        using var full = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        using var ec = ECDsa.Create(full.ExportParameters(false));

        Assert.Throws<SigningKeyException>(() => new TokenSigningKey(new ECDsaSecurityKey(ec)));
    }

    [Fact]
    public void Constructor_CurveNotMatchingAlgorithm_IsRefused()
    {
        using var ec = ECDsa.Create(ECCurve.NamedCurves.nistP384);

        var ex = Assert.Throws<SigningKeyException>(() => new TokenSigningKey(new ECDsaSecurityKey(ec), SecurityAlgorithms.EcdsaSha256));

        Assert.Contains("P-256", ex.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(SecurityAlgorithms.HmacSha256)]
    [InlineData(SecurityAlgorithms.EcdsaSha256)]
    public void Constructor_AlgorithmForAnotherKeyType_IsRefused(string algorithm)
    {
        Assert.Throws<SigningKeyException>(() => new TokenSigningKey(TestKeys.Rsa.Key, algorithm));
    }

    [Fact]
    public void KeyId_DefaultsToStableThumbprint()
    {
        var pem = TestKeys.RsaPem();

        var a = TokenSigningKey.FromPem(pem);
        var b = TokenSigningKey.FromPem(pem);

        Assert.Equal(a.KeyId, b.KeyId);
        Assert.Equal(43, a.KeyId.Length);
        Assert.Equal("mine", TokenSigningKey.FromPem(pem, keyId: "mine").KeyId);
    }

    [Fact]
    public void FromPem_EveryEncoding_Loads()
    {
        using var rsa = RSA.Create(2048);
        using var ec = ECDsa.Create(ECCurve.NamedCurves.nistP256);

        Assert.Equal("RS256", TokenSigningKey.FromPem(rsa.ExportRSAPrivateKeyPem()).Algorithm);
        Assert.Equal("PS256", TokenSigningKey.FromPem(rsa.ExportPkcs8PrivateKeyPem(), "PS256").Algorithm);
        Assert.Equal("ES256", TokenSigningKey.FromPem(ec.ExportECPrivateKeyPem()).Algorithm);
        Assert.Equal("ES256", TokenSigningKey.FromPem(ec.ExportPkcs8PrivateKeyPem()).Algorithm);
    }

    [Fact]
    public void FromPemFile_LoadsAndReportsMissingFile()
    {
        var path = Path.Combine(_dir, "key.pem");
        File.WriteAllText(path, TestKeys.RsaPem());

        Assert.Equal("RS256", TokenSigningKey.FromPemFile(path).Algorithm);
        Assert.Equal("RS256", TokenSigningKey.FromFile(path).Algorithm);
        var ex = Assert.Throws<SigningKeyException>(() => TokenSigningKey.FromPemFile(Path.Combine(_dir, "missing.pem")));
        Assert.Contains("missing.pem' does not exist", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void FromPem_PublicOnly_IsRefused()
    {
        using var rsa = RSA.Create(2048);

        var ex = Assert.Throws<SigningKeyException>(() => TokenSigningKey.FromPem(rsa.ExportSubjectPublicKeyInfoPem()));

        Assert.Contains("public key", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void FromPem_Encrypted_IsRefusedWithAdvice()
    {
        using var rsa = RSA.Create(2048);
        var pem = rsa.ExportEncryptedPkcs8PrivateKeyPem("pw", new PbeParameters(PbeEncryptionAlgorithm.Aes256Cbc, HashAlgorithmName.SHA256, 1000));

        Assert.Contains("encrypted", Assert.Throws<SigningKeyException>(() => TokenSigningKey.FromPem(pem)).Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("not a pem")]
    [InlineData("-----BEGIN RSA PRIVATE KEY-----\nAAAA\n-----END RSA PRIVATE KEY-----")]
    [InlineData("-----BEGIN PRIVATE KEY-----\nAAAA\n-----END PRIVATE KEY-----")]
    [InlineData("-----BEGIN EC PRIVATE KEY-----\nAAAA\n-----END EC PRIVATE KEY-----")]
    public void FromPem_Garbage_IsRefused(string pem)
    {
        Assert.Throws<SigningKeyException>(() => TokenSigningKey.FromPem(pem));
    }

    [Fact]
    public void Exception_NeverContainsKeyMaterial()
    {
        using var rsa = RSA.Create(1024);
        var pem = rsa.ExportRSAPrivateKeyPem();

        var ex = Assert.Throws<SigningKeyException>(() => TokenSigningKey.FromPem(pem));

        var body = pem.Split('\n')[1];
        Assert.DoesNotContain(body[..20], ex.ToString(), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(SecurityAlgorithms.RsaSha256)]
    [InlineData(SecurityAlgorithms.EcdsaSha384)]
    [InlineData(SecurityAlgorithms.HmacSha256)]
    public void Jwk_PrivateExportThenImport_RoundTrips(string algorithm)
    {
        var key = TokenSigningKey.Generate(algorithm, "k1");

        var loaded = TokenSigningKey.FromJwk(key.ExportPrivateJwk());

        Assert.Equal("k1", loaded.KeyId);
        Assert.Equal(algorithm, loaded.Algorithm);
        var path = Path.Combine(_dir, "key.jwk");
        File.WriteAllText(path, key.ExportPrivateJwk());
        Assert.Equal("k1", TokenSigningKey.FromJwkFile(path).KeyId);
        Assert.Equal("k1", TokenSigningKey.FromFile(path).KeyId);
        Assert.Equal("other", TokenSigningKey.FromFile(path, keyId: "other").KeyId);
    }

    [Fact]
    public void FromJwk_PublicOnly_IsRefused()
    {
        var jwk = JsonSerializer.Serialize(new { kty = "RSA", n = TestKeys.Rsa.ToPublicJsonWebKey()!.N, e = "AQAB" });

        Assert.Contains("public-only", Assert.Throws<SigningKeyException>(() => TokenSigningKey.FromJwk(jwk)).Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("{")]
    [InlineData("""{"kty":"OKP","crv":"Ed25519","x":"AA","d":"AA"}""")]
    [InlineData("""{"kty":"EC","crv":"P-192","x":"AA","y":"AA","d":"AA"}""")]
    [InlineData("""{"kty":"oct"}""")]
    [InlineData("""{"kty":"oct","k":"c2hvcnQ"}""")]
    public void FromJwk_Invalid_IsRefused(string json)
    {
        Assert.Throws<SigningKeyException>(() => TokenSigningKey.FromJwk(json));
    }

    [Fact]
    public void FromJwk_AlgorithmConflict_IsRefused()
    {
        var jwk = TokenSigningKey.Generate("RS256").ExportPrivateJwk();

        Assert.Throws<SigningKeyException>(() => TokenSigningKey.FromJwk(jwk, "PS256"));
    }

    [Fact]
    public void FromPfxFile_WithPassword_Loads_WrongPasswordRefused()
    {
        using var rsa = RSA.Create(2048);
        using var cert = new CertificateRequest("CN=test", rsa, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1).CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddDays(1));
        var path = Path.Combine(_dir, "cert.pfx");
        File.WriteAllBytes(path, cert.Export(X509ContentType.Pfx, "secret"));

        Assert.Equal("RS256", TokenSigningKey.FromPfxFile(path, "secret").Algorithm);
        var ex = Assert.Throws<SigningKeyException>(() => TokenSigningKey.FromPfxFile(path, "wrong"));
        Assert.DoesNotContain("secret", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void FromPemCertificate_WithKeyFile_Loads()
    {
        using var ec = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        using var cert = new CertificateRequest("CN=test", ec, HashAlgorithmName.SHA256).CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddDays(1));
        var certPath = Path.Combine(_dir, "cert.pem");
        var keyPath = Path.Combine(_dir, "cert.key");
        File.WriteAllText(certPath, cert.ExportCertificatePem());
        File.WriteAllText(keyPath, ec.ExportPkcs8PrivateKeyPem());

        Assert.Equal("ES256", TokenSigningKey.FromPemCertificate(certPath, keyPath).Algorithm);
        Assert.Throws<SigningKeyException>(() => TokenSigningKey.FromPemCertificate(certPath));
    }

    [Fact]
    public void FromCertificate_WithoutPrivateKey_IsRefused()
    {
        using var rsa = RSA.Create(2048);
        using var cert = new CertificateRequest("CN=test", rsa, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1).CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddDays(1));
        using var publicOnly = X509CertificateLoader.LoadCertificate(cert.Export(X509ContentType.Cert));

        Assert.Throws<SigningKeyException>(() => TokenSigningKey.FromCertificate(publicOnly));
        Assert.Throws<SigningKeyException>(() => new TokenSigningKey(new X509SecurityKey(publicOnly)));
    }

    [Fact]
    public void ArgumentValidation_NullArguments_Throw()
    {
        Assert.Throws<ArgumentNullException>(() => new TokenSigningKey(null!));
        Assert.Throws<ArgumentNullException>(() => TokenSigningKey.Generate(null!));
        Assert.Throws<ArgumentNullException>(() => TokenSigningKey.FromPem(null!));
        Assert.Throws<ArgumentNullException>(() => TokenSigningKey.FromJwk(null!));
        Assert.Throws<ArgumentNullException>(() => TokenSigningKey.FromSymmetricKey(null!));
        Assert.Throws<ArgumentNullException>(() => TokenSigningKey.FromCertificate(null!));
        Assert.ThrowsAny<ArgumentException>(() => TokenSigningKey.FromPemFile(""));
        Assert.ThrowsAny<ArgumentException>(() => TokenSigningKey.FromPfxFile("", null));
        Assert.ThrowsAny<ArgumentException>(() => TokenSigningKey.FromPemCertificate(""));
    }
}
