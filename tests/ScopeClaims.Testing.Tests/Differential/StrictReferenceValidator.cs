using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using System.Text.Json;

namespace ScopeClaims.Testing.Tests.Differential;

/// <summary>
/// A strict JWS/JWT validator written from scratch for the differential test, sharing no code with ScopeClaims or
/// Microsoft.IdentityModel: System.Text.Json for parsing (with its own duplicate-member walk), System.Security.Cryptography
/// for signatures, and the rules of RFC 7515, 7517, 7518, 7519 and 8725 read strictly.
/// </summary>
internal static class StrictReferenceValidator
{
    private static readonly string[] s_private = ["d", "p", "q", "dp", "dq", "qi", "oth", "k"];
    private static readonly UTF8Encoding s_utf8 = new(false, true);

    /// <summary>Null when the token is valid; otherwise the first rule it breaks.</summary>
    public static string? Validate(string token, string jwksJson, string? issuer, string? audience, DateTimeOffset now)
    {
        try
        {
            return Run(token, jwksJson, issuer, audience, now);
        }
        catch (RefusedException ex)
        {
            return ex.Message;
        }
        catch (Exception ex) when (ex is InvalidOperationException or FormatException or CryptographicException or IndexOutOfRangeException or KeyNotFoundException)
        {
            // Note: a member of an unexpected shape (an x5c that is not an array) is refused too.
            return "unreadable: " + ex.GetType().Name;
        }
    }

    private static string? Run(string token, string jwksJson, string? issuer, string? audience, DateTimeOffset now)
    {
        // RFC 7515 §7.1: three base64url parts.
        var parts = token.Split('.');
        Require(parts.Length == 3, "not three parts");
        var header = ParseObject(Base64Url(parts[0], "header"), "header");
        var payload = ParseObject(Base64Url(parts[1], "payload"), "payload");
        var signature = Base64Url(parts[2], "signature");
        Require(signature.Length > 0, "no signature");

        // RFC 7515 §4.1: alg (RFC 8725 §3.1: from an allowlist), crit understood or absent, string members.
        Require(header.TryGetProperty("alg", out var algElement) && algElement.ValueKind == JsonValueKind.String, "alg missing");
        var alg = algElement.GetString()!;
        Require(alg is "RS256" or "RS384" or "RS512" or "PS256" or "PS384" or "PS512" or "ES256" or "ES384" or "ES512", "alg not allowed");
        Require(!header.TryGetProperty("crit", out _), "crit not understood");
        foreach (var name in new[] { "kid", "typ", "cty" })
        {
            Require(!header.TryGetProperty(name, out var v) || v.ValueKind == JsonValueKind.String, name + " not a string");
        }

        string? kid = header.TryGetProperty("kid", out var kidElement) ? kidElement.GetString() : null;

        // RFC 7517: a public JWK set.
        var keys = ReadJwks(jwksJson);
        var candidates = keys.Where(k => Fits(k, alg, kid)).ToList();
        Require(candidates.Count > 0, "no candidate key");
        var input = Encoding.ASCII.GetBytes(parts[0] + "." + parts[1]);
        Require(candidates.Any(k => Verifies(k, alg, input, signature)), "signature does not verify");

        // RFC 7519 §4.1.
        foreach (var name in new[] { "iss", "sub", "jti" })
        {
            Require(!payload.TryGetProperty(name, out var v) || v.ValueKind == JsonValueKind.String, name + " not a string");
        }

        if (payload.TryGetProperty("aud", out var aud))
        {
            Require(aud.ValueKind == JsonValueKind.String || (aud.ValueKind == JsonValueKind.Array && aud.EnumerateArray().All(e => e.ValueKind == JsonValueKind.String)), "aud shape");
        }

        var exp = Date(payload, "exp");
        var nbf = Date(payload, "nbf");
        _ = Date(payload, "iat");
        Require(exp is not null, "exp missing");
        var current = (decimal)(now.UtcTicks - DateTimeOffset.UnixEpoch.UtcTicks) / TimeSpan.TicksPerSecond;
        Require(current < exp!.Value, "expired");
        Require(nbf is null || nbf.Value <= current, "not yet valid");

        if (issuer is not null)
        {
            Require(payload.TryGetProperty("iss", out var iss) && iss.GetString() == issuer, "iss");
        }

        if (audience is not null)
        {
            Require(payload.TryGetProperty("aud", out var a) && (a.ValueKind == JsonValueKind.String ? a.GetString() == audience : a.EnumerateArray().Any(e => e.GetString() == audience)), "aud");
        }

        return null;
    }

    private static decimal? Date(JsonElement payload, string name)
    {
        if (!payload.TryGetProperty(name, out var value))
        {
            return null;
        }

        Require(value.ValueKind == JsonValueKind.Number, name + " not a number");
        Require(value.TryGetDecimal(out var seconds), name + " out of range");
        return seconds;
    }

    private static byte[] Base64Url(string part, string what)
    {
        Require(part.All(c => c is >= 'A' and <= 'Z' or >= 'a' and <= 'z' or >= '0' and <= '9' or '-' or '_'), what + " alphabet");
        Require(part.Length % 4 != 1, what + " length");
        var base64 = part.Replace('-', '+').Replace('_', '/') + new string('=', (4 - (part.Length % 4)) % 4);
        var bytes = Convert.FromBase64String(base64);
        var canonical = Convert.ToBase64String(bytes).TrimEnd('=').Replace('+', '-').Replace('/', '_');
        Require(canonical == part, what + " not canonical");
        return bytes;
    }

    private static JsonElement ParseObject(byte[] utf8, string what)
    {
        Require(!(utf8.Length >= 3 && utf8[0] == 0xEF && utf8[1] == 0xBB && utf8[2] == 0xBF), what + " has a BOM");
        try
        {
            _ = s_utf8.GetString(utf8);
        }
        catch (DecoderFallbackException)
        {
            Refuse(what + " not UTF-8");
        }

        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(utf8, new JsonDocumentOptions { MaxDepth = 64 });
        }
        catch (JsonException)
        {
            throw new RefusedException(what + " not JSON");
        }

        using (document)
        {
            Require(document.RootElement.ValueKind == JsonValueKind.Object, what + " not an object");
            CheckNames(document.RootElement, what);
            return document.RootElement.Clone();
        }
    }

    /// <summary>Distinct member names at every depth (RFC 7515 §5.2, RFC 7519 §4), and every string valid Unicode.</summary>
    private static void CheckNames(JsonElement element, string what)
    {
        try
        {
            switch (element.ValueKind)
            {
                case JsonValueKind.Object:
                    var names = new HashSet<string>(StringComparer.Ordinal);
                    foreach (var property in element.EnumerateObject())
                    {
                        Require(names.Add(property.Name), what + " duplicate member");
                        CheckNames(property.Value, what);
                    }

                    break;
                case JsonValueKind.Array:
                    foreach (var item in element.EnumerateArray())
                    {
                        CheckNames(item, what);
                    }

                    break;
                case JsonValueKind.String:
                    _ = element.GetString();
                    break;
            }
        }
        catch (InvalidOperationException)
        {
            Refuse(what + " lone surrogate");
        }
    }

    private sealed record Key(string Kty, string? Kid, string? Alg, string? Use, string[]? KeyOps, RSAParameters? Rsa, ECParameters? Ec, string? Crv);

    private static List<Key> ReadJwks(string json)
    {
        var set = ParseObject(Encoding.UTF8.GetBytes(json), "jwks");
        Require(set.TryGetProperty("keys", out var keys) && keys.ValueKind == JsonValueKind.Array, "jwks keys");
        var result = new List<Key>();
        foreach (var jwk in keys.EnumerateArray())
        {
            Require(jwk.ValueKind == JsonValueKind.Object, "jwk not an object");
            Require(!s_private.Any(m => jwk.TryGetProperty(m, out _)), "jwk private member");
            var kty = Str(jwk, "kty");
            Require(kty is not null, "jwk kty");
            var keyOps = jwk.TryGetProperty("key_ops", out var ops) ? ops.EnumerateArray().Select(o => o.GetString()!).ToArray() : null;
            Key key;
            if (kty == "RSA")
            {
                key = new Key(kty, Str(jwk, "kid"), Str(jwk, "alg"), Str(jwk, "use"), keyOps, new RSAParameters { Modulus = B64(jwk, "n"), Exponent = B64(jwk, "e") }, null, null);
            }
            else if (kty == "EC")
            {
                var crv = Str(jwk, "crv");
                var curve = crv switch
                {
                    "P-256" => ECCurve.NamedCurves.nistP256,
                    "P-384" => ECCurve.NamedCurves.nistP384,
                    "P-521" => ECCurve.NamedCurves.nistP521,
                    _ => throw new RefusedException("jwk crv"),
                };
                var size = crv switch { "P-256" => 32, "P-384" => 48, _ => 66 };
                var x = B64(jwk, "x");
                var y = B64(jwk, "y");
                Require(x.Length == size && y.Length == size, "jwk coordinate size");
                key = new Key(kty, Str(jwk, "kid"), Str(jwk, "alg"), Str(jwk, "use"), keyOps, null, new ECParameters { Curve = curve, Q = new ECPoint { X = x, Y = y } }, crv);
            }
            else
            {
                continue;
            }

            // RFC 7517 §4.7: the first certificate holds the same key.
            if (jwk.TryGetProperty("x5c", out var x5c))
            {
                using var certificate = X509CertificateLoader.LoadCertificate(Convert.FromBase64String(x5c[0].GetString()!));
                if (key.Rsa is { } rsaParameters)
                {
                    using var rsa = certificate.GetRSAPublicKey();
                    Require(rsa is not null && rsa.ExportParameters(false).Modulus!.SequenceEqual(rsaParameters.Modulus!), "x5c other key");
                }
                else
                {
                    using var ec = certificate.GetECDsaPublicKey();
                    Require(ec is not null && ec.ExportParameters(false).Q.X!.SequenceEqual(key.Ec!.Value.Q.X!), "x5c other key");
                }
            }

            result.Add(key);
        }

        return result;
    }

    /// <summary>RFC 8725 §3.1 and §3.2 and RFC 7517 §4.2-§4.5: which keys may verify alg for this kid.</summary>
    private static bool Fits(Key key, string alg, string? kid)
    {
        if (kid is not null && key.Kid != kid)
        {
            return false;
        }

        if ((key.Alg is not null && key.Alg != alg) || (key.Use is not null && key.Use != "sig") || (key.KeyOps is not null && !key.KeyOps.Contains("verify")))
        {
            return false;
        }

        return alg[..2] switch
        {
            "RS" or "PS" => key.Rsa is { } p && BitLength(p.Modulus!) >= 2048,
            _ => key.Crv == alg switch { "ES256" => "P-256", "ES384" => "P-384", _ => "P-521" },
        };
    }

    private static bool Verifies(Key key, string alg, byte[] input, byte[] signature)
    {
        var hash = alg[2..] switch { "256" => HashAlgorithmName.SHA256, "384" => HashAlgorithmName.SHA384, _ => HashAlgorithmName.SHA512 };
        try
        {
            if (key.Rsa is { } rsaParameters)
            {
                using var rsa = RSA.Create(rsaParameters);
                return signature.Length == rsaParameters.Modulus!.SkipWhile(b => b == 0).Count()
                    && rsa.VerifyData(input, signature, hash, alg[0] == 'P' ? RSASignaturePadding.Pss : RSASignaturePadding.Pkcs1);
            }

            using var ec = ECDsa.Create(key.Ec!.Value);
            return signature.Length == 2 * key.Ec.Value.Q.X!.Length
                && ec.VerifyData(input, signature, hash, DSASignatureFormat.IeeeP1363FixedFieldConcatenation);
        }
        catch (CryptographicException)
        {
            return false;
        }
    }

    private static int BitLength(byte[] value)
    {
        var trimmed = value.SkipWhile(b => b == 0).ToArray();
        return trimmed.Length == 0 ? 0 : ((trimmed.Length - 1) * 8) + (8 - System.Numerics.BitOperations.LeadingZeroCount((uint)trimmed[0]) + 24);
    }

    private static string? Str(JsonElement element, string name)
    {
        if (!element.TryGetProperty(name, out var value))
        {
            return null;
        }

        Require(value.ValueKind == JsonValueKind.String, name + " not a string");
        return value.GetString();
    }

    private static byte[] B64(JsonElement element, string name)
    {
        var text = Str(element, name);
        Require(text is not null, "jwk " + name + " missing");
        return Base64Url(text!, "jwk " + name);
    }

    private static void Require(bool condition, string rule)
    {
        if (!condition)
        {
            Refuse(rule);
        }
    }

    private static void Refuse(string rule) => throw new RefusedException(rule);

    private sealed class RefusedException(string rule) : Exception(rule);
}
