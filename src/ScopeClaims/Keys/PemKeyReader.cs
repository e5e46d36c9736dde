using System;
using System.Security.Cryptography;
using Microsoft.IdentityModel.Tokens;

namespace ScopeClaims.Internal;

/// <summary>
/// Reads the one private key of PEM text with the platform's PEM importers. Text holding several private keys is
/// refused: which one signs would be a guess. Certificates and public keys beside the private key are ignored.
/// </summary>
internal static class PemKeyReader
{
    public static SecurityKey Read(string pem)
    {
        var (count, label, block, sawPublic) = Scan(pem);
        if (count > 1)
        {
            throw Ambiguous(count);
        }

        if (count == 0)
        {
            throw new SigningKeyException(sawPublic
                ? "The PEM holds only a public key or certificate; signing needs the private key (RSA PRIVATE KEY, EC PRIVATE KEY or PRIVATE KEY)."
                : "No PEM private key was found (expected RSA PRIVATE KEY, EC PRIVATE KEY or PRIVATE KEY).");
        }

        var text = pem.AsSpan(block);
        return label switch
        {
            "RSA PRIVATE KEY" => TryImport(text, RSA.Create, static rsa => new RsaSecurityKey(rsa)) ?? throw new SigningKeyException("The PEM RSA private key could not be read: its body is not a valid PKCS#1 key."),
            "EC PRIVATE KEY" => TryImport(text, ECDsa.Create, static ec => new ECDsaSecurityKey(ec)) ?? throw new SigningKeyException("The PEM EC private key could not be read: its body is not a valid SEC1 key."),

            // Note: PKCS#8 names its algorithm inside; try RSA, then EC.
            "PRIVATE KEY" => TryImport(text, RSA.Create, static rsa => new RsaSecurityKey(rsa))
                ?? TryImport(text, ECDsa.Create, static ec => new ECDsaSecurityKey(ec))
                ?? throw new SigningKeyException("The PEM PKCS#8 private key is neither an RSA nor a NIST EC key, or could not be read."),
            "ENCRYPTED PRIVATE KEY" => throw new SigningKeyException("The PEM holds an encrypted private key; decrypt it first (for example with 'openssl pkcs8'), or load it from a PKCS#12 file with its password."),
            _ => throw new SigningKeyException($"The PEM private key of type {SigningKeyRules.Quote(label)} is not supported; use RSA PRIVATE KEY, EC PRIVATE KEY or PRIVATE KEY (PKCS#8)."),
        };
    }

    /// <summary>Refuses PEM text with more than one private key, such as the key file of a certificate.</summary>
    public static void RequireAtMostOnePrivateKey(string pem)
    {
        var count = Scan(pem).Count;
        if (count > 1)
        {
            throw Ambiguous(count);
        }
    }

    private static (int Count, string? Label, Range Block, bool SawPublic) Scan(string pem)
    {
        var remaining = pem.AsSpan();
        var offset = 0;
        var count = 0;
        string? label = null;
        Range block = default;
        var sawPublic = false;
        while (PemEncoding.TryFind(remaining, out var fields))
        {
            var current = remaining[fields.Label];
            if (current.EndsWith("PRIVATE KEY", StringComparison.Ordinal))
            {
                if (count++ == 0)
                {
                    label = current.ToString();
                    block = new Range(offset + fields.Location.Start.Value, offset + fields.Location.End.Value);
                }
            }
            else if (current is "PUBLIC KEY" or "RSA PUBLIC KEY" or "CERTIFICATE")
            {
                sawPublic = true;
            }

            offset += fields.Location.End.Value;
            remaining = remaining[fields.Location.End..];
        }

        return (count, label, block, sawPublic);
    }

    private static SigningKeyException Ambiguous(int count) =>
        new($"The PEM holds {count} private keys; which one signs would be a guess, so it is refused. Keep one private key per file (certificates may stay beside it).");

    private static SecurityKey? TryImport<T>(ReadOnlySpan<char> block, Func<T> create, Func<T, SecurityKey> wrap)
        where T : AsymmetricAlgorithm
    {
        var algorithm = create();
        try
        {
            algorithm.ImportFromPem(block);
            return wrap(algorithm);
        }
        catch (Exception ex) when (ex is CryptographicException or ArgumentException)
        {
            algorithm.Dispose();
            return null;
        }
    }
}
