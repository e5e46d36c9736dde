using System;
using System.Formats.Asn1;
using System.Security.Cryptography;
using System.Threading;
using System.Threading.Tasks;
using Microsoft.IdentityModel.Tokens;
using ScopeClaims.Internal;

namespace ScopeClaims;

/// <summary>
/// A private key that ScopeClaims never holds: it lives in a hardware security module, a cloud key service (AWS KMS,
/// Azure Key Vault, Google Cloud KMS) or anywhere else that signs on request. Wrap one in a
/// <see cref="TokenSigningKey"/> with <see cref="TokenSigningKey.FromSigner"/>, and every ScopeClaims token signed
/// with that key goes through it: the issuer, the converter, client assertions and key rotation.
/// </summary>
/// <remarks>
/// <para>
/// A signer states its algorithm and public key when it is made; the public key is checked as a local key is (RSA of at
/// least 2,048 bits with a sound public exponent for RS/PS, exactly P-256/384/521 for ES256/384/512; HMAC is not
/// offered: a shared secret cannot be published, so a remote HMAC key has no JWKS), and only a public copy of it is
/// kept. The signer receives the JWS signing input (<c>BASE64URL(header) '.' BASE64URL(payload)</c>), not a digest, and
/// returns the signature in JWS form: RSASSA-PKCS1-v1_5 or RSASSA-PSS bytes as long as the modulus, and ECDSA as the
/// fixed-length <c>r || s</c> of RFC 7518 §3.4 (a service that answers in DER, such as AWS KMS, converts with
/// <see cref="EcdsaSignatureFromDer"/>). A signature of any other length is refused and nothing is issued.
/// </para>
/// <para>
/// A remote service signs asynchronously: override <see cref="SignAsync"/> only, and issue with
/// <c>IScopeTokenIssuer.IssueAsync</c>; the synchronous <c>Issue</c> then refuses this key with an
/// <see cref="InvalidOperationException"/> instead of blocking a thread on the network. A local module (a PKCS#11
/// session) also overrides <see cref="TrySign"/> and returns <see langword="true"/> from
/// <see cref="CanSignSynchronously"/>, so both paths sign without a task.
/// </para>
/// <para>
/// Exceptions thrown by a signer reach the caller of <c>Issue</c>/<c>IssueAsync</c> as they are; a signer must not put
/// a PIN, a credential or key material in them.
/// </para>
/// </remarks>
/// <example>
/// <code>
/// sealed class KmsSigner(IAmazonKeyManagementService kms, string keyId, ECDsa publicKey) : TokenSigner(publicKey, "ES256")
/// {
///     public override async ValueTask&lt;byte[]&gt; SignAsync(ReadOnlyMemory&lt;byte&gt; input, CancellationToken cancellationToken)
///     {
///         var answer = await kms.SignAsync(new SignRequest { KeyId = keyId, Message = new MemoryStream(input.ToArray()), MessageType = MessageType.RAW, SigningAlgorithm = SigningAlgorithmSpec.ECDSA_SHA_256 }, cancellationToken);
///         return EcdsaSignatureFromDer(answer.Signature.ToArray());
///     }
/// }
/// </code>
/// </example>
public abstract class TokenSigner
{
    /// <summary>Initializes a new instance of the <see cref="TokenSigner"/> class.</summary>
    /// <param name="publicKey">The public half of the key: an <see cref="RSA"/> or <see cref="ECDsa"/> instance; only its public parameters are read, once.</param>
    /// <param name="algorithm">The JWS algorithm the key signs with: RS256/384/512, PS256/384/512 or ES256/384/512.</param>
    /// <exception cref="SigningKeyException">The algorithm is not an asymmetric one ScopeClaims signs with, or the public key does not fit it (type, size, curve, exponent).</exception>
    protected TokenSigner(AsymmetricAlgorithm publicKey, string algorithm)
    {
        ArgumentNullException.ThrowIfNull(publicKey);
        ArgumentNullException.ThrowIfNull(algorithm);
        if (!TokenSigningAlgorithms.IsSupported(algorithm))
        {
            throw SigningKeyRules.Unsupported(algorithm);
        }

        if (algorithm[0] == 'H')
        {
            throw new SigningKeyException($"A TokenSigner signs with RS, PS or ES algorithms; {algorithm} uses a shared secret, which no JWKS can publish. Use TokenSigningKey.FromSymmetricKey for an HMAC key.");
        }

        PublicKey = PublicCopy(publicKey);
        Algorithm = algorithm;
        SigningKeyRules.CheckPublic(PublicKey, algorithm);
        SignatureSize = PublicKey switch
        {
            RsaSecurityKey rsa => (rsa.Rsa.KeySize + 7) / 8,
            ECDsaSecurityKey ec => 2 * ((ec.ECDsa.KeySize + 7) / 8),
            _ => throw new SigningKeyException("A TokenSigner needs an RSA or EC public key."),
        };
    }

    /// <summary>Gets the JWS algorithm this signer signs with.</summary>
    public string Algorithm { get; }

    /// <summary>Gets a public-only copy of the key, as published in the JWKS and used to verify this signer's tokens.</summary>
    public SecurityKey PublicKey { get; }

    /// <summary>Gets the length of every signature this signer makes, in bytes: the RSA modulus, or twice the EC field size.</summary>
    public int SignatureSize { get; }

    /// <summary>Gets a value indicating whether <see cref="TrySign"/> signs without waiting on a remote service; the default is <see langword="false"/>.</summary>
    /// <remarks>When <see langword="false"/>, the synchronous <c>Issue</c> refuses this key and only <c>IssueAsync</c> signs with it.</remarks>
    public virtual bool CanSignSynchronously => false;

    /// <summary>Gets a short description of where the key is, for messages and logs (never a PIN or credential); the default is the type's name.</summary>
    public virtual string Description => GetType().Name;

    /// <summary>Signs a JWS signing input, synchronously; only called when <see cref="CanSignSynchronously"/> is <see langword="true"/>.</summary>
    /// <param name="input">The JWS signing input.</param>
    /// <param name="destination">Where the signature goes; at least <see cref="SignatureSize"/> bytes.</param>
    /// <param name="bytesWritten">The length of the signature.</param>
    /// <returns><see langword="true"/> when signed; <see langword="false"/> when <paramref name="destination"/> is too short.</returns>
    /// <exception cref="NotSupportedException">The signer signs only asynchronously (the default).</exception>
    public virtual bool TrySign(ReadOnlySpan<byte> input, Span<byte> destination, out int bytesWritten) =>
        throw new NotSupportedException($"{Description} signs only asynchronously; issue with IssueAsync.");

    /// <summary>Signs a JWS signing input.</summary>
    /// <param name="input">The JWS signing input; valid until the returned task completes.</param>
    /// <param name="cancellationToken">Cancels the signature.</param>
    /// <returns>The signature, in JWS form (see the class remarks).</returns>
    public abstract ValueTask<byte[]> SignAsync(ReadOnlyMemory<byte> input, CancellationToken cancellationToken);

    /// <summary>
    /// Converts an ECDSA signature in DER (the ASN.1 <c>SEQUENCE { r INTEGER, s INTEGER }</c> of RFC 3279, which AWS KMS,
    /// OpenSSL and Windows CNG's DER mode return) to the fixed-length <c>r || s</c> form JWS uses, for this signer's curve.
    /// </summary>
    /// <param name="der">The DER signature.</param>
    /// <returns>The JWS signature, <see cref="SignatureSize"/> bytes.</returns>
    /// <exception cref="CryptographicException">The input is not a DER ECDSA signature for this curve.</exception>
    protected byte[] EcdsaSignatureFromDer(ReadOnlySpan<byte> der)
    {
        if (PublicKey is not ECDsaSecurityKey)
        {
            throw new InvalidOperationException($"{Algorithm} is not an ECDSA algorithm; only ECDSA signatures come in DER.");
        }

        var field = SignatureSize / 2;
        var signature = new byte[SignatureSize];
        try
        {
            var reader = new AsnReader(der.ToArray(), AsnEncodingRules.DER);
            var sequence = reader.ReadSequence();
            reader.ThrowIfNotEmpty();
            CopyInteger(sequence.ReadIntegerBytes().Span, signature.AsSpan(0, field));
            CopyInteger(sequence.ReadIntegerBytes().Span, signature.AsSpan(field, field));
            sequence.ThrowIfNotEmpty();
        }
        catch (AsnContentException)
        {
            throw new CryptographicException($"The signature from {Description} is not a DER ECDSA signature.");
        }

        return signature;
    }

    private static void CopyInteger(ReadOnlySpan<byte> value, Span<byte> destination)
    {
        // Note: DER integers are signed big-endian; a positive value may carry one leading zero byte.
        var trimmed = value.TrimStart((byte)0);
        if ((value.Length > 0 && (value[0] & 0x80) != 0) || trimmed.Length > destination.Length)
        {
            throw new CryptographicException("The DER ECDSA signature holds an integer out of range for the curve.");
        }

        trimmed.CopyTo(destination[(destination.Length - trimmed.Length)..]);
    }

    private static SecurityKey PublicCopy(AsymmetricAlgorithm key)
    {
        // Note: only public parameters are exported, so a signer handed a full key pair still publishes and keeps nothing private.
        try
        {
            switch (key)
            {
                case RSA rsa:
                    var copy = RSA.Create();
                    copy.ImportParameters(rsa.ExportParameters(includePrivateParameters: false));
                    return new RsaSecurityKey(copy);
                case ECDsa ec:
                    var ecCopy = ECDsa.Create();
                    ecCopy.ImportParameters(ec.ExportParameters(includePrivateParameters: false));
                    return new ECDsaSecurityKey(ecCopy);
                default:
                    throw new SigningKeyException($"A TokenSigner needs an RSA or ECDsa public key, not {key.GetType().Name}.");
            }
        }
        catch (CryptographicException ex)
        {
            throw new SigningKeyException($"The signer's public key cannot be read ({ex.GetType().Name}).");
        }
    }
}
