using System;
using System.Security.Cryptography;
using System.Text.Json;
using System.Text.Unicode;
using System.Threading;
using System.Threading.Tasks;
using Microsoft.IdentityModel.Tokens;
using ScopeClaims.Internal;

namespace ScopeClaims;

// Signing for the issuer's fast path, with the platform's primitives and a small per-key pool of HMAC instances.
public sealed partial class TokenSigningKey
{
    /// <summary>Gets the largest signature this key produces, in bytes.</summary>
    internal int MaxSignatureSize { get; }

    /// <summary>
    /// Signs the JWS signing input with the platform's primitives: HMAC through a small per-key pool of reusable
    /// <see cref="IncrementalHash"/> instances, RSA (PKCS#1 v1.5 or PSS) and ECDSA (IEEE P1363 r||s, as JWS requires)
    /// through the key's own <see cref="RSA"/> or <see cref="ECDsa"/>.
    /// </summary>
    internal int Sign(ReadOnlySpan<byte> input, Span<byte> signature)
    {
        if (_signer is not null)
        {
            return SignWithSigner(input, signature);
        }

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

    /// <summary>Wraps a key held elsewhere (an HSM, a key service); see <see cref="TokenSigner"/>.</summary>
    /// <param name="signer">The signer.</param>
    /// <param name="keyId">The key id, or <see langword="null"/> for the RFC 7638 thumbprint of the signer's public key.</param>
    /// <returns>A key whose <see cref="Key"/> is the public half and whose signatures come from <paramref name="signer"/>.</returns>
    public static TokenSigningKey FromSigner(TokenSigner signer, string? keyId = null)
    {
        ArgumentNullException.ThrowIfNull(signer);
        if (keyId is not null && string.IsNullOrWhiteSpace(keyId))
        {
            throw new ArgumentException("A key id cannot be empty or blank.", nameof(keyId));
        }

        return new TokenSigningKey(signer, keyId);
    }

    /// <summary>
    /// Signs a JWT of the caller's own (a client assertion, a request object) with this key, through its
    /// <see cref="Signer"/> when it has one: the header is <c>alg</c>, <c>kid</c> and <c>typ</c>, the payload the given JSON.
    /// </summary>
    /// <param name="utf8Payload">The payload: one JSON object in UTF-8, with no member named twice.</param>
    /// <param name="tokenType">The <c>typ</c> header, e.g. <c>JWT</c>.</param>
    /// <param name="cancellationToken">Cancels a remote signature.</param>
    /// <returns>The compact JWS.</returns>
    /// <exception cref="ArgumentException">The payload is not valid UTF-8, not one JSON object, names a member twice or nests deeper than 64 levels; or <paramref name="tokenType"/> is empty.</exception>
    public async ValueTask<string> CreateJwsAsync(ReadOnlyMemory<byte> utf8Payload, string tokenType, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(tokenType);
        var visitor = default(NoProperties);
        if (!Utf8.IsValid(utf8Payload.Span) || JsonGuard.Check(utf8Payload.Span, 64, ref visitor) != JsonGuard.Verdict.Ok)
        {
            throw new ArgumentException("The payload must be one JSON object in UTF-8, with no member named twice and at most 64 levels deep.", nameof(utf8Payload));
        }

        var input = FastTokenWriter.RentSigningInput(FastTokenWriter.EncodeHeader(this, tokenType), utf8Payload.Span, MaxSignatureSize, out var length);
        try
        {
            var signatureLength = await SignAsync(input.AsMemory(0, length), input.AsMemory(length, MaxSignatureSize), cancellationToken).ConfigureAwait(false);
            return FastTokenWriter.Compose(input, length, signatureLength);
        }
        finally
        {
            FastTokenWriter.ReturnSigningInput(input);
        }
    }

    /// <summary>Signs asynchronously: a key in memory or a signer that signs synchronously signs inline, without a task; a remote signer is awaited.</summary>
    /// <returns>The length of the signature written to <paramref name="signature"/>.</returns>
    internal ValueTask<int> SignAsync(ReadOnlyMemory<byte> input, Memory<byte> signature, CancellationToken cancellationToken)
    {
        if (CanSignSynchronously)
        {
            return new ValueTask<int>(Sign(input.Span, signature.Span));
        }

        return SignRemotelyAsync(input, signature, cancellationToken);
    }

    private async ValueTask<int> SignRemotelyAsync(ReadOnlyMemory<byte> input, Memory<byte> signature, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        var signed = await _signer!.SignAsync(input, cancellationToken).ConfigureAwait(false);
        if (signed is null)
        {
            throw new CryptographicException($"{_signer.Description} returned no signature for kid '{KeyId}'; nothing was issued.");
        }

        CheckLength(signed.Length);
        signed.CopyTo(signature);
        return signed.Length;
    }

    private int SignWithSigner(ReadOnlySpan<byte> input, Span<byte> signature)
    {
        var signer = _signer!;
        if (!signer.CanSignSynchronously)
        {
            throw new InvalidOperationException($"The signing key of kid '{KeyId}' is held by {signer.Description}, which signs only asynchronously; issue with IssueAsync (nothing was issued).");
        }

        if (!signer.TrySign(input, signature, out var written))
        {
            throw new CryptographicException($"{signer.Description} could not sign with {Algorithm}: the signature does not fit in {signature.Length} bytes.");
        }

        CheckLength(written);
        return written;
    }

    /// <summary>A JWS signature of an RSA key is as long as the modulus and of an EC key twice the field: anything else is refused, never published.</summary>
    private void CheckLength(int length)
    {
        if (length != MaxSignatureSize)
        {
            throw new CryptographicException(
                $"{_signer!.Description} returned a signature of {length} bytes for kid '{KeyId}'; {Algorithm} signatures of this key are {MaxSignatureSize} bytes (ECDSA in JWS form, r || s); nothing was issued.");
        }
    }

    private struct NoProperties : IJsonPropertyVisitor
    {
        public readonly void Property(ReadOnlySpan<byte> name, in Utf8JsonReader reader)
        {
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
}
