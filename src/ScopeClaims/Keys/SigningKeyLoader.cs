using System;
using System.Collections.Generic;
using System.IO;
using System.Security.Cryptography;

namespace ScopeClaims.Internal;

/// <summary>Loads a profile's signing key from <see cref="SigningKeyOptions"/> (see <see cref="ProfileSigningKeys"/> for when).</summary>
internal static class SigningKeyLoader
{
    public static List<string> Sources(SigningKeyOptions o)
    {
        var sources = new List<string>();
        if (!string.IsNullOrWhiteSpace(o.Path))
        {
            sources.Add(nameof(o.Path));
        }

        if (!string.IsNullOrWhiteSpace(o.Pem))
        {
            sources.Add(nameof(o.Pem));
        }

        if (!string.IsNullOrWhiteSpace(o.Jwk))
        {
            sources.Add(nameof(o.Jwk));
        }

        if (!string.IsNullOrWhiteSpace(o.CertificatePath))
        {
            sources.Add(nameof(o.CertificatePath));
        }

        return sources;
    }

    /// <summary>Loads the key <paramref name="o"/> names: exactly one source.</summary>
    /// <exception cref="SigningKeyException">No source, several, or a key that cannot be loaded; no platform exception's message is kept.</exception>
    public static TokenSigningKey Load(SigningKeyOptions o)
    {
        var sources = Sources(o);
        if (sources.Count != 1)
        {
            throw new SigningKeyException(sources.Count == 0
                ? "No signing key is configured: set SigningKeys in code, or exactly one of SigningKey:Path, SigningKey:Pem, SigningKey:Jwk or SigningKey:CertificatePath."
                : $"Several signing key sources are configured ({string.Join(", ", sources)}); set exactly one.");
        }

        var source = sources[0];
        try
        {
            return Load(o, source);
        }
        catch (SigningKeyException ex)
        {
            throw new SigningKeyException($"SigningKey.{source}: {ex.Message}", ex);
        }
        catch (Exception ex) when (ex is CryptographicException or ArgumentException or FormatException or InvalidOperationException
            or NotSupportedException or IOException or UnauthorizedAccessException or OverflowException)
        {
            // Note: every factory throws SigningKeyException alone; this is the last line, so that nothing a platform
            // exception carries (a path's content, key material) ever leaves start-up. Its type is enough to report.
            throw new SigningKeyException($"SigningKey.{source}: the key could not be loaded ({ex.GetType().Name}).");
        }
    }

    private static TokenSigningKey Load(SigningKeyOptions o, string source)
    {
        switch (source)
        {
            case nameof(o.Pem):
                return TokenSigningKey.FromPem(o.Pem!, o.Algorithm, o.KeyId);
            case nameof(o.Jwk):
                var key = TokenSigningKey.FromJwk(o.Jwk!, o.Algorithm);
                return o.KeyId is null || o.KeyId == key.KeyId ? key : key.WithKeyId(o.KeyId);
            case nameof(o.Path):
                return TokenSigningKey.FromFile(o.Path!, o.Algorithm, o.KeyId);
            default:
                var certificate = o.CertificatePath!;
                var extension = System.IO.Path.GetExtension(certificate.AsSpan());
                return extension.Equals(".pfx", StringComparison.OrdinalIgnoreCase) || extension.Equals(".p12", StringComparison.OrdinalIgnoreCase)
                    ? TokenSigningKey.FromPfxFile(certificate, o.CertificatePassword, o.Algorithm, o.KeyId)
                    : TokenSigningKey.FromPemCertificate(certificate, o.CertificateKeyPath, o.Algorithm, o.KeyId);
        }
    }
}
