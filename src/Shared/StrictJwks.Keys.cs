using System;
using System.Globalization;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using System.Text.Json;
using Microsoft.IdentityModel.Tokens;

namespace ScopeClaims.Internal;

// One key of the set: its type's parameters made into a platform key, and its x5c/x5t checked against them.
internal static partial class StrictJwks
{
    private static Result ReadKey(JsonElement element, int index, PrivateKeys privateKeys, out JsonWebKey? key)
    {
        key = null;
        foreach (var member in s_privateMembers)
        {
            if (element.TryGetProperty(member, out _))
            {
                // Note: the member name is reported, never its value.
                return privateKeys == PrivateKeys.Skip
                    ? default
                    : Result.Fail(Error.PrivateMember, Where(index, $"has the private member \"{member}\"; a JWK set for verification holds public keys only"), index, member);
            }
        }

        if (!TryString(element, "kty", index, required: true, out var kty, out var failure)
            || !TryString(element, "kid", index, required: false, out var kid, out failure)
            || !TryString(element, "alg", index, required: false, out var alg, out failure)
            || !TryString(element, "use", index, required: false, out var use, out failure)
            || !TryString(element, "x5t", index, required: false, out var x5t, out failure)
            || !TryString(element, "x5t#S256", index, required: false, out var x5tS256, out failure)
            || !TryStrings(element, "key_ops", index, out var keyOps, out failure)
            || !TryStrings(element, "x5c", index, out var x5c, out failure))
        {
            return failure;
        }

        if (kty is not (JsonWebAlgorithmsKeyTypes.RSA or JsonWebAlgorithmsKeyTypes.EllipticCurve))
        {
            // Note: oct without "k", OKP and unknown types cannot verify RS, PS or ES signatures; they are left out.
            return default;
        }

        var jwk = new JsonWebKey { Kty = kty, Kid = kid, Alg = alg, Use = use, X5t = x5t, X5tS256 = x5tS256 };
        foreach (var op in keyOps ?? [])
        {
            jwk.KeyOps.Add(op);
        }

        failure = kty == JsonWebAlgorithmsKeyTypes.RSA ? ReadRsa(element, index, jwk) : ReadEc(element, index, jwk);
        if (failure.Error != Error.None)
        {
            return failure;
        }

        if (x5c is { Length: > 0 })
        {
            failure = CheckCertificate(x5c, index, jwk);
            if (failure.Error != Error.None)
            {
                return failure;
            }

            foreach (var certificate in x5c)
            {
                jwk.X5c.Add(certificate);
            }
        }
        else if (x5c is not null)
        {
            return Result.Fail(Error.InvalidKey, Where(index, "has an empty \"x5c\" array (RFC 7517 §4.7 needs at least one certificate)"), index, "x5c");
        }

        var forSignatures = (use is null || use == JsonWebKeyUseNames.Sig) && (keyOps is null || Array.IndexOf(keyOps, "verify") >= 0);
        key = forSignatures ? jwk : null;
        return default;
    }

    private static Result ReadRsa(JsonElement element, int index, JsonWebKey jwk)
    {
        if (!TryBase64UrlMember(element, "n", index, out var n, out var modulus, out var failure)
            || !TryBase64UrlMember(element, "e", index, out var e, out var exponent, out failure))
        {
            return failure;
        }

        // Note: a zero, even or unit exponent makes no RSA signature key (e = 1 lets anyone forge).
        var e1 = exponent.AsSpan().TrimStart((byte)0);
        if (e1.IsEmpty || (e1[^1] & 1) == 0 || (e1.Length == 1 && e1[0] < 3) || modulus.AsSpan().TrimStart((byte)0).IsEmpty)
        {
            return Result.Fail(Error.InvalidKey, Where(index, "has RSA parameters that make no key (\"e\" must be odd and at least 3, \"n\" non-empty)"), index, "e");
        }

        try
        {
            using var rsa = RSA.Create(new RSAParameters { Modulus = modulus, Exponent = exponent });
        }
        catch (CryptographicException)
        {
            return Result.Fail(Error.InvalidKey, Where(index, "has RSA parameters \"n\" and \"e\" that make no RSA key"), index, "n");
        }

        jwk.N = n;
        jwk.E = e;
        return default;
    }

    private static Result ReadEc(JsonElement element, int index, JsonWebKey jwk)
    {
        if (!TryString(element, "crv", index, required: true, out var crv, out var failure)
            || !TryBase64UrlMember(element, "x", index, out var x, out var xBytes, out failure)
            || !TryBase64UrlMember(element, "y", index, out var y, out var yBytes, out failure))
        {
            return failure;
        }

        var (curve, size) = crv switch
        {
            "P-256" => (ECCurve.NamedCurves.nistP256, 32),
            "P-384" => (ECCurve.NamedCurves.nistP384, 48),
            "P-521" => (ECCurve.NamedCurves.nistP521, 66),
            _ => (default(ECCurve), 0),
        };
        if (size == 0)
        {
            return Result.Fail(Error.InvalidKey, Where(index, "names a curve other than P-256, P-384 or P-521 in \"crv\""), index, "crv");
        }

        // RFC 7518 §6.2.1.2 and §6.2.1.3: each coordinate is the full size of the curve's field.
        if (xBytes.Length != size || yBytes.Length != size)
        {
            return Result.Fail(Error.InvalidKey, Where(index, string.Create(CultureInfo.InvariantCulture, $"has \"x\" or \"y\" of another length than the {size} bytes of {crv} (RFC 7518 §6.2.1.2)")), index, xBytes.Length != size ? "x" : "y");
        }

        try
        {
            using var ecdsa = ECDsa.Create(new ECParameters { Curve = curve, Q = new ECPoint { X = xBytes, Y = yBytes } });
        }
        catch (CryptographicException)
        {
            return Result.Fail(Error.InvalidKey, Where(index, $"has \"x\" and \"y\" that are not a point on {crv}"), index, "x");
        }

        jwk.Crv = crv;
        jwk.X = x;
        jwk.Y = y;
        return default;
    }

    private static Result CheckCertificate(string[] x5c, int index, JsonWebKey jwk)
    {
        byte[] der;
        try
        {
            der = Convert.FromBase64String(x5c[0]);
        }
        catch (FormatException)
        {
            return Result.Fail(Error.InvalidKey, Where(index, "has an \"x5c\" certificate that is not base64 (RFC 7517 §4.7)"), index, "x5c");
        }

        try
        {
#if NET9_0_OR_GREATER
            using var certificate = X509CertificateLoader.LoadCertificate(der);
#else
            // Note: .NET 8's constructor also opens a PKCS#12 file; x5c holds a certificate only (RFC 7517 §4.7), as the
            // .NET 9+ loader above requires.
            if (X509Certificate2.GetCertContentType(der) != X509ContentType.Cert)
            {
                return Result.Fail(Error.InvalidKey, Where(index, "has a first \"x5c\" certificate that cannot be read as a DER X.509 certificate"), index, "x5c");
            }

            using var certificate = new X509Certificate2(der);
#endif
            // Note: SHA-1 only recomputes the thumbprint RFC 7517 §4.8 defines, to compare; nothing is trusted from it.
#pragma warning disable CA5350
            if (jwk.X5t is { } x5t && !FixedEquals(x5t, Base64UrlEncoder.Encode(SHA1.HashData(der))))
#pragma warning restore CA5350
            {
                return Result.Fail(Error.CertificateMismatch, Where(index, "has an \"x5t\" that is not the SHA-1 thumbprint of its first \"x5c\" certificate (RFC 7517 §4.8)"), index, "x5t");
            }

            if (jwk.X5tS256 is { } x5tS256 && !FixedEquals(x5tS256, Base64UrlEncoder.Encode(SHA256.HashData(der))))
            {
                return Result.Fail(Error.CertificateMismatch, Where(index, "has an \"x5t#S256\" that is not the SHA-256 thumbprint of its first \"x5c\" certificate (RFC 7517 §4.9)"), index, "x5t#S256");
            }

            if (!SameKey(certificate, jwk))
            {
                return Result.Fail(Error.CertificateMismatch, Where(index, "has a first \"x5c\" certificate whose public key is not the key of its own parameters (RFC 7517 §4.7)"), index, "x5c");
            }
        }
        catch (CryptographicException)
        {
            return Result.Fail(Error.InvalidKey, Where(index, "has a first \"x5c\" certificate that cannot be read as a DER X.509 certificate"), index, "x5c");
        }

        return default;
    }

    private static bool SameKey(X509Certificate2 certificate, JsonWebKey jwk)
    {
        if (jwk.Kty == JsonWebAlgorithmsKeyTypes.RSA)
        {
            using var rsa = certificate.GetRSAPublicKey();
            if (rsa is null)
            {
                return false;
            }

            var parameters = rsa.ExportParameters(false);
            return Unsigned(parameters.Modulus).SequenceEqual(Unsigned(Base64UrlEncoder.DecodeBytes(jwk.N)))
                && Unsigned(parameters.Exponent).SequenceEqual(Unsigned(Base64UrlEncoder.DecodeBytes(jwk.E)));
        }

        using var ecdsa = certificate.GetECDsaPublicKey();
        if (ecdsa is null)
        {
            return false;
        }

        var ec = ecdsa.ExportParameters(false);
        return CurveName(ec.Curve) == jwk.Crv
            && ec.Q.X.AsSpan().SequenceEqual(Base64UrlEncoder.DecodeBytes(jwk.X))
            && ec.Q.Y.AsSpan().SequenceEqual(Base64UrlEncoder.DecodeBytes(jwk.Y));
    }

    private static string? CurveName(ECCurve curve) => (curve.Oid?.Value, curve.Oid?.FriendlyName) switch
    {
        ("1.2.840.10045.3.1.7", _) or (_, "nistP256" or "ECDSA_P256" or "secp256r1") => "P-256",
        ("1.3.132.0.34", _) or (_, "nistP384" or "ECDSA_P384" or "secp384r1") => "P-384",
        ("1.3.132.0.35", _) or (_, "nistP521" or "ECDSA_P521" or "secp521r1") => "P-521",
        _ => null,
    };

    private static ReadOnlySpan<byte> Unsigned(byte[]? value) => (value ?? []).AsSpan().TrimStart((byte)0);

    private static bool FixedEquals(string a, string b) =>
        CryptographicOperations.FixedTimeEquals(Encoding.ASCII.GetBytes(a), Encoding.ASCII.GetBytes(b));
}
