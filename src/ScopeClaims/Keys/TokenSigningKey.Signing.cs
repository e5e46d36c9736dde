using System;
using System.Security.Cryptography;
using System.Threading;
using Microsoft.IdentityModel.Tokens;

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
}
