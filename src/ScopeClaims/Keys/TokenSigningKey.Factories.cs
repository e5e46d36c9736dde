using System;
using System.Linq;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Microsoft.IdentityModel.Tokens;
using ScopeClaims.Internal;

namespace ScopeClaims;

// The factories: a key generated, or loaded from bytes, PEM, a JWK, a file or a certificate; every file is read bounded,
// and no exception quotes key material, a password or a file's content.
public sealed partial class TokenSigningKey
{
    /// <summary>Creates a new random key.</summary>
    /// <param name="algorithm">RS256/384/512 and PS256/384/512 (RSA 2048 or, for 384 and 512, 3072 bits), ES256/384/512, or HS256/384/512.</param>
    /// <param name="keyId">The key id, or <see langword="null"/> for the JWK thumbprint (RSA, EC) or an id derived one-way from the secret (HMAC).</param>
    /// <returns>The key.</returns>
    /// <exception cref="SigningKeyException">The algorithm is not supported.</exception>
    public static TokenSigningKey Generate(string algorithm = SecurityAlgorithms.RsaSha256, string? keyId = null)
    {
        ArgumentNullException.ThrowIfNull(algorithm);
        SecurityKey key = algorithm switch
        {
            SecurityAlgorithms.RsaSha256 or SecurityAlgorithms.RsaSsaPssSha256 => new RsaSecurityKey(RSA.Create(2048)),
            SecurityAlgorithms.RsaSha384 or SecurityAlgorithms.RsaSha512 or SecurityAlgorithms.RsaSsaPssSha384 or SecurityAlgorithms.RsaSsaPssSha512 => new RsaSecurityKey(RSA.Create(3072)),
            SecurityAlgorithms.EcdsaSha256 => new ECDsaSecurityKey(ECDsa.Create(ECCurve.NamedCurves.nistP256)),
            SecurityAlgorithms.EcdsaSha384 => new ECDsaSecurityKey(ECDsa.Create(ECCurve.NamedCurves.nistP384)),
            SecurityAlgorithms.EcdsaSha512 => new ECDsaSecurityKey(ECDsa.Create(ECCurve.NamedCurves.nistP521)),
            SecurityAlgorithms.HmacSha256 => new SymmetricSecurityKey(RandomNumberGenerator.GetBytes(32)),
            SecurityAlgorithms.HmacSha384 => new SymmetricSecurityKey(RandomNumberGenerator.GetBytes(48)),
            SecurityAlgorithms.HmacSha512 => new SymmetricSecurityKey(RandomNumberGenerator.GetBytes(64)),
            _ => throw SigningKeyRules.Unsupported(algorithm),
        };
        return new TokenSigningKey(key, algorithm, keyId);
    }

    /// <summary>Creates an HMAC key from secret bytes.</summary>
    /// <param name="secret">The secret: at least as long as the hash (32 bytes for HS256, 48 for HS384, 64 for HS512).</param>
    /// <param name="algorithm">HS256, HS384 or HS512.</param>
    /// <param name="keyId">The key id, or <see langword="null"/> for one derived one-way from the secret (never a hash of it).</param>
    /// <returns>The key.</returns>
    /// <exception cref="SigningKeyException">The secret is too short, obviously not random, or the algorithm is not an HMAC one.</exception>
    public static TokenSigningKey FromSymmetricKey(byte[] secret, string algorithm = SecurityAlgorithms.HmacSha256, string? keyId = null)
    {
        ArgumentNullException.ThrowIfNull(secret);
        return new TokenSigningKey(new SymmetricSecurityKey((byte[])secret.Clone()), algorithm, keyId);
    }

    /// <summary>Loads a private key from PEM text: RSA (PKCS#1 or PKCS#8) or EC (SEC1 or PKCS#8).</summary>
    /// <param name="pem">The PEM text.</param>
    /// <param name="algorithm">The algorithm, or <see langword="null"/> for the key's natural one.</param>
    /// <param name="keyId">The key id, or <see langword="null"/> for the JWK thumbprint.</param>
    /// <returns>The key.</returns>
    /// <exception cref="SigningKeyException">The PEM holds no usable private key or several, or the key is refused.</exception>
    public static TokenSigningKey FromPem(string pem, string? algorithm = null, string? keyId = null)
    {
        ArgumentNullException.ThrowIfNull(pem);
        return new TokenSigningKey(PemKeyReader.Read(pem), algorithm, keyId);
    }

    /// <summary>Loads a private key from a PEM file (a regular file of at most 1 MiB): RSA (PKCS#1 or PKCS#8) or EC (SEC1 or PKCS#8).</summary>
    /// <param name="path">The file.</param>
    /// <param name="algorithm">The algorithm, or <see langword="null"/> for the key's natural one.</param>
    /// <param name="keyId">The key id, or <see langword="null"/> for the JWK thumbprint.</param>
    /// <returns>The key.</returns>
    /// <exception cref="SigningKeyException">The file is missing, not a regular file, larger than 1 MiB or unreadable, holds no usable private key or several, or the key is refused.</exception>
    public static TokenSigningKey FromPemFile(string path, string? algorithm = null, string? keyId = null) =>
        FromPem(ReadText(path, "key file"), algorithm, keyId);

    /// <summary>Loads a private key from JWK JSON (RFC 7517): <c>kty</c> RSA, EC or oct; <c>alg</c> and <c>kid</c> are used when present.</summary>
    /// <remarks>
    /// Refused besides weak keys: JSON that is not well-formed or names a member twice, a JWK set (<c>keys</c>), a key
    /// marked <c>use</c> other than <c>sig</c> or whose <c>key_ops</c> lacks <c>sign</c>, an RSA key without its CRT
    /// parameters or with <c>oth</c> (multi-prime), which the platform cannot import.
    /// </remarks>
    /// <param name="json">The JWK JSON.</param>
    /// <param name="algorithm">The algorithm, or <see langword="null"/> for the JWK's <c>alg</c>, else the key's natural one.</param>
    /// <returns>The key.</returns>
    /// <exception cref="SigningKeyException">The JSON is not a private JWK, or the key is refused.</exception>
    public static TokenSigningKey FromJwk(string json, string? algorithm = null)
    {
        ArgumentNullException.ThrowIfNull(json);
        var (key, jwkAlgorithm, kid) = JwkImport.Read(json);
        if (algorithm is not null && jwkAlgorithm is not null && !string.Equals(algorithm, jwkAlgorithm, StringComparison.Ordinal))
        {
            throw new SigningKeyException($"The JWK declares alg {SigningKeyRules.Quote(jwkAlgorithm)} but {SigningKeyRules.Quote(algorithm)} was requested.");
        }

        return new TokenSigningKey(key, algorithm ?? jwkAlgorithm, kid);
    }

    /// <summary>Loads a private key from a JWK file (a regular file of at most 1 MiB).</summary>
    /// <param name="path">The file.</param>
    /// <param name="algorithm">The algorithm, or <see langword="null"/> for the JWK's <c>alg</c>, else the key's natural one.</param>
    /// <returns>The key.</returns>
    /// <exception cref="SigningKeyException">The file is missing, not a regular file, larger than 1 MiB or unreadable, is not a private JWK, or the key is refused.</exception>
    public static TokenSigningKey FromJwkFile(string path, string? algorithm = null) => FromJwk(ReadText(path, "key file"), algorithm);

    /// <summary>Loads a private key from a file (a regular file of at most 1 MiB), PEM or JWK by its content.</summary>
    /// <param name="path">The file.</param>
    /// <param name="algorithm">The algorithm, or <see langword="null"/> for the key's own or natural one.</param>
    /// <param name="keyId">The key id, or <see langword="null"/> for the JWK's, else the JWK thumbprint.</param>
    /// <returns>The key.</returns>
    /// <exception cref="SigningKeyException">The file is missing, not a regular file, larger than 1 MiB or unreadable, holds no usable private key or several, or the key is refused.</exception>
    public static TokenSigningKey FromFile(string path, string? algorithm = null, string? keyId = null)
    {
        var text = ReadText(path, "key file");
        if (text.AsSpan().TrimStart() is ['{', ..])
        {
            var key = FromJwk(text, algorithm);
            return keyId is null || keyId == key.KeyId ? key : key.WithKeyId(keyId);
        }

        return text.Contains("-----BEGIN ", StringComparison.Ordinal)
            ? FromPem(text, algorithm, keyId)
            : throw new SigningKeyException($"The key file {BoundedFile.Describe(path)} holds neither PEM ('-----BEGIN ...') nor a JWK (a JSON object).");
    }

    /// <summary>Uses the private key of an X.509 certificate (RSA or EC).</summary>
    /// <param name="certificate">The certificate, with its private key.</param>
    /// <param name="algorithm">The algorithm, or <see langword="null"/> for the key's natural one.</param>
    /// <param name="keyId">The key id, or <see langword="null"/> for the JWK thumbprint.</param>
    /// <returns>The key.</returns>
    /// <remarks>
    /// The certificate is refused when it is expired or not valid yet (now, when the key is loaded), when it has a key
    /// usage extension without digitalSignature, and when it is a CA certificate (basicConstraints cA): partners that
    /// check the certificate of a signer refuse such a one.
    /// </remarks>
    /// <exception cref="SigningKeyException">The certificate has no private key or is refused, or the key is refused.</exception>
    public static TokenSigningKey FromCertificate(X509Certificate2 certificate, string? algorithm = null, string? keyId = null)
    {
        ArgumentNullException.ThrowIfNull(certificate);
        SecurityKey key = certificate.GetRSAPrivateKey() is { } rsa
            ? new RsaSecurityKey(rsa)
            : certificate.GetECDsaPrivateKey() is { } ec
                ? new ECDsaSecurityKey(ec)
                : throw new SigningKeyException("The certificate has no RSA or EC private key; a public-only key cannot sign.");
        SigningKeyRules.CheckCertificate(certificate);
        return new TokenSigningKey(key, algorithm, keyId) { CertificateNotAfter = new DateTimeOffset(certificate.NotAfter.ToUniversalTime()) };
    }

    /// <summary>Loads the private key of a PKCS#12 (PFX) file (a regular file of at most 1 MiB).</summary>
    /// <param name="path">The file.</param>
    /// <param name="password">The password, or <see langword="null"/>.</param>
    /// <param name="algorithm">The algorithm, or <see langword="null"/> for the key's natural one.</param>
    /// <param name="keyId">The key id, or <see langword="null"/> for the JWK thumbprint.</param>
    /// <returns>The key.</returns>
    /// <remarks>The file must hold exactly one certificate with a private key; several are refused as ambiguous.</remarks>
    /// <exception cref="SigningKeyException">The file cannot be read or opened, has no private key or several, or the certificate or key is refused.</exception>
    public static TokenSigningKey FromPfxFile(string path, string? password, string? algorithm = null, string? keyId = null)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        var bytes = ReadBytes(path, "PKCS#12 file");
        X509Certificate2Collection certificates;
        try
        {
            var flags = OperatingSystem.IsMacOS() ? X509KeyStorageFlags.DefaultKeySet : X509KeyStorageFlags.EphemeralKeySet;
#if NET9_0_OR_GREATER
            certificates = X509CertificateLoader.LoadPkcs12Collection(bytes, password, flags);
#else
            // Note: .NET 8's Import also reads DER, PEM and PKCS#7 certificates; like the .NET 9+ loader above, only
            // PKCS#12 is opened here.
            if (X509Certificate2.GetCertContentType(bytes) != X509ContentType.Pkcs12)
            {
                throw new SigningKeyException($"The PKCS#12 file {BoundedFile.Describe(path)} could not be opened: not a PKCS#12 file.");
            }

            certificates = new X509Certificate2Collection();
            certificates.Import(bytes, password, flags);
#endif
        }
        catch (CryptographicException ex)
        {
            throw new SigningKeyException($"The PKCS#12 file {BoundedFile.Describe(path)} could not be opened ({ex.GetType().Name}): wrong password, or not a PKCS#12 file.");
        }
        finally
        {
            CryptographicOperations.ZeroMemory(bytes);
        }

        try
        {
            var withKey = certificates.Where(static c => c.HasPrivateKey).ToArray();
            return withKey.Length switch
            {
                0 => throw new SigningKeyException($"The PKCS#12 file {BoundedFile.Describe(path)} holds no certificate with a private key; a public-only certificate cannot sign."),
                1 => FromCertificate(withKey[0], algorithm, keyId),
                _ => throw new SigningKeyException($"The PKCS#12 file {BoundedFile.Describe(path)} holds {withKey.Length} certificates with private keys; which one signs would be a guess, so it is refused. Export one key with its certificate (and chain)."),
            };
        }
        finally
        {
            foreach (var certificate in certificates)
            {
                certificate.Dispose();
            }
        }
    }

    /// <summary>Loads the private key that goes with a PEM certificate (the certificate and key may be in one file or two; each a regular file of at most 1 MiB).</summary>
    /// <param name="certificatePath">The PEM certificate file.</param>
    /// <param name="keyPath">The PEM private key file, or <see langword="null"/> when it is in <paramref name="certificatePath"/>.</param>
    /// <param name="algorithm">The algorithm, or <see langword="null"/> for the key's natural one.</param>
    /// <param name="keyId">The key id, or <see langword="null"/> for the JWK thumbprint.</param>
    /// <returns>The key.</returns>
    /// <remarks>The key file must hold one private key; several are refused as ambiguous.</remarks>
    /// <exception cref="SigningKeyException">The files cannot be read, the key does not match the certificate, the key file holds several keys, or the certificate or key is refused.</exception>
    public static TokenSigningKey FromPemCertificate(string certificatePath, string? keyPath = null, string? algorithm = null, string? keyId = null)
    {
        ArgumentException.ThrowIfNullOrEmpty(certificatePath);
        var certificatePem = ReadText(certificatePath, "certificate file");
        var keyPem = keyPath is null ? certificatePem : ReadText(keyPath, "key file");
        PemKeyReader.RequireAtMostOnePrivateKey(keyPem);
        X509Certificate2 certificate;
        try
        {
            certificate = X509Certificate2.CreateFromPem(certificatePem, keyPem);
        }
        catch (Exception ex) when (ex is CryptographicException or ArgumentException)
        {
            throw new SigningKeyException($"The PEM certificate {BoundedFile.Describe(certificatePath)} and its key could not be loaded ({ex.GetType().Name}): the key is missing, encrypted or not valid PEM, or does not match the certificate.");
        }

        using (certificate)
        {
            return FromCertificate(certificate, algorithm, keyId);
        }
    }

    private static string ReadText(string path, string what)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        return BoundedFile.TryReadText(path, out var text, out var failure)
            ? text
            : throw new SigningKeyException($"The {what} {BoundedFile.Describe(path)} {failure}.");
    }

    private static byte[] ReadBytes(string path, string what) =>
        BoundedFile.TryRead(path, out var bytes, out var failure)
            ? bytes
            : throw new SigningKeyException($"The {what} {BoundedFile.Describe(path)} {failure}.");

    /// <summary>The same key under another key id, keeping what it knows of its certificate.</summary>
    internal TokenSigningKey WithKeyId(string keyId) => new(Key, Algorithm, keyId) { CertificateNotAfter = CertificateNotAfter };
}
