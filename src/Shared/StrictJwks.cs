using System;
using System.Collections.Generic;
using System.Globalization;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using System.Text.Json;
using Microsoft.IdentityModel.Tokens;

namespace ScopeClaims.Internal;

/// <summary>
/// Reads a JWK set (RFC 7517 §5) for signature verification, strictly: one reading that every strict parser shares, no
/// private key material, and no key whose certificate says something else than its public parameters. Compiled into each
/// package that reads a JWKS (linked source, so no package exposes it).
/// </summary>
/// <remarks>
/// <para>
/// Refused, each with its own <see cref="Error"/>: JSON that is not valid UTF-8, not well-formed, nested deeper than
/// <see cref="MaxDepth"/>, or names a member twice at any depth (<c>"keys"</c> twice, <c>"n"</c> twice in one key), since
/// two parsers may then read different keys; a root that is not an object with one <c>"keys"</c> array of objects; an
/// escaped lone surrogate; a private member (RFC 7518 §6.2.2, §6.3.2, §6.4.1: <c>d p q dp dq qi oth k</c>) unless the
/// caller asks to skip such keys; a standard member of the wrong JSON type; an RSA or EC key whose parameters are not
/// valid base64url or do not make a key; an <c>x5c</c> whose first certificate holds another public key than the JWK's
/// own parameters (RFC 7517 §4.7), or an <c>x5t</c>/<c>x5t#S256</c> that is not that certificate's thumbprint.
/// </para>
/// <para>
/// The keys returned are the RSA and EC keys usable for verification: <c>use</c> absent or <c>sig</c>, <c>key_ops</c>
/// absent or naming <c>verify</c>. Other key types (<c>oct</c> without <c>k</c>, <c>OKP</c>, unknown) and encryption
/// keys are left out. They stay <see cref="JsonWebKey"/> objects, so <c>alg</c>, <c>use</c>, <c>key_ops</c> and
/// <c>crv</c> remain available to key and algorithm binding checks.
/// </para>
/// <para>
/// Messages name the key by index and the member by name; they never quote a key parameter, a certificate, or a
/// <c>kid</c>. The certificate chain in <c>x5c</c> is not validated (no trust decision is made from it).
/// </para>
/// </remarks>
internal static class StrictJwks
{
    /// <summary>The deepest nesting accepted: root, keys, key, x5c/key_ops/oth, and room for extension members.</summary>
    public const int MaxDepth = 16;

    // RFC 7518 §6.2.2, §6.3.2 and §6.4.1: members only a private or symmetric key has.
    private static readonly string[] s_privateMembers = ["d", "p", "q", "dp", "dq", "qi", "oth", "k"];

    private static readonly UTF8Encoding s_strictUtf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    /// <summary>Why a JWK set was refused.</summary>
    public enum Error
    {
        /// <summary>Not refused.</summary>
        None,

        /// <summary>The input is not valid UTF-8 (or, as a string, holds a lone surrogate).</summary>
        NotUtf8,

        /// <summary>The JSON is not well-formed, or has content after the root value.</summary>
        Malformed,

        /// <summary>An object names a member twice, at any depth.</summary>
        DuplicateMember,

        /// <summary>The JSON is nested deeper than <see cref="MaxDepth"/>.</summary>
        TooDeep,

        /// <summary>A string or member name holds an escaped lone surrogate such as <c>\uD800</c>.</summary>
        InvalidUnicode,

        /// <summary>The root is not an object with a <c>"keys"</c> array whose elements are all objects.</summary>
        NotAKeySet,

        /// <summary>A key holds a private member (<see cref="Result.Member"/> names it).</summary>
        PrivateMember,

        /// <summary>A standard member has the wrong JSON type, or a key parameter is not base64url or makes no key.</summary>
        InvalidKey,

        /// <summary>The first <c>x5c</c> certificate holds another key than the JWK's parameters, or a thumbprint differs.</summary>
        CertificateMismatch,

        /// <summary>No RSA or EC key usable for signature verification is left.</summary>
        NoUsableKey,
    }

    /// <summary>What to do with a key that holds private members.</summary>
    public enum PrivateKeys
    {
        /// <summary>Refuse the whole set (<see cref="Error.PrivateMember"/>): it should never have been published.</summary>
        Refuse,

        /// <summary>Leave such keys out of the result, reading the others.</summary>
        Skip,
    }

    /// <summary>Reads a JWK set from a string; see <see cref="Read(ReadOnlySpan{byte}, PrivateKeys)"/>.</summary>
    public static Result Read(string json, PrivateKeys privateKeys)
    {
        ArgumentNullException.ThrowIfNull(json);
        byte[] utf8;
        try
        {
            utf8 = s_strictUtf8.GetBytes(json);
        }
        catch (EncoderFallbackException)
        {
            return Result.Fail(Error.NotUtf8, "the JWK set holds a lone surrogate character; it is not valid Unicode text", -1, null);
        }

        return Read(utf8, privateKeys);
    }

    /// <summary>Reads a JWK set strictly; never throws for bad input.</summary>
    public static Result Read(ReadOnlySpan<byte> utf8Json, PrivateKeys privateKeys)
    {
        if (!System.Text.Unicode.Utf8.IsValid(utf8Json))
        {
            return Result.Fail(Error.NotUtf8, "the JWK set is not valid UTF-8", -1, null);
        }

        var visitor = default(NoVisitor);
        switch (JsonGuard.Check(utf8Json, MaxDepth, ref visitor))
        {
            case JsonGuard.Verdict.Ok:
                break;
            case JsonGuard.Verdict.NotAnObject:
                return Result.Fail(Error.NotAKeySet, "the JWK set is not a JSON object with a \"keys\" array (RFC 7517 §5)", -1, null);
            case JsonGuard.Verdict.DuplicateKey:
                return Result.Fail(Error.DuplicateMember, "the JWK set names a member twice in one object (such as \"keys\", or \"n\" in a key), so parsers may read different keys", -1, null);
            case JsonGuard.Verdict.TooDeep:
                return Result.Fail(Error.TooDeep, string.Create(CultureInfo.InvariantCulture, $"the JWK set is nested deeper than {MaxDepth} levels"), -1, null);
            default:
                // Note: an escaped lone surrogate in a member name stops the scanner too; it is named as such.
                return HasLoneSurrogate(utf8Json)
                    ? Result.Fail(Error.InvalidUnicode, "the JWK set holds an escaped lone surrogate (such as \\uD800), which is not valid Unicode", -1, null)
                    : Result.Fail(Error.Malformed, "the JWK set is not well-formed JSON", -1, null);
        }

        if (!JsonUnicode.HasOnlyUnicodeStrings(utf8Json, MaxDepth + 1))
        {
            return Result.Fail(Error.InvalidUnicode, "the JWK set holds an escaped lone surrogate (such as \\uD800), which is not valid Unicode", -1, null);
        }

        using var document = JsonDocument.Parse(utf8Json.ToArray(), new JsonDocumentOptions { MaxDepth = MaxDepth + 1 });
        if (!document.RootElement.TryGetProperty("keys", out var keys) || keys.ValueKind != JsonValueKind.Array)
        {
            return Result.Fail(Error.NotAKeySet, "the JWK set has no \"keys\" array (RFC 7517 §5)", -1, null);
        }

        var usable = new List<JsonWebKey>();
        var index = 0;
        foreach (var element in keys.EnumerateArray())
        {
            if (element.ValueKind != JsonValueKind.Object)
            {
                return Result.Fail(Error.NotAKeySet, Where(index, "is not a JSON object"), index, null);
            }

            var failure = ReadKey(element, index, privateKeys, out var key);
            if (failure.Error != Error.None)
            {
                return failure;
            }

            if (key is not null)
            {
                usable.Add(key);
            }

            index++;
        }

        return usable.Count == 0
            ? Result.Fail(Error.NoUsableKey, string.Create(CultureInfo.InvariantCulture, $"the JWK set holds no RSA or EC key usable for signature verification ({index} key(s) in \"keys\")"), -1, null)
            : new Result(usable.ToArray(), Error.None, null, -1, null);
    }

    private static bool HasLoneSurrogate(ReadOnlySpan<byte> utf8Json)
    {
        try
        {
            return !JsonUnicode.HasOnlyUnicodeStrings(utf8Json, MaxDepth + 1);
        }
        catch (JsonException)
        {
            return false;
        }
    }

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

    private static bool TryString(JsonElement key, string name, int index, bool required, out string? value, out Result failure)
    {
        value = null;
        failure = default;
        if (!key.TryGetProperty(name, out var member))
        {
            if (required)
            {
                failure = Result.Fail(Error.InvalidKey, Where(index, $"has no \"{name}\" member"), index, name);
                return false;
            }

            return true;
        }

        if (member.ValueKind != JsonValueKind.String)
        {
            failure = Result.Fail(Error.InvalidKey, Where(index, $"has a \"{name}\" member that is not a string"), index, name);
            return false;
        }

        value = member.GetString();
        return true;
    }

    private static bool TryStrings(JsonElement key, string name, int index, out string[]? values, out Result failure)
    {
        values = null;
        failure = default;
        if (!key.TryGetProperty(name, out var member))
        {
            return true;
        }

        if (member.ValueKind != JsonValueKind.Array)
        {
            failure = Result.Fail(Error.InvalidKey, Where(index, $"has a \"{name}\" member that is not an array of strings"), index, name);
            return false;
        }

        var list = new List<string>();
        foreach (var item in member.EnumerateArray())
        {
            if (item.ValueKind != JsonValueKind.String)
            {
                failure = Result.Fail(Error.InvalidKey, Where(index, $"has a \"{name}\" member that is not an array of strings"), index, name);
                return false;
            }

            var text = item.GetString()!;
            if (name == "key_ops" && list.Contains(text))
            {
                // RFC 7517 §4.3: duplicate key operation values MUST NOT be present.
                failure = Result.Fail(Error.InvalidKey, Where(index, "names a \"key_ops\" value twice (RFC 7517 §4.3)"), index, name);
                return false;
            }

            list.Add(text);
        }

        values = list.ToArray();
        return true;
    }

    private static bool TryBase64UrlMember(JsonElement key, string name, int index, out string? text, out byte[] bytes, out Result failure)
    {
        bytes = [];
        if (!TryString(key, name, index, required: true, out text, out failure))
        {
            return false;
        }

        if (!IsBase64Url(text!))
        {
            failure = Result.Fail(Error.InvalidKey, Where(index, $"has a \"{name}\" member that is not unpadded base64url (RFC 7515 §2)"), index, name);
            return false;
        }

        bytes = Base64UrlEncoder.DecodeBytes(text);
        return true;
    }

    private static bool IsBase64Url(string value)
    {
        if (value.Length == 0 || value.Length % 4 == 1)
        {
            return false;
        }

        foreach (var c in value)
        {
            if (!(c is >= 'A' and <= 'Z' or >= 'a' and <= 'z' or >= '0' and <= '9' or '-' or '_'))
            {
                return false;
            }
        }

        return true;
    }

    private static string Where(int index, string what) => string.Create(CultureInfo.InvariantCulture, $"key {index} of the JWK set {what}");

    /// <summary>The keys read, or why the set was refused. <see langword="default"/> is "no failure, nothing read".</summary>
    public readonly struct Result
    {
        private readonly JsonWebKey[]? _keys;

        public Result(JsonWebKey[] keys, Error error, string? message, int keyIndex, string? member)
        {
            _keys = keys;
            Error = error;
            Message = message;
            KeyIndex = keyIndex;
            Member = member;
        }

        /// <summary>Gets the usable keys, in the set's order; empty when refused.</summary>
        public IReadOnlyList<JsonWebKey> Keys => _keys ?? [];

        /// <summary>Gets why the set was refused, or <see cref="Error.None"/>.</summary>
        public Error Error { get; }

        /// <summary>Gets what was wrong and where, without key material; <see langword="null"/> when read.</summary>
        public string? Message { get; }

        /// <summary>Gets the index of the key at fault in <c>"keys"</c>, or -1.</summary>
        public int KeyIndex { get; }

        /// <summary>Gets the member at fault (e.g. <c>"d"</c>, <c>"x5c"</c>), or <see langword="null"/>.</summary>
        public string? Member { get; }

        public bool IsValid => Error == Error.None;

        internal static Result Fail(Error error, string message, int keyIndex, string? member) => new([], error, message, keyIndex, member);
    }

    private struct NoVisitor : IJsonPropertyVisitor
    {
        public readonly void Property(ReadOnlySpan<byte> name, in Utf8JsonReader reader)
        {
        }
    }
}
