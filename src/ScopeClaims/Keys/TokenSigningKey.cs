using System;
using System.Linq;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Threading;
using Microsoft.IdentityModel.Tokens;
using ScopeClaims.Internal;

namespace ScopeClaims;

/// <summary>
/// A private signing key with its algorithm and key id, checked for strength when it is made.
/// </summary>
/// <remarks>
/// <para>
/// Refused with a <see cref="SigningKeyException"/>: an algorithm outside <see cref="TokenSigningAlgorithms"/>,
/// RSA under 2048 bits or with a public exponent that is not odd, above 2^16 and below 2^256 (FIPS 186-5), an EC curve
/// that does not match the algorithm (ES256 needs P-256, ES384 P-384, ES512 P-521), an HMAC key shorter than its hash
/// (RFC 7518 §3.2) or obviously not random (one byte repeated, a fixed step, a repeated block), any public-only key,
/// and a key whose private half does not match its public half (checked by signing once).
/// </para>
/// <para>
/// Without an explicit key id, the key id of an RSA or EC key is its RFC 7638 JWK thumbprint, so it is stable across
/// restarts. The key id of an HMAC key is derived one-way from the secret (HMAC-SHA256 over a fixed label, 128 bits), never
/// a hash of the secret, which for a long secret would be the effective HMAC key itself.
/// </para>
/// <para>
/// No exception thrown while loading a key quotes key material, a password or a file's content, at any depth: the
/// platform's exceptions, which may, are never kept as inner exceptions; their type is named in the message instead.
/// </para>
/// </remarks>
public sealed class TokenSigningKey
{
    private readonly JsonWebKey? _publicJwk;
    private readonly byte[]? _secret;
    private readonly IncrementalHash?[]? _hmacPool;
    private readonly HashAlgorithmName _hashName;

    /// <summary>Initializes a new instance of the <see cref="TokenSigningKey"/> class.</summary>
    /// <param name="key">An <see cref="RsaSecurityKey"/>, <see cref="ECDsaSecurityKey"/>, <see cref="SymmetricSecurityKey"/> or <see cref="X509SecurityKey"/> holding a private key.</param>
    /// <param name="algorithm">The JWS algorithm, or <see langword="null"/> to use the key's natural one (RS256, ES256/384/512 by curve, HS256).</param>
    /// <param name="keyId">The key id, or <see langword="null"/> for <paramref name="key"/>'s own, else the JWK thumbprint (RSA, EC) or an id derived one-way from the secret (HMAC).</param>
    /// <exception cref="SigningKeyException">The key or algorithm is refused.</exception>
    public TokenSigningKey(SecurityKey key, string? algorithm = null, string? keyId = null)
    {
        ArgumentNullException.ThrowIfNull(key);
        Key = SigningKeyRules.Normalize(key);
        Algorithm = algorithm ?? SigningKeyRules.DefaultAlgorithm(Key);
        SigningKeyRules.Check(Key, Algorithm);
        _publicJwk = JwkExport.ToPublicJwk(Key, Algorithm);
        KeyId = keyId ?? NonEmpty(key.KeyId) ?? (Key is SymmetricSecurityKey hmac
            ? SigningKeyRules.HmacKeyId(hmac.Key)
            : Base64UrlEncoder.Encode(JwkExport.ToPublicJwk(Key, Algorithm)!.ComputeJwkThumbprint()));
        Key.KeyId = KeyId;
        if (_publicJwk is not null)
        {
            _publicJwk.Kid = KeyId;
        }

        Credentials = new SigningCredentials(Key, Algorithm);
        _hashName = HashFor(Algorithm);
        _secret = (Key as SymmetricSecurityKey)?.Key;
        _hmacPool = _secret is null ? null : new IncrementalHash?[Math.Max(4, Environment.ProcessorCount * 2)];
        MaxSignatureSize = Key switch
        {
            RsaSecurityKey rsa => (rsa.Rsa.KeySize + 7) / 8,
            ECDsaSecurityKey ec => 2 * ((ec.ECDsa.KeySize + 7) / 8),
            _ => 64,
        };
    }

    /// <summary>Gets the key.</summary>
    public SecurityKey Key { get; }

    /// <summary>Gets the JWS algorithm this key signs with.</summary>
    public string Algorithm { get; }

    /// <summary>Gets the key id written to the <c>kid</c> header.</summary>
    public string KeyId { get; }

    /// <summary>Gets a value indicating whether this is an HMAC key, which never appears in a public JWKS.</summary>
    public bool IsSymmetric => Key is SymmetricSecurityKey;

    /// <summary>Gets the signing credentials for this key.</summary>
    public SigningCredentials Credentials { get; }

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
            return keyId is null || keyId == key.KeyId ? key : new TokenSigningKey(key.Key, key.Algorithm, keyId);
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
        return new TokenSigningKey(key, algorithm, keyId);
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

    /// <summary>Returns the public JWK of this key (<c>kty</c>, <c>use</c>, <c>alg</c>, <c>kid</c> and public parameters only), or <see langword="null"/> for an HMAC key.</summary>
    /// <returns>A new <see cref="JsonWebKey"/> with no private parameter.</returns>
    public JsonWebKey? ToPublicJsonWebKey() => _publicJwk is null ? null : JwkExport.Clone(_publicJwk);

    /// <summary>Exports this key, <em>including its private parameters</em>, as JWK JSON. Store the result as a secret.</summary>
    /// <returns>The private JWK JSON.</returns>
    public string ExportPrivateJwk() => JwkExport.WritePrivateJwk(Key, Algorithm, KeyId);

    /// <summary>Gets the largest signature this key produces, in bytes.</summary>
    internal int MaxSignatureSize { get; }

    /// <summary>
    /// Signs the JWS signing input with the platform's primitives: HMAC through a small per-key pool of reusable
    /// <see cref="IncrementalHash"/> instances, RSA (PKCS#1 v1.5 or PSS) and ECDSA (IEEE P1363 r||s, as JWS requires)
    /// through the key's own <see cref="RSA"/> or <see cref="ECDsa"/>.
    /// </summary>
    internal int Sign(ReadOnlySpan<byte> input, Span<byte> signature)
    {
        int written;
        switch (Key)
        {
            case SymmetricSecurityKey:
                var hmac = RentHmac();
                hmac.AppendData(input);
                written = hmac.GetHashAndReset(signature);
                ReturnHmac(hmac);
                return written;
            case RsaSecurityKey rsa:
                var padding = Algorithm[0] == 'P' ? RSASignaturePadding.Pss : RSASignaturePadding.Pkcs1;
                return rsa.Rsa.TrySignData(input, signature, _hashName, padding, out written)
                    ? written
                    : throw new CryptographicException($"Signing with {Algorithm} failed.");
            case ECDsaSecurityKey ec:
                return ec.ECDsa.TrySignData(input, signature, _hashName, DSASignatureFormat.IeeeP1363FixedFieldConcatenation, out written)
                    ? written
                    : throw new CryptographicException($"Signing with {Algorithm} failed.");
            default:
                throw new CryptographicException($"Keys of type {Key.GetType().Name} cannot sign.");
        }
    }

    private static HashAlgorithmName HashFor(string algorithm) => algorithm.AsSpan()[^3..] switch
    {
        "256" => HashAlgorithmName.SHA256,
        "384" => HashAlgorithmName.SHA384,
        _ => HashAlgorithmName.SHA512,
    };

    private IncrementalHash RentHmac()
    {
        var pool = _hmacPool!;
        for (var i = 0; i < pool.Length; i++)
        {
            if (Interlocked.Exchange(ref pool[i], null) is { } hmac)
            {
                return hmac;
            }
        }

        return IncrementalHash.CreateHMAC(_hashName, _secret!);
    }

    private void ReturnHmac(IncrementalHash hmac)
    {
        var pool = _hmacPool!;
        for (var i = 0; i < pool.Length; i++)
        {
            if (Interlocked.CompareExchange(ref pool[i], hmac, null) is null)
            {
                return;
            }
        }

        hmac.Dispose();
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

    private static string? NonEmpty(string? value) => string.IsNullOrEmpty(value) ? null : value;
}
