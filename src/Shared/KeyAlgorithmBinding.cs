using System;
using System.Globalization;
using System.Runtime.CompilerServices;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Microsoft.IdentityModel.Tokens;

namespace ScopeClaims.Internal;

/// <summary>
/// Says whether a key may verify a signature made with an algorithm (RFC 8725 §3.1 and §3.2: a key is bound to one
/// kind of algorithm, and the algorithm's strength to the key's). Compiled into each package that verifies tokens
/// (linked source, so no package exposes it).
/// </summary>
/// <remarks>
/// <para>
/// Rules: the algorithm is RS, PS, ES or HS with 256, 384 or 512; a <see cref="JsonWebKey"/> with <c>alg</c> verifies
/// that algorithm only, one with <c>use</c> verifies only when it is <c>sig</c>, one with <c>key_ops</c> only when they
/// name <c>verify</c>; RS and PS need an RSA key of at least <see cref="MinRsaBits"/> bits (RFC 7518 §3.3, §3.5); ES256
/// needs P-256, ES384 P-384 and ES512 P-521, exactly (RFC 7518 §3.4); HS needs a symmetric key at least as long as its
/// hash (RFC 7518 §3.2). A JWK whose <c>x5c</c> certificate holds a key of another type, size or curve than its own
/// parameters is refused, since Microsoft.IdentityModel verifies with the certificate's key.
/// </para>
/// <para>
/// Meant for <see cref="TokenValidationParameters.IssuerSigningKeyValidator"/>: Microsoft.IdentityModel 8 calls it after
/// the signature verified, with the key that verified it and the token (a <c>JsonWebToken</c> from
/// <c>JsonWebTokenHandler</c>, whose <c>Alg</c> is the header's). Setting the delegate replaces Microsoft.IdentityModel's
/// own key check (the validity period of an <see cref="X509SecurityKey"/>'s certificate); a caller that relies on it
/// checks the certificate's dates itself.
/// <code>
/// parameters.ValidateIssuerSigningKey = true;
/// parameters.IssuerSigningKeyValidator = (key, token, _) =>
///     KeyAlgorithmBinding.Check(key, (token as JsonWebToken)?.Alg) is not { } problem
///         ? true
///         : throw new SecurityTokenInvalidSigningKeyException(problem) { SigningKey = key };
/// </code>
/// </para>
/// <para>Reasons name the algorithm, key type, size and curve; never key material.</para>
/// </remarks>
internal static class KeyAlgorithmBinding
{
    /// <summary>The smallest RSA modulus accepted, in bits (RFC 7518 §3.3).</summary>
    public const int MinRsaBits = 2048;

    // Note: facts are cached per immutable source (a modulus string, a certificate string, an RSA or ECDsa object), so a
    // validation reads a key's size once, not per token.
    private static readonly ConditionalWeakTable<object, Facts> s_cache = new();

    private enum Family
    {
        Unknown,
        Rsa,
        Ec,
        Symmetric,
    }

    /// <summary>Checks that <paramref name="key"/> may verify a signature made with <paramref name="alg"/>.</summary>
    /// <param name="key">The key, as Microsoft.IdentityModel hands it over.</param>
    /// <param name="alg">The token's <c>alg</c> header.</param>
    /// <returns><see langword="null"/> when allowed; otherwise why not, without key material.</returns>
    public static string? Check(SecurityKey? key, string? alg)
    {
        if (key is null)
        {
            return "no key verified the signature";
        }

        var (family, hashBits) = alg switch
        {
            "RS256" or "PS256" => (Family.Rsa, 256),
            "RS384" or "PS384" => (Family.Rsa, 384),
            "RS512" or "PS512" => (Family.Rsa, 512),
            "ES256" => (Family.Ec, 256),
            "ES384" => (Family.Ec, 384),
            "ES512" => (Family.Ec, 512),
            "HS256" => (Family.Symmetric, 256),
            "HS384" => (Family.Symmetric, 384),
            "HS512" => (Family.Symmetric, 512),
            _ => (Family.Unknown, 0),
        };
        if (family == Family.Unknown)
        {
            return $"the alg {Shown(alg)} is not one of RS, PS, ES or HS with 256, 384 or 512";
        }

        if (key is JsonWebKey jwk)
        {
            if (!string.IsNullOrEmpty(jwk.Alg) && !string.Equals(jwk.Alg, alg, StringComparison.Ordinal))
            {
                return $"the key's JWK \"alg\" is {Shown(jwk.Alg)}, so it verifies that algorithm only, not {alg} (RFC 8725 §3.1)";
            }

            if (!string.IsNullOrEmpty(jwk.Use) && !string.Equals(jwk.Use, JsonWebKeyUseNames.Sig, StringComparison.Ordinal))
            {
                return $"the key's JWK \"use\" is {Shown(jwk.Use)}, not \"sig\" (RFC 7517 §4.2)";
            }

            if (jwk.KeyOps.Count > 0 && !jwk.KeyOps.Contains("verify"))
            {
                return "the key's JWK \"key_ops\" do not name \"verify\" (RFC 7517 §4.3)";
            }
        }

        var facts = FactsOf(key);
        if (facts.Problem is { } problem)
        {
            return problem;
        }

        if (facts.Family != family)
        {
            return $"{alg} needs {Name(family)}; this is {Name(facts.Family)} (RFC 8725 §3.1)";
        }

        switch (family)
        {
            case Family.Rsa when facts.Size < MinRsaBits:
                return string.Create(CultureInfo.InvariantCulture, $"the RSA key has {facts.Size} bits; {alg} needs at least {MinRsaBits} (RFC 7518 §3.3)");
            case Family.Ec:
                var wanted = hashBits switch
                {
                    256 => "P-256",
                    384 => "P-384",
                    _ => "P-521",
                };
                return string.Equals(facts.Curve, wanted, StringComparison.Ordinal)
                    ? null
                    : $"{alg} needs an EC key on {wanted}; this key is on {facts.Curve ?? "a curve other than P-256, P-384 or P-521"} (RFC 7518 §3.4)";
            case Family.Symmetric when facts.Size < hashBits:
                return string.Create(CultureInfo.InvariantCulture, $"the symmetric key has {facts.Size} bits; {alg} needs at least {hashBits} (RFC 7518 §3.2)");
            default:
                return null;
        }
    }

    private static Facts FactsOf(SecurityKey key)
    {
        try
        {
            return key switch
            {
                JsonWebKey jwk => OfJwk(jwk),
                RsaSecurityKey { Rsa: { } rsa } => s_cache.GetValue(rsa, static r => OfRsa(((RSA)r).ExportParameters(false).Modulus)),
                RsaSecurityKey rsa => OfRsa(rsa.Parameters.Modulus),
                ECDsaSecurityKey { ECDsa: { } ecdsa } => s_cache.GetValue(ecdsa, static e => OfEc(((ECDsa)e).ExportParameters(false).Curve)),
                X509SecurityKey { Certificate: { } certificate } => s_cache.GetValue(certificate, static c => OfCertificate((X509Certificate2)c)),
                // Note: Key returns a copy of the secret on every call; a SymmetricSecurityKey's KeySize is the length of
                // the secret it was made with, read without copying. A derived type may override either, so it is read as before.
                SymmetricSecurityKey symmetric => new Facts(Family.Symmetric, symmetric.GetType() == typeof(SymmetricSecurityKey) ? symmetric.KeySize : symmetric.Key.Length * 8, null, null),
                _ => Facts.Refused($"keys of type {key.GetType().Name} are not supported"),
            };
        }
        catch (CryptographicException)
        {
            return Facts.Refused("the key's public parameters cannot be read");
        }
    }

    private static Facts OfJwk(JsonWebKey jwk)
    {
        Facts own;
        switch (jwk.Kty)
        {
            case JsonWebAlgorithmsKeyTypes.RSA when !string.IsNullOrEmpty(jwk.N):
                own = s_cache.GetValue(jwk.N, static n => Decode((string)n) is { } modulus ? OfRsa(modulus) : Facts.Refused("the JWK's \"n\" is not base64url"));
                break;
            case JsonWebAlgorithmsKeyTypes.EllipticCurve when !string.IsNullOrEmpty(jwk.Crv):
                var curve = jwk.Crv is "P-256" or "P-384" or "P-521" ? jwk.Crv : null;
                own = new Facts(Family.Ec, 0, curve, null);
                break;
            case JsonWebAlgorithmsKeyTypes.Octet when !string.IsNullOrEmpty(jwk.K):
                own = Decode(jwk.K) is { } secret ? new Facts(Family.Symmetric, secret.Length * 8, null, null) : Facts.Refused("the JWK's \"k\" is not base64url");
                break;
            default:
                own = jwk.X5c.Count > 0 ? new Facts(Family.Unknown, 0, null, null) : Facts.Refused($"the JWK (kty {Shown(jwk.Kty)}) has no public parameters of an RSA, EC or symmetric key");
                break;
        }

        if (own.Problem is not null || jwk.X5c.Count == 0)
        {
            return own;
        }

        // Note: Microsoft.IdentityModel verifies with the first x5c certificate's key when there is one (RFC 7517 §4.7
        // says it must be the same key); what binds is the key that verified.
        var certificate = s_cache.GetValue(jwk.X5c[0], static text => OfCertificateText((string)text));
        if (certificate.Problem is not null)
        {
            return certificate;
        }

        return own.Family == Family.Unknown || own.Equals(certificate)
            ? certificate
            : Facts.Refused("the JWK's first \"x5c\" certificate holds another key than its own parameters (RFC 7517 §4.7)");
    }

    private static Facts OfCertificateText(string base64)
    {
        try
        {
#if NET9_0_OR_GREATER
            using var certificate = X509CertificateLoader.LoadCertificate(Convert.FromBase64String(base64));
#else
            // Note: .NET 8's constructor also opens a PKCS#12 file; x5c holds a certificate only (RFC 7517 §4.7), as the
            // .NET 9+ loader above requires.
            var der = Convert.FromBase64String(base64);
            if (X509Certificate2.GetCertContentType(der) != X509ContentType.Cert)
            {
                return Facts.Refused("the JWK's first \"x5c\" certificate cannot be read");
            }

            using var certificate = new X509Certificate2(der);
#endif
            return OfCertificate(certificate);
        }
        catch (Exception ex) when (ex is FormatException or CryptographicException)
        {
            return Facts.Refused("the JWK's first \"x5c\" certificate cannot be read");
        }
    }

    private static Facts OfCertificate(X509Certificate2 certificate)
    {
        using (var rsa = certificate.GetRSAPublicKey())
        {
            if (rsa is not null)
            {
                return OfRsa(rsa.ExportParameters(false).Modulus);
            }
        }

        using var ecdsa = certificate.GetECDsaPublicKey();
        return ecdsa is not null ? OfEc(ecdsa.ExportParameters(false).Curve) : Facts.Refused("the certificate holds neither an RSA nor an EC key");
    }

    private static Facts OfRsa(byte[]? modulus)
    {
        var value = (modulus ?? []).AsSpan().TrimStart((byte)0);
        var bits = value.IsEmpty ? 0 : ((value.Length - 1) * 8) + (32 - System.Numerics.BitOperations.LeadingZeroCount((uint)value[0]));
        return new Facts(Family.Rsa, bits, null, null);
    }

    private static Facts OfEc(ECCurve curve)
    {
        var name = (curve.Oid?.Value, curve.Oid?.FriendlyName) switch
        {
            ("1.2.840.10045.3.1.7", _) or (_, "nistP256" or "ECDSA_P256" or "secp256r1") => "P-256",
            ("1.3.132.0.34", _) or (_, "nistP384" or "ECDSA_P384" or "secp384r1") => "P-384",
            ("1.3.132.0.35", _) or (_, "nistP521" or "ECDSA_P521" or "secp521r1") => "P-521",
            _ => null,
        };
        return new Facts(Family.Ec, 0, curve.IsNamed ? name : null, null);
    }

    private static byte[]? Decode(string base64Url)
    {
        try
        {
            return Base64UrlEncoder.DecodeBytes(base64Url);
        }
        catch (FormatException)
        {
            return null;
        }
    }

    private static string Name(Family family) => family switch
    {
        Family.Rsa => "an RSA key",
        Family.Ec => "an EC key",
        Family.Symmetric => "a symmetric key",
        _ => "a key of unknown type",
    };

    // Note: alg, use and kty values are header or JWK text, not key material; they are shortened, never trusted.
    private static string Shown(string? value)
    {
        if (value is null)
        {
            return "(none)";
        }

        var shown = value.Length <= 32 ? value : value[..32];
        Span<char> printable = stackalloc char[shown.Length];
        for (var i = 0; i < shown.Length; i++)
        {
            printable[i] = shown[i] is >= ' ' and <= '~' and not '"' and not '\\' ? shown[i] : '?';
        }

        return "\"" + printable.ToString() + (value.Length > 32 ? "...\"" : "\"");
    }

    private sealed record Facts(Family Family, int Size, string? Curve, string? Problem)
    {
        public static Facts Refused(string problem) => new(Family.Unknown, 0, null, problem);
    }
}
