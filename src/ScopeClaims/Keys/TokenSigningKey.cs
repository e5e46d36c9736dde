using System;
using System.IO;
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
/// RSA under 2048 bits, an EC curve that does not match the algorithm (ES256 needs P-256, ES384 P-384, ES512 P-521),
/// an HMAC key shorter than its hash (RFC 7518 §3.2), and any public-only key.
/// </para>
/// <para>
/// Without an explicit key id, the key id is the RFC 7638 JWK thumbprint of the key, so it is stable across restarts.
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
    /// <param name="keyId">The key id, or <see langword="null"/> for <paramref name="key"/>'s own, else the JWK thumbprint.</param>
    /// <exception cref="SigningKeyException">The key or algorithm is refused.</exception>
    public TokenSigningKey(SecurityKey key, string? algorithm = null, string? keyId = null)
    {
        ArgumentNullException.ThrowIfNull(key);
        Key = SigningKeyRules.Normalize(key);
        Algorithm = algorithm ?? SigningKeyRules.DefaultAlgorithm(Key);
        SigningKeyRules.Check(Key, Algorithm);
        _publicJwk = JwkExport.ToPublicJwk(Key, Algorithm);
        KeyId = keyId ?? NonEmpty(key.KeyId) ?? Base64UrlEncoder.Encode(JwkExport.ToThumbprintJwk(Key).ComputeJwkThumbprint());
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
    /// <param name="keyId">The key id, or <see langword="null"/> for the JWK thumbprint.</param>
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
    /// <param name="keyId">The key id, or <see langword="null"/> for the JWK thumbprint.</param>
    /// <returns>The key.</returns>
    /// <exception cref="SigningKeyException">The secret is too short or the algorithm is not an HMAC one.</exception>
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
    /// <exception cref="SigningKeyException">The PEM holds no usable private key, or the key is refused.</exception>
    public static TokenSigningKey FromPem(string pem, string? algorithm = null, string? keyId = null)
    {
        ArgumentNullException.ThrowIfNull(pem);
        return new TokenSigningKey(PemKeyReader.Read(pem), algorithm, keyId);
    }

    /// <summary>Loads a private key from a PEM file: RSA (PKCS#1 or PKCS#8) or EC (SEC1 or PKCS#8).</summary>
    /// <param name="path">The file.</param>
    /// <param name="algorithm">The algorithm, or <see langword="null"/> for the key's natural one.</param>
    /// <param name="keyId">The key id, or <see langword="null"/> for the JWK thumbprint.</param>
    /// <returns>The key.</returns>
    /// <exception cref="SigningKeyException">The file cannot be read, holds no usable private key, or the key is refused.</exception>
    public static TokenSigningKey FromPemFile(string path, string? algorithm = null, string? keyId = null) =>
        FromPem(ReadFile(path), algorithm, keyId);

    /// <summary>Loads a private key from JWK JSON (RFC 7517): <c>kty</c> RSA, EC or oct; <c>alg</c> and <c>kid</c> are used when present.</summary>
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
            throw new SigningKeyException($"The JWK declares alg '{jwkAlgorithm}' but '{algorithm}' was requested.");
        }

        return new TokenSigningKey(key, algorithm ?? jwkAlgorithm, kid);
    }

    /// <summary>Loads a private key from a JWK file.</summary>
    /// <param name="path">The file.</param>
    /// <param name="algorithm">The algorithm, or <see langword="null"/> for the JWK's <c>alg</c>, else the key's natural one.</param>
    /// <returns>The key.</returns>
    /// <exception cref="SigningKeyException">The file cannot be read, is not a private JWK, or the key is refused.</exception>
    public static TokenSigningKey FromJwkFile(string path, string? algorithm = null) => FromJwk(ReadFile(path), algorithm);

    /// <summary>Loads a private key from a file, PEM or JWK by its content.</summary>
    /// <param name="path">The file.</param>
    /// <param name="algorithm">The algorithm, or <see langword="null"/> for the key's own or natural one.</param>
    /// <param name="keyId">The key id, or <see langword="null"/> for the JWK's, else the JWK thumbprint.</param>
    /// <returns>The key.</returns>
    /// <exception cref="SigningKeyException">The file cannot be read, holds no usable private key, or the key is refused.</exception>
    public static TokenSigningKey FromFile(string path, string? algorithm = null, string? keyId = null)
    {
        var text = ReadFile(path);
        if (text.TrimStart().StartsWith('{'))
        {
            var key = FromJwk(text, algorithm);
            return keyId is null || keyId == key.KeyId ? key : new TokenSigningKey(key.Key, key.Algorithm, keyId);
        }

        return FromPem(text, algorithm, keyId);
    }

    /// <summary>Uses the private key of an X.509 certificate (RSA or EC).</summary>
    /// <param name="certificate">The certificate, with its private key.</param>
    /// <param name="algorithm">The algorithm, or <see langword="null"/> for the key's natural one.</param>
    /// <param name="keyId">The key id, or <see langword="null"/> for the JWK thumbprint.</param>
    /// <returns>The key.</returns>
    /// <exception cref="SigningKeyException">The certificate has no private key, or the key is refused.</exception>
    public static TokenSigningKey FromCertificate(X509Certificate2 certificate, string? algorithm = null, string? keyId = null)
    {
        ArgumentNullException.ThrowIfNull(certificate);
        SecurityKey key = certificate.GetRSAPrivateKey() is { } rsa
            ? new RsaSecurityKey(rsa)
            : certificate.GetECDsaPrivateKey() is { } ec
                ? new ECDsaSecurityKey(ec)
                : throw new SigningKeyException("The certificate has no RSA or EC private key; a public-only key cannot sign.");
        return new TokenSigningKey(key, algorithm, keyId);
    }

    /// <summary>Loads the private key of a PKCS#12 (PFX) file.</summary>
    /// <param name="path">The file.</param>
    /// <param name="password">The password, or <see langword="null"/>.</param>
    /// <param name="algorithm">The algorithm, or <see langword="null"/> for the key's natural one.</param>
    /// <param name="keyId">The key id, or <see langword="null"/> for the JWK thumbprint.</param>
    /// <returns>The key.</returns>
    /// <exception cref="SigningKeyException">The file cannot be read or opened, has no private key, or the key is refused.</exception>
    public static TokenSigningKey FromPfxFile(string path, string? password, string? algorithm = null, string? keyId = null)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        X509Certificate2 certificate;
        try
        {
#if NET9_0_OR_GREATER
            certificate = X509CertificateLoader.LoadPkcs12FromFile(path, password, X509KeyStorageFlags.EphemeralKeySet);
#else
            certificate = new X509Certificate2(path, password, X509KeyStorageFlags.EphemeralKeySet);
#endif
        }
        catch (Exception ex) when (ex is CryptographicException or IOException or UnauthorizedAccessException)
        {
            throw new SigningKeyException($"The PKCS#12 file '{path}' could not be opened: wrong password, or not a PKCS#12 file.", ex);
        }

        using (certificate)
        {
            return FromCertificate(certificate, algorithm, keyId);
        }
    }

    /// <summary>Loads the private key that goes with a PEM certificate (the certificate and key may be in one file or two).</summary>
    /// <param name="certificatePath">The PEM certificate file.</param>
    /// <param name="keyPath">The PEM private key file, or <see langword="null"/> when it is in <paramref name="certificatePath"/>.</param>
    /// <param name="algorithm">The algorithm, or <see langword="null"/> for the key's natural one.</param>
    /// <param name="keyId">The key id, or <see langword="null"/> for the JWK thumbprint.</param>
    /// <returns>The key.</returns>
    /// <exception cref="SigningKeyException">The files cannot be read, the key does not match the certificate, or the key is refused.</exception>
    public static TokenSigningKey FromPemCertificate(string certificatePath, string? keyPath = null, string? algorithm = null, string? keyId = null)
    {
        ArgumentException.ThrowIfNullOrEmpty(certificatePath);
        try
        {
            using var certificate = X509Certificate2.CreateFromPemFile(certificatePath, keyPath);
            return FromCertificate(certificate, algorithm, keyId);
        }
        catch (Exception ex) when (ex is CryptographicException or IOException or UnauthorizedAccessException or ArgumentException)
        {
            throw new SigningKeyException($"The PEM certificate '{certificatePath}' and its key could not be loaded: the files are missing, unreadable, or the key does not match the certificate.", ex);
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

    private static string ReadFile(string path)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        try
        {
            return File.ReadAllText(path);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            throw new SigningKeyException($"The key file '{path}' could not be read: {ex.GetType().Name}.", ex);
        }
    }

    private static string? NonEmpty(string? value) => string.IsNullOrEmpty(value) ? null : value;
}
