using System;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Microsoft.IdentityModel.Tokens;

namespace ScopeClaims.Internal;

/// <summary>Strength and consistency rules for signing keys (RFC 7518 §3, RFC 8725 §3.5).</summary>
internal static class SigningKeyRules
{
    public const int MinRsaBits = 2048;

    public static SecurityKey Normalize(SecurityKey key) => key switch
    {
        X509SecurityKey x509 => x509.Certificate.GetRSAPrivateKey() is { } rsa
            ? new RsaSecurityKey(rsa) { KeyId = x509.KeyId }
            : x509.Certificate.GetECDsaPrivateKey() is { } ec
                ? new ECDsaSecurityKey(ec) { KeyId = x509.KeyId }
                : throw new SigningKeyException("The certificate has no RSA or EC private key; a public-only key cannot sign."),
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

    public static void Check(SecurityKey key, string algorithm)
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

                RequirePrivate(() => rsa.Rsa.ExportParameters(true).D, "RSA");
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

                RequirePrivate(() => ec.ECDsa.ExportParameters(true).D, "EC");
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

                break;
        }
    }

    public static SigningKeyException Unsupported(string? algorithm) =>
        new($"The signing algorithm '{algorithm}' is not supported; use one of {string.Join(", ", TokenSigningAlgorithms.All)}. Unsigned tokens ('none') are never issued.");

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

    private static RsaSecurityKey FromParameters(RsaSecurityKey key)
    {
        var rsa = RSA.Create();
        try
        {
            rsa.ImportParameters(key.Parameters);
        }
        catch (CryptographicException ex)
        {
            rsa.Dispose();
            throw new SigningKeyException("The RSA parameters are invalid.", ex);
        }

        return new RsaSecurityKey(rsa) { KeyId = key.KeyId };
    }

    private static void RequirePrivate(Func<byte[]?> exportPrivate, string kind)
    {
        byte[]? d;
        try
        {
            d = exportPrivate();
        }
        catch (CryptographicException ex)
        {
            throw new SigningKeyException($"The {kind} key is public-only; signing needs the private key.", ex);
        }

        if (d is null || d.Length == 0)
        {
            throw new SigningKeyException($"The {kind} key is public-only; signing needs the private key.");
        }

        CryptographicOperations.ZeroMemory(d);
    }

    private static SigningKeyException Mismatch(string algorithm, string needed, SecurityKey key) =>
        new($"{algorithm} needs {needed}; the key given is a {key.GetType().Name}.");
}
