using System;
using System.Collections.Generic;
using System.Globalization;
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
internal static partial class StrictJwks
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
