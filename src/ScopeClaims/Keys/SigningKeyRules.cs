using System;
using System.Globalization;
using System.Linq;
using System.Numerics;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Microsoft.IdentityModel.Tokens;

namespace ScopeClaims.Internal;

/// <summary>Strength and consistency rules for signing keys (RFC 7518 §3, RFC 8725 §3.5, FIPS 186-5).</summary>
internal static class SigningKeyRules
{
    public const int MinRsaBits = 2048;

    /// <summary>The label the default HMAC key id is derived over; see <see cref="HmacKeyId"/>.</summary>
    private static readonly byte[] s_hmacKeyIdLabel = "ScopeClaims HMAC key id v1"u8.ToArray();

    /// <summary>What the pairwise consistency check signs: any fixed message does.</summary>
    private static readonly byte[] s_probe = "ScopeClaims signing key check"u8.ToArray();

    public static SecurityKey Normalize(SecurityKey key) => key switch
    {
        X509SecurityKey x509 => FromCertificate(x509.Certificate, x509.KeyId),
        RsaSecurityKey { Rsa: null } parameters => FromParameters(parameters),
        JsonWebKey jwk => JwkImport.ToSecurityKey(jwk),
        RsaSecurityKey or ECDsaSecurityKey or SymmetricSecurityKey => key,
        _ => throw new SigningKeyException($"Keys of type {key.GetType().Name} are not supported; use an RSA, EC or symmetric key."),
    };

    public static string DefaultAlgorithm(SecurityKey key) => key switch
    {
        RsaSecurityKey => SecurityAlgorithms.RsaSha256,
        ECDsaSecurityKey ec => ec.ECDsa.KeySize switch
        {
            384 => SecurityAlgorithms.EcdsaSha384,
            521 => SecurityAlgorithms.EcdsaSha512,
            _ => SecurityAlgorithms.EcdsaSha256,
        },
        _ => SecurityAlgorithms.HmacSha256,
    };

    public static void Check(SecurityKey key, string algorithm) => Check(key, algorithm, pairwise: true);

    /// <summary>The rules of <see cref="Check(SecurityKey, string)"/> for the public half of a key held elsewhere: type, size, exponent, curve; no signing.</summary>
    public static void CheckPublic(SecurityKey key, string algorithm) => Check(key, algorithm, pairwise: false);

    private static void Check(SecurityKey key, string algorithm, bool pairwise)
    {
        if (!TokenSigningAlgorithms.IsSupported(algorithm))
        {
            throw Unsupported(algorithm);
        }

        switch (algorithm[0])
        {
            case 'R' or 'P':
                if (key is not RsaSecurityKey rsa)
                {
                    throw Mismatch(algorithm, "an RSA key", key);
                }

                if (rsa.Rsa.KeySize < MinRsaBits)
                {
                    throw new SigningKeyException($"The RSA key has {rsa.Rsa.KeySize} bits; at least {MinRsaBits} are required (RFC 7518 §3.3).");
                }

                CheckRsaExponent(rsa.Rsa);
                if (!pairwise)
                {
                    break;
                }

                CheckPairwise(
                    "RSA",
                    () => rsa.Rsa.SignData(s_probe, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1),
                    signature => rsa.Rsa.VerifyData(s_probe, signature, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1));
                break;

            case 'E':
                if (key is not ECDsaSecurityKey ec)
                {
                    throw Mismatch(algorithm, "an EC key", key);
                }

                var curve = CurveName(ec.ECDsa);
                var wanted = algorithm switch
                {
                    SecurityAlgorithms.EcdsaSha256 => "P-256",
                    SecurityAlgorithms.EcdsaSha384 => "P-384",
                    _ => "P-521",
                };
                if (curve != wanted)
                {
                    throw new SigningKeyException($"{algorithm} needs an EC key on curve {wanted}; this key is on {curve ?? "an unsupported curve"} (RFC 7518 §3.4).");
                }

                if (!pairwise)
                {
                    break;
                }

                CheckPairwise(
                    "EC",
                    () => ec.ECDsa.SignData(s_probe, HashAlgorithmName.SHA256),
                    signature => ec.ECDsa.VerifyData(s_probe, signature, HashAlgorithmName.SHA256));
                break;

            default:
                if (key is not SymmetricSecurityKey symmetric)
                {
                    throw Mismatch(algorithm, "a symmetric key", key);
                }

                var minBytes = algorithm switch
                {
                    SecurityAlgorithms.HmacSha256 => 32,
                    SecurityAlgorithms.HmacSha384 => 48,
                    _ => 64,
                };
                if (symmetric.Key.Length < minBytes)
                {
                    throw new SigningKeyException($"The HMAC key has {symmetric.Key.Length * 8} bits; {algorithm} requires at least {minBytes * 8} (RFC 7518 §3.2).");
                }

                CheckNotDegenerate(symmetric.Key);
                break;
        }
    }

    public static SigningKeyException Unsupported(string? algorithm) =>
        new($"The signing algorithm {Quote(algorithm)} is not supported; use one of {string.Join(", ", TokenSigningAlgorithms.All)}. Unsigned tokens ('none') are never issued.");

    /// <summary>
    /// Quotes a value read from a key (an algorithm, a key type, a curve) for a message, only when it is short and plain:
    /// a longer value may be key material in the wrong member, and is never echoed.
    /// </summary>
    public static string Quote(string? value) =>
        value is null ? "(none)"
        : value.Length <= 12 && value.All(static c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_' or '+' or '.' or ' ')
            ? $"'{value}'"
            : "(a value not shown)";

    /// <summary>
    /// Derives the default key id of an HMAC key: HMAC-SHA256 keyed by the secret over a fixed label, its first
    /// 128 bits in base64url.
    /// </summary>
    /// <remarks>
    /// The key id is published in every token header, so it must tell nothing usable about the secret. A hash of the
    /// secret would be fatal: RFC 2104 HMAC replaces a secret longer than the hash block (64 bytes for HS256, 128 for
    /// HS384 and HS512) by its hash, so a published SHA-256 of such a secret is the effective HS256 key. An HMAC over
    /// a label is one-way, and, being 128 bits of an HMAC output, equals no effective key; the label holds a space, so
    /// it is never the signing input of a JWS (base64url segments joined by a dot), and the key id is never a
    /// signature this key made.
    /// </remarks>
    public static string HmacKeyId(byte[] secret)
    {
        Span<byte> mac = stackalloc byte[32];
        HMACSHA256.HashData(secret, s_hmacKeyIdLabel, mac);
        return Base64UrlEncoder.Encode(mac[..16].ToArray());
    }

    /// <summary>
    /// Refuses a certificate whose key should not sign our tokens: outside its validity period now, carrying a key usage
    /// extension without digitalSignature (RFC 5280 §4.2.1.3), or a CA certificate (basicConstraints cA, §4.2.1.9).
    /// </summary>
    public static void CheckCertificate(X509Certificate2 certificate) => CheckCertificate(certificate, DateTime.Now);

    /// <summary>Refuses a certificate as <see cref="CheckCertificate(X509Certificate2)"/> does, at the local time <paramref name="now"/>.</summary>
    /// <remarks>The validity period includes both ends, <c>NotBefore</c> and <c>NotAfter</c> (RFC 5280 §4.1.2.5).</remarks>
    public static void CheckCertificate(X509Certificate2 certificate, DateTime now)
    {
        if (now < certificate.NotBefore)
        {
            throw new SigningKeyException($"The certificate is not valid yet: valid from {Utc(certificate.NotBefore)}. Partners that check the certificate would refuse tokens signed with it.");
        }

        if (now > certificate.NotAfter)
        {
            throw new SigningKeyException($"The certificate expired at {Utc(certificate.NotAfter)}. Partners that check the certificate would refuse tokens signed with it; renew it.");
        }

        foreach (var extension in certificate.Extensions)
        {
            if (extension is X509KeyUsageExtension usage && (usage.KeyUsages & X509KeyUsageFlags.DigitalSignature) == 0)
            {
                throw new SigningKeyException($"The certificate's key usage ({usage.KeyUsages}) does not include digitalSignature, so its key may not sign (RFC 5280 §4.2.1.3).");
            }

            if (extension is X509BasicConstraintsExtension { CertificateAuthority: true })
            {
                throw new SigningKeyException("The certificate is a CA certificate (basicConstraints cA=true); a CA key signs certificates, never tokens. Use an end-entity certificate.");
            }
        }
    }

    public static string? CurveName(ECDsa ecdsa)
    {
        var oid = ecdsa.ExportParameters(false).Curve.Oid;
        return (oid?.Value, oid?.FriendlyName) switch
        {
            ("1.2.840.10045.3.1.7", _) or (_, "nistP256" or "ECDSA_P256" or "secp256r1") => "P-256",
            ("1.3.132.0.34", _) or (_, "nistP384" or "ECDSA_P384" or "secp384r1") => "P-384",
            ("1.3.132.0.35", _) or (_, "nistP521" or "ECDSA_P521" or "secp521r1") => "P-521",
            _ => null,
        };
    }

    private static SecurityKey FromCertificate(X509Certificate2 certificate, string? keyId)
    {
        SecurityKey key = certificate.GetRSAPrivateKey() is { } rsa
            ? new RsaSecurityKey(rsa) { KeyId = keyId }
            : certificate.GetECDsaPrivateKey() is { } ec
                ? new ECDsaSecurityKey(ec) { KeyId = keyId }
                : throw new SigningKeyException("The certificate has no RSA or EC private key; a public-only key cannot sign.");
        CheckCertificate(certificate);
        return key;
    }

    private static RsaSecurityKey FromParameters(RsaSecurityKey key)
    {
        if (key.Parameters.D is null)
        {
            throw new SigningKeyException("The RSA key is public-only; signing needs the private key.");
        }

        var rsa = RSA.Create();
        try
        {
            rsa.ImportParameters(key.Parameters);
        }
        catch (CryptographicException ex)
        {
            rsa.Dispose();
            throw new SigningKeyException($"The RSA parameters do not form a valid key ({ex.GetType().Name}).");
        }

        return new RsaSecurityKey(rsa) { KeyId = key.KeyId };
    }

    /// <summary>FIPS 186-5 §A.1.1: the public exponent is odd, above 2^16 and below 2^256. A small one (3, 17) is refused.</summary>
    private static void CheckRsaExponent(RSA rsa)
    {
        var exponent = new BigInteger(rsa.ExportParameters(false).Exponent, isUnsigned: true, isBigEndian: true);
        if (exponent.IsEven || exponent <= 65536 || exponent >= BigInteger.One << 256)
        {
            throw new SigningKeyException($"The RSA public exponent is {(exponent < 1_000_000 ? exponent.ToString(CultureInfo.InvariantCulture) : "out of range")}; it must be odd, above 2^16 and below 2^256 (FIPS 186-5 §A.1.1), as 65537 is.");
        }
    }

    /// <summary>
    /// Signs a fixed message and verifies the signature with the key's public half, so a public-only key, a private key
    /// that does not match its public key, or parameters that do not form one key are refused when the key is loaded
    /// rather than when a partner rejects its first token.
    /// </summary>
    private static void CheckPairwise(string kind, Func<byte[]> sign, Func<byte[], bool> verify)
    {
        byte[] signature;
        try
        {
            signature = sign();
        }
        catch (CryptographicException)
        {
            throw new SigningKeyException($"The {kind} key cannot sign: it is public-only, or its private key is unusable; signing needs the private key.");
        }

        if (!verify(signature))
        {
            throw new SigningKeyException($"The {kind} private key does not match its public key: a signature made with it does not verify. The key is corrupt.");
        }
    }

    /// <summary>
    /// Refuses an HMAC secret that is obviously not random: every byte the same (all zero included), bytes that step by a
    /// fixed amount (0x00 0x01 0x02 ...), or one block repeated (such as "abcabc..."). Such a secret is a placeholder or a
    /// test value that reached configuration.
    /// </summary>
    private static void CheckNotDegenerate(byte[] secret)
    {
        var step = (byte)(secret[1] - secret[0]);
        var stepping = true;
        for (var i = 2; i < secret.Length && stepping; i++)
        {
            stepping = (byte)(secret[i] - secret[i - 1]) == step;
        }

        if (stepping)
        {
            throw new SigningKeyException(step == 0
                ? "The HMAC key is one byte repeated (such as all zero); it is a placeholder, not a secret. Use random bytes (TokenSigningKey.Generate or 'scopeclaims keys new')."
                : "The HMAC key is a run of bytes stepping by a fixed amount (such as 00 01 02 ...); it is a placeholder, not a secret. Use random bytes.");
        }

        if (SmallestPeriod(secret) <= secret.Length / 2)
        {
            throw new SigningKeyException("The HMAC key is one short block repeated; it holds no more secret than the block. Use random bytes.");
        }
    }

    /// <summary>The smallest p with secret[i] == secret[i - p] for every i ≥ p, from the prefix function (Knuth-Morris-Pratt), in linear time.</summary>
    private static int SmallestPeriod(byte[] secret)
    {
        var border = new int[secret.Length];
        for (var i = 1; i < secret.Length; i++)
        {
            var k = border[i - 1];
            while (k > 0 && secret[i] != secret[k])
            {
                k = border[k - 1];
            }

            border[i] = secret[i] == secret[k] ? k + 1 : k;
        }

        return secret.Length - border[^1];
    }

    private static string Utc(DateTime time) => time.ToUniversalTime().ToString("u", CultureInfo.InvariantCulture);

    private static SigningKeyException Mismatch(string algorithm, string needed, SecurityKey key) =>
        new($"{algorithm} needs {needed}; the key given is a {key.GetType().Name}.");
}
