using System;
using System.Security.Cryptography;
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
public sealed partial class TokenSigningKey
{
    private readonly JsonWebKey? _publicJwk;
    private readonly byte[]? _secret;
    private readonly IncrementalHash?[]? _hmacPool;
    private readonly HashAlgorithmName _hashName;
    private readonly TokenSigner? _signer;

    /// <summary>Initializes a new instance of the <see cref="TokenSigningKey"/> class.</summary>
    /// <param name="key">An <see cref="RsaSecurityKey"/>, <see cref="ECDsaSecurityKey"/>, <see cref="SymmetricSecurityKey"/> or <see cref="X509SecurityKey"/> holding a private key.</param>
    /// <param name="algorithm">The JWS algorithm, or <see langword="null"/> to use the key's natural one (RS256, ES256/384/512 by curve, HS256).</param>
    /// <param name="keyId">The key id, or <see langword="null"/> for <paramref name="key"/>'s own, else the JWK thumbprint (RSA, EC) or an id derived one-way from the secret (HMAC).</param>
    /// <exception cref="SigningKeyException">The key or algorithm is refused.</exception>
    public TokenSigningKey(SecurityKey key, string? algorithm = null, string? keyId = null)
    {
        ArgumentNullException.ThrowIfNull(key);
        if (key is X509SecurityKey { Certificate: { } certificate })
        {
            CertificateNotAfter = new DateTimeOffset(certificate.NotAfter.ToUniversalTime());
        }

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

    /// <summary>Makes the key of a <see cref="TokenSigner"/>: the private half stays where the signer keeps it.</summary>
    private TokenSigningKey(TokenSigner signer, string? keyId)
    {
        _signer = signer;
        Key = signer.PublicKey;
        Algorithm = signer.Algorithm;
        var jwk = JwkExport.ToPublicJwk(Key, Algorithm) ?? throw new SigningKeyException("The signer's public key cannot be written as a JWK.");
        KeyId = keyId ?? Base64UrlEncoder.Encode(jwk.ComputeJwkThumbprint());
        Key.KeyId = KeyId;
        jwk.Kid = KeyId;
        _publicJwk = jwk;
        _hashName = HashFor(Algorithm);
        MaxSignatureSize = signer.SignatureSize;
        Credentials = new SigningCredentials(Key, Algorithm) { CryptoProviderFactory = new CryptoProviderFactory { CustomCryptoProvider = new SignerCryptoProvider(this) } };
    }

    /// <summary>Gets the key: for a key made by <see cref="FromSigner"/>, its public half only.</summary>
    public SecurityKey Key { get; }

    /// <summary>Gets the JWS algorithm this key signs with.</summary>
    public string Algorithm { get; }

    /// <summary>Gets the key id written to the <c>kid</c> header.</summary>
    public string KeyId { get; }

    /// <summary>Gets when the certificate this key was loaded from expires (its <c>NotAfter</c>), or <see langword="null"/> for a key that did not come from a certificate.</summary>
    /// <value>The end of the certificate's validity period, in UTC; health checks and the <c>scopeclaims.signing_key.time_until_expiry</c> gauge report it.</value>
    public DateTimeOffset? CertificateNotAfter { get; private init; }

    /// <summary>Gets a value indicating whether this is an HMAC key, which never appears in a public JWKS.</summary>
    public bool IsSymmetric => Key is SymmetricSecurityKey;

    /// <summary>Gets the signing credentials for this key, for Microsoft.IdentityModel's token handlers.</summary>
    /// <value>For a key made by <see cref="FromSigner"/>, credentials that sign through the signer; a handler using them signs synchronously, so they fail with an <see cref="InvalidOperationException"/> for a signer that signs only asynchronously.</value>
    public SigningCredentials Credentials { get; }

    /// <summary>Returns the public JWK of this key (<c>kty</c>, <c>use</c>, <c>alg</c>, <c>kid</c> and public parameters only), or <see langword="null"/> for an HMAC key.</summary>
    /// <returns>A new <see cref="JsonWebKey"/> with no private parameter.</returns>
    public JsonWebKey? ToPublicJsonWebKey() => _publicJwk is null ? null : JwkExport.Clone(_publicJwk);

    /// <summary>Exports this key, <em>including its private parameters</em>, as JWK JSON. Store the result as a secret.</summary>
    /// <returns>The private JWK JSON.</returns>
    /// <exception cref="InvalidOperationException">The key is held by a <see cref="TokenSigner"/>, which never gives out its private half.</exception>
    public string ExportPrivateJwk() => _signer is null
        ? JwkExport.WritePrivateJwk(Key, Algorithm, KeyId)
        : throw new InvalidOperationException($"The private key of kid '{KeyId}' is held by {_signer.Description}; it cannot be exported.");

    /// <summary>Gets the signer that holds this key's private half, or <see langword="null"/> for a key held in memory.</summary>
    /// <value>Set by <see cref="FromSigner"/>; such a key has only its public half in <see cref="Key"/>.</value>
    public TokenSigner? Signer => _signer;

    /// <summary>Gets a value indicating whether this key signs without waiting: a key in memory, or a signer whose <see cref="TokenSigner.CanSignSynchronously"/> is <see langword="true"/>.</summary>
    /// <value>When <see langword="false"/>, only asynchronous issuing (<c>IssueAsync</c>) signs with this key.</value>
    public bool CanSignSynchronously => _signer is null || _signer.CanSignSynchronously;

    private static string? NonEmpty(string? value) => string.IsNullOrEmpty(value) ? null : value;
}
