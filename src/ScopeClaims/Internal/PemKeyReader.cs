using System;
using System.Security.Cryptography;
using Microsoft.IdentityModel.Tokens;

namespace ScopeClaims.Internal;

/// <summary>Reads the first private key of PEM text with the platform's PEM importers.</summary>
internal static class PemKeyReader
{
    public static SecurityKey Read(string pem)
    {
        var remaining = pem.AsSpan();
        var sawPublic = false;
        while (PemEncoding.TryFind(remaining, out var fields))
        {
            var label = remaining[fields.Label];
            var block = remaining[fields.Location];
            remaining = remaining[fields.Location.End..];
            switch (label)
            {
                case "RSA PRIVATE KEY":
                    return ImportRsa(block);
                case "EC PRIVATE KEY":
                    return ImportEc(block);
                case "PRIVATE KEY":
                    return ImportPkcs8(block);
                case "ENCRYPTED PRIVATE KEY":
                    throw new SigningKeyException("The PEM holds an encrypted private key; decrypt it first (for example with 'openssl pkcs8'), or load it from a PKCS#12 file with its password.");
                case "PUBLIC KEY" or "RSA PUBLIC KEY" or "CERTIFICATE":
                    sawPublic = true;
                    break;
            }
        }

        throw new SigningKeyException(sawPublic
            ? "The PEM holds only a public key or certificate; signing needs the private key (RSA PRIVATE KEY, EC PRIVATE KEY or PRIVATE KEY)."
            : "No PEM private key was found (expected RSA PRIVATE KEY, EC PRIVATE KEY or PRIVATE KEY).");
    }

    private static SecurityKey ImportRsa(ReadOnlySpan<char> block) =>
        TryImport(block, RSA.Create, static rsa => new RsaSecurityKey(rsa)) ?? throw new SigningKeyException("The PEM RSA private key could not be read.");

    private static SecurityKey ImportEc(ReadOnlySpan<char> block) =>
        TryImport(block, ECDsa.Create, static ec => new ECDsaSecurityKey(ec)) ?? throw new SigningKeyException("The PEM EC private key could not be read.");

    // Note: PKCS#8 names its algorithm inside; try RSA, then EC.
    private static SecurityKey ImportPkcs8(ReadOnlySpan<char> block) =>
        TryImport(block, RSA.Create, static rsa => new RsaSecurityKey(rsa))
        ?? TryImport(block, ECDsa.Create, static ec => new ECDsaSecurityKey(ec))
        ?? throw new SigningKeyException("The PEM PKCS#8 private key is neither an RSA nor a NIST EC key, or could not be read.");

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
