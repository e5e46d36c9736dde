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

    // ---- the rules at their edges (SigningKeyRules) ----

    [Theory]
    [InlineData("nistP256", SecurityAlgorithms.EcdsaSha256)]
    [InlineData("nistP384", SecurityAlgorithms.EcdsaSha384)]
    [InlineData("nistP521", SecurityAlgorithms.EcdsaSha512)]
    public void Constructor_EcKeyWithoutAlgorithm_TakesTheCurvesAlgorithm(string curve, string expected)
    {
        using var ec = ECDsa.Create(ECCurve.CreateFromFriendlyName(curve));

        Assert.Equal(expected, new TokenSigningKey(new ECDsaSecurityKey(ec)).Algorithm);
    }

    [Fact]
    public void Constructor_KeysWithoutAlgorithm_TakeTheirTypesAlgorithm()
    {
        using var rsa = RSA.Create(2048);

        Assert.Equal(SecurityAlgorithms.RsaSha256, new TokenSigningKey(new RsaSecurityKey(rsa)).Algorithm);
        Assert.Equal(SecurityAlgorithms.HmacSha256, new TokenSigningKey(new SymmetricSecurityKey(RandomNumberGenerator.GetBytes(32))).Algorithm);
    }

    [Theory]
    [InlineData("nistP256", SecurityAlgorithms.EcdsaSha384, "ES384 needs an EC key on curve P-384; this key is on P-256")]
    [InlineData("nistP384", SecurityAlgorithms.EcdsaSha512, "ES512 needs an EC key on curve P-521; this key is on P-384")]
    [InlineData("nistP521", SecurityAlgorithms.EcdsaSha256, "ES256 needs an EC key on curve P-256; this key is on P-521")]
    [InlineData("brainpoolP256r1", SecurityAlgorithms.EcdsaSha256, "ES256 needs an EC key on curve P-256; this key is on an unsupported curve")]
    public void Constructor_EcCurveNotTheAlgorithms_IsRefusedNamingBoth(string curve, string algorithm, string expected)
    {
        using var ec = ECDsa.Create(ECCurve.CreateFromFriendlyName(curve));

        var ex = Assert.Throws<SigningKeyException>(() => new TokenSigningKey(new ECDsaSecurityKey(ec), algorithm));

        Assert.StartsWith(expected, ex.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(SecurityAlgorithms.RsaSha256, "symmetric", "RS256 needs an RSA key; the key given is a SymmetricSecurityKey.")]
    [InlineData(SecurityAlgorithms.RsaSsaPssSha256, "ec", "PS256 needs an RSA key; the key given is a ECDsaSecurityKey.")]
    [InlineData(SecurityAlgorithms.EcdsaSha256, "rsa", "ES256 needs an EC key; the key given is a RsaSecurityKey.")]
    [InlineData(SecurityAlgorithms.HmacSha512, "ec", "HS512 needs a symmetric key; the key given is a ECDsaSecurityKey.")]
    public void Constructor_AlgorithmForAnotherKeyType_MessageNamesWhatIsNeeded(string algorithm, string keyKind, string expected)
    {
        var key = keyKind switch
        {
            "rsa" => TestKeys.Rsa.Key,
            "ec" => TestKeys.Ec.Key,
            _ => TestKeys.Hmac.Key,
        };

        var ex = Assert.Throws<SigningKeyException>(() => new TokenSigningKey(key, algorithm));

        Assert.Equal(expected, ex.Message);
    }

    [Theory]
    [InlineData(SecurityAlgorithms.HmacSha256, 31, "The HMAC key has 248 bits; HS256 requires at least 256 (RFC 7518 §3.2).")]
    [InlineData(SecurityAlgorithms.HmacSha384, 47, "The HMAC key has 376 bits; HS384 requires at least 384 (RFC 7518 §3.2).")]
    [InlineData(SecurityAlgorithms.HmacSha512, 63, "The HMAC key has 504 bits; HS512 requires at least 512 (RFC 7518 §3.2).")]
    public void FromSymmetricKey_OneByteShort_MessageNamesBothSizes(string algorithm, int bytes, string expected)
    {
        var ex = Assert.Throws<SigningKeyException>(() => TokenSigningKey.FromSymmetricKey(RandomNumberGenerator.GetBytes(bytes), algorithm));

        Assert.Equal(expected, ex.Message);
        Assert.Equal(algorithm, TokenSigningKey.FromSymmetricKey(RandomNumberGenerator.GetBytes(bytes + 1)[..^1].Concat(RandomNumberGenerator.GetBytes(1)).ToArray(), algorithm).Algorithm);
    }

    [Fact]
    public void Constructor_RsaUnder2048Bits_MessageNamesBothSizes()
    {
        using var rsa = RSA.Create(1024);

        var ex = Assert.Throws<SigningKeyException>(() => new TokenSigningKey(new RsaSecurityKey(rsa)));

        Assert.Equal("The RSA key has 1024 bits; at least 2048 are required (RFC 7518 §3.3).", ex.Message);
    }

    [Fact]
    public void Constructor_UnsupportedAlgorithm_MessageListsTheSupportedOnes()
    {
        var ex = Assert.Throws<SigningKeyException>(() => new TokenSigningKey(TestKeys.Rsa.Key, "RS1"));

        Assert.Equal($"The signing algorithm 'RS1' is not supported; use one of {string.Join(", ", TokenSigningAlgorithms.All)}. Unsigned tokens ('none') are never issued.", ex.Message);
    }

    [Fact]
    public void Constructor_KeyOfAnotherType_IsRefusedNamingTheType()
    {
        var ex = Assert.Throws<SigningKeyException>(() => new TokenSigningKey(new OtherKey()));

        Assert.Equal("Keys of type OtherKey are not supported; use an RSA, EC or symmetric key.", ex.Message);
    }

    [Fact]
    public void Constructor_RsaParametersThatFormNoKey_IsRefused()
    {
        using var rsa = RSA.Create(2048);
        var parameters = rsa.ExportParameters(true);
        parameters.DP = parameters.DP![..^1];

        var ex = Assert.Throws<SigningKeyException>(() => new TokenSigningKey(new RsaSecurityKey(parameters)));

        Assert.StartsWith("The RSA parameters do not form a valid key (", ex.Message, StringComparison.Ordinal);
        Assert.EndsWith("CryptographicException).", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Constructor_RsaParameters_KeepTheirKeyId()
    {
        using var rsa = RSA.Create(2048);

        var key = new TokenSigningKey(new RsaSecurityKey(rsa.ExportParameters(true)) { KeyId = "given-kid" });

        Assert.Equal("given-kid", key.KeyId);
        Assert.Equal("given-kid", key.Key.KeyId);
    }

    [Theory]
    [InlineData(null, "(none)")]
    [InlineData("", "''")]
    [InlineData("RS256", "'RS256'")]
    [InlineData("abcdefghijkl", "'abcdefghijkl'")]
    [InlineData("abcdefghijklm", "(a value not shown)")]
    [InlineData("a-b_c+d.e f", "'a-b_c+d.e f'")]
    [InlineData("a/b", "(a value not shown)")]
    [InlineData("a\"b", "(a value not shown)")]
    [InlineData("P-256\n", "(a value not shown)")]
    [InlineData("\u00e9", "(a value not shown)")]
    public void Quote_Value_IsQuotedOnlyWhenShortAndPlain(string? value, string expected) =>
        Assert.Equal(expected, ScopeClaims.Internal.SigningKeyRules.Quote(value));

    [Theory]
    [InlineData("1.2.840.10045.3.1.7", null, "P-256")]
    [InlineData(null, "nistP256", "P-256")]
    [InlineData(null, "ECDSA_P256", "P-256")]
    [InlineData(null, "secp256r1", "P-256")]
    [InlineData("1.3.132.0.34", null, "P-384")]
    [InlineData(null, "nistP384", "P-384")]
    [InlineData(null, "ECDSA_P384", "P-384")]
    [InlineData(null, "secp384r1", "P-384")]
    [InlineData("1.3.132.0.35", null, "P-521")]
    [InlineData(null, "nistP521", "P-521")]
    [InlineData(null, "ECDSA_P521", "P-521")]
    [InlineData(null, "secp521r1", "P-521")]
    [InlineData("1.3.36.3.3.2.8.1.1.7", "brainpoolP256r1", null)]
    [InlineData(null, "brainpoolP384r1", null)]
    [InlineData("1.2.840.10045.3.1.7", "a name no platform uses", "P-256")]
    [InlineData("1.3.132.0.34", "a name no platform uses", "P-384")]
    [InlineData("1.3.132.0.35", "a name no platform uses", "P-521")]
    public void CurveName_OidValueOrAnyPlatformsName_IsTheJoseName(string? oid, string? friendlyName, string? expected)
    {
        using var ec = new CurveOnly(new Oid(oid, friendlyName));

        Assert.Equal(expected, ScopeClaims.Internal.SigningKeyRules.CurveName(ec));
    }

    [Fact]
    public void Constructor_RsaWithOnlyItsPublicHalf_IsRefusedByTheSigningCheck()
    {
        using var full = RSA.Create(2048);
        using var rsa = RSA.Create();
        rsa.ImportParameters(full.ExportParameters(false));
        using var fullEc = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        using var ec = ECDsa.Create(fullEc.ExportParameters(false));

        var rsaEx = Assert.Throws<SigningKeyException>(() => new TokenSigningKey(new RsaSecurityKey(rsa)));
        var ecEx = Assert.Throws<SigningKeyException>(() => new TokenSigningKey(new ECDsaSecurityKey(ec)));

        Assert.Equal("The RSA key cannot sign: it is public-only, or its private key is unusable; signing needs the private key.", rsaEx.Message);
        Assert.Equal("The EC key cannot sign: it is public-only, or its private key is unusable; signing needs the private key.", ecEx.Message);
    }

    [Fact]
    public void Constructor_RsaParametersWithoutPrivateExponent_IsRefusedAsPublicOnly()
    {
        using var rsa = RSA.Create(2048);

        var ex = Assert.Throws<SigningKeyException>(() => new TokenSigningKey(new RsaSecurityKey(rsa.ExportParameters(false))));

        Assert.Equal("The RSA key is public-only; signing needs the private key.", ex.Message);
    }

    [Fact]
    public void Constructor_CertificateWithoutPrivateKey_MessageSaysSo()
    {
        using var rsa = RSA.Create(2048);
        using var cert = new CertificateRequest("CN=test", rsa, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1).CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddDays(1));
        using var publicOnly = X509CertificateLoader.LoadCertificate(cert.Export(X509ContentType.Cert));

        var ex = Assert.Throws<SigningKeyException>(() => new TokenSigningKey(new X509SecurityKey(publicOnly)));

        Assert.Equal("The certificate has no RSA or EC private key; a public-only key cannot sign.", ex.Message);
    }

    [Theory]
    [InlineData("2020-01-01", "2021-01-01", "The certificate expired at 2021-01-01 00:00:00Z.")]
    [InlineData("2100-01-01", "2101-01-01", "The certificate is not valid yet: valid from 2100-01-01 00:00:00Z.")]
    public void Constructor_CertificateOutsideItsValidity_MessageGivesTheDateInUtc(string notBefore, string notAfter, string expected)
    {
        using var ec = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var from = DateTimeOffset.Parse(notBefore, System.Globalization.CultureInfo.InvariantCulture, System.Globalization.DateTimeStyles.AssumeUniversal);
        var to = DateTimeOffset.Parse(notAfter, System.Globalization.CultureInfo.InvariantCulture, System.Globalization.DateTimeStyles.AssumeUniversal);
        using var cert = new CertificateRequest("CN=test", ec, HashAlgorithmName.SHA256).CreateSelfSigned(from, to);

        var ex = Assert.Throws<SigningKeyException>(() => new TokenSigningKey(new X509SecurityKey(cert)));

        Assert.StartsWith(expected, ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void CheckCertificate_ValidityPeriod_IncludesBothEnds()
    {
        // RFC 5280 §4.1.2.5: the certificate is valid from notBefore through notAfter, both instants included.
        using var ec = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var from = new DateTimeOffset(2030, 1, 1, 0, 0, 0, TimeSpan.Zero);
        using var cert = new CertificateRequest("CN=test", ec, HashAlgorithmName.SHA256).CreateSelfSigned(from, from.AddYears(1));
        var notBefore = cert.NotBefore;
        var notAfter = cert.NotAfter;

        ScopeClaims.Internal.SigningKeyRules.CheckCertificate(cert, notBefore);
        ScopeClaims.Internal.SigningKeyRules.CheckCertificate(cert, notAfter);
        Assert.StartsWith("The certificate is not valid yet", Assert.Throws<SigningKeyException>(() => ScopeClaims.Internal.SigningKeyRules.CheckCertificate(cert, notBefore.AddTicks(-1))).Message, StringComparison.Ordinal);
        Assert.StartsWith("The certificate expired at", Assert.Throws<SigningKeyException>(() => ScopeClaims.Internal.SigningKeyRules.CheckCertificate(cert, notAfter.AddTicks(1))).Message, StringComparison.Ordinal);
    }

    /// <summary>A key type the library does not sign with.</summary>
    private sealed class OtherKey : SecurityKey
    {
        public override int KeySize => 256;
    }

    /// <summary>An EC key that reports only its curve, named as a platform names it (some by OID, some by name only).</summary>
    private sealed class CurveOnly(Oid oid) : ECDsa
    {
        public override ECParameters ExportParameters(bool includePrivateParameters) =>
            new() { Curve = ECCurve.CreateFromOid(oid) };

        public override byte[] SignHash(byte[] hash) => throw new NotSupportedException();

        public override bool VerifyHash(byte[] hash, byte[] signature) => throw new NotSupportedException();
    }
}
