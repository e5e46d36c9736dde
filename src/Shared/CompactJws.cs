using System;
using System.Buffers;
using System.Collections.Generic;
using System.Diagnostics.CodeAnalysis;
using System.Text;
using System.Text.Json;
using System.Text.Unicode;
using Microsoft.IdentityModel.Tokens;

namespace ScopeClaims.Internal;

/// <summary>
/// A compact JWS (RFC 7515 §7.1) decoded <em>without validating it</em>: its header and payload, each one JSON object,
/// and whether it carries a signature. Nothing is verified here: not the signature, not a claim. Compiled into each
/// package that shows what a token says (linked source, so no package exposes it); each caller words the
/// <see cref="Failure"/> in its own messages, which never quote the token.
/// </summary>
/// <remarks>
/// Refused, in this order: anything but three parts separated by dots (five is a JWE); an empty header or payload; a
/// part that is not canonical base64url (for the signature, as strict as the caller's <see cref="Strictness"/>; every
/// part's text is checked before any part is decoded); a header or payload that is not UTF-8, not well-formed JSON
/// (trailing content included), nested deeper than <see cref="MaxDepth"/>, not an object, holding an escaped lone
/// surrogate (<see cref="JsonUnicode"/>), or naming a member twice in the object itself or in any object nested in it
/// (<see cref="JsonGuard"/>; RFC 7515 §5.2, RFC 7519 §4).
/// </remarks>
internal sealed class CompactJws
{
    /// <summary>The deepest nesting read in a header or payload; JsonDocument's own default.</summary>
    public const int MaxDepth = 64;

    private static readonly JsonDocumentOptions s_options = new() { MaxDepth = MaxDepth };
    private static readonly SearchValues<char> s_alphabet = SearchValues.Create(Base64UrlText.Alphabet);

    private CompactJws(byte[] headerUtf8, JsonElement header, byte[] payloadUtf8, JsonElement payload, bool hasSignature)
    {
        HeaderUtf8 = headerUtf8;
        Header = header;
        PayloadUtf8 = payloadUtf8;
        Payload = payload;
        HasSignature = hasSignature;
    }

    /// <summary>How strictly the signature's text is read; the header and payload are always canonical base64url.</summary>
    /// <remarks>
    /// The header and payload are decoded, and the platform's base64url decoder reads one spelling of each only, so they
    /// are held to <see cref="Base64UrlText"/> whatever the strictness. The signature is never decoded here.
    /// </remarks>
    public enum Strictness
    {
        /// <summary>Every part canonical unpadded base64url (<see cref="Base64UrlText"/>), as a verifier reads it.</summary>
        Canonical,

        /// <summary>
        /// The signature in the base64url alphabet without padding and of a length that decodes; the unused bits of its
        /// last character may be set. For showing what a token says, leaving it to a validating check to refuse that.
        /// </summary>
        LenientSignature,
    }

    /// <summary>The part of the token a <see cref="Failure"/> is about.</summary>
    public enum Part
    {
        /// <summary>The token as a whole: its number of parts.</summary>
        Token,

        /// <summary>The JOSE header, the first part.</summary>
        Header,

        /// <summary>The payload (claims), the second part.</summary>
        Payload,

        /// <summary>The signature, the third part; it may be empty.</summary>
        Signature,
    }

    /// <summary>Why a token was refused.</summary>
    public enum Problem
    {
        /// <summary>Five parts: an encrypted JWE, not a JWS.</summary>
        Encrypted,

        /// <summary>Not three parts; <see cref="Failure.PartCount"/> says how many.</summary>
        PartCount,

        /// <summary>The header or payload is empty.</summary>
        Empty,

        /// <summary>A character outside the base64url alphabet (padding included), at <see cref="Failure.Index"/>.</summary>
        Base64UrlCharacter,

        /// <summary>A base64url length that cannot be decoded (4n + 1 characters).</summary>
        Base64UrlLength,

        /// <summary>The last character sets bits that carry no data (RFC 4648 §3.5): not the canonical spelling.</summary>
        Base64UrlTrailingBits,

        /// <summary>The decoded bytes are not UTF-8.</summary>
        NotUtf8,

        /// <summary>Not well-formed JSON, trailing content, or nested deeper than <see cref="MaxDepth"/>; <see cref="Failure.Line"/> and <see cref="Failure.BytePosition"/> say where.</summary>
        NotJson,

        /// <summary>JSON, but not an object; <see cref="Failure.Kind"/> says what.</summary>
        NotAnObject,

        /// <summary>A string or member name escapes a lone surrogate (<c>"\uD800"</c>): not valid Unicode.</summary>
        InvalidString,

        /// <summary>The object names a member twice; <see cref="Failure.MemberName"/> says which.</summary>
        DuplicateMember,

        /// <summary>An object nested in the header or payload (at any depth) names a member twice.</summary>
        NestedDuplicateMember,
    }

    /// <summary>Gets the decoded header, as UTF-8 JSON.</summary>
    public byte[] HeaderUtf8 { get; }

    /// <summary>Gets the decoded header, a JSON object.</summary>
    public JsonElement Header { get; }

    /// <summary>Gets the decoded header as JSON text.</summary>
    public string HeaderJson => Encoding.UTF8.GetString(HeaderUtf8);

    /// <summary>Gets the decoded payload, as UTF-8 JSON.</summary>
    public byte[] PayloadUtf8 { get; }

    /// <summary>Gets the decoded payload, a JSON object.</summary>
    public JsonElement Payload { get; }

    /// <summary>Gets the decoded payload as JSON text.</summary>
    public string PayloadJson => Encoding.UTF8.GetString(PayloadUtf8);

    /// <summary>Gets a value indicating whether the third part is not empty. It is not verified.</summary>
    public bool HasSignature { get; }

    /// <summary>Decodes a compact JWS without validating it.</summary>
    /// <param name="token">The token: <c>header.payload.signature</c>.</param>
    /// <param name="strictness">How strictly the signature's base64url is read.</param>
    /// <param name="jws">The decoded token, when it could be read.</param>
    /// <param name="failure">Why it could not, otherwise.</param>
    /// <returns><see langword="true"/> when the token was decoded.</returns>
    public static bool TryDecode(string token, Strictness strictness, [NotNullWhen(true)] out CompactJws? jws, out Failure failure)
    {
        ArgumentNullException.ThrowIfNull(token);
        jws = null;
        var parts = token.Split('.');
        if (parts.Length != 3)
        {
            failure = new(parts.Length == 5 ? Problem.Encrypted : Problem.PartCount, Part.Token) { PartCount = parts.Length };
            return false;
        }

        // Note: the text of every part is checked before anything is decoded.
        for (var i = 0; i < parts.Length; i++)
        {
            var part = (Part)(i + 1);
            if (parts[i].Length == 0 && part != Part.Signature)
            {
                failure = new(Problem.Empty, part);
                return false;
            }

            var lenient = strictness == Strictness.LenientSignature && part == Part.Signature;
            if ((lenient ? LenientProblem(parts[i]) : Base64UrlText.Problem(parts[i])) is { } problem)
            {
                // Note: Base64UrlText looks for these in this order too.
                var index = parts[i].AsSpan().IndexOfAnyExcept(s_alphabet);
                var kind = index >= 0 ? Problem.Base64UrlCharacter : parts[i].Length % 4 == 1 ? Problem.Base64UrlLength : Problem.Base64UrlTrailingBits;
                failure = new(kind, part) { Base64UrlProblem = problem, Index = index };
                return false;
            }
        }

        if (!TryReadObject(parts[0], Part.Header, out var headerUtf8, out var header, out failure)
            || !TryReadObject(parts[1], Part.Payload, out var payloadUtf8, out var payload, out failure))
        {
            return false;
        }

        jws = new CompactJws(headerUtf8, header, payloadUtf8, payload, parts[2].Length > 0);
        return true;
    }

    // The alphabet without padding, and a length that decodes (4n + 1 characters cannot); Base64UrlText's words.
    private static string? LenientProblem(string part) =>
        part.AsSpan().IndexOfAnyExcept(s_alphabet) >= 0 ? "a character outside its alphabet"
        : part.Length % 4 == 1 ? "its length is impossible"
        : null;

    private static bool TryReadObject(string text, Part part, out byte[] utf8, out JsonElement element, out Failure failure)
    {
        element = default;
        utf8 = Base64UrlEncoder.DecodeBytes(text);
        if (!Utf8.IsValid(utf8))
        {
            failure = new(Problem.NotUtf8, part);
            return false;
        }

        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(utf8, s_options);
        }
        catch (JsonException ex)
        {
            // Note: a JsonException's message quotes the offending character; only its position is kept.
            failure = new(Problem.NotJson, part) { Line = ex.LineNumber, BytePosition = ex.BytePositionInLine };
            return false;
        }

        using (document)
        {
            var root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object)
            {
                failure = new(Problem.NotAnObject, part) { Kind = root.ValueKind };
                return false;
            }

            // Note: before any name is read, since reading one that escapes a lone surrogate throws.
            if (!JsonUnicode.HasOnlyUnicodeStrings(utf8, MaxDepth))
            {
                failure = new(Problem.InvalidString, part);
                return false;
            }

            var names = new HashSet<string>(StringComparer.Ordinal);
            foreach (var property in root.EnumerateObject())
            {
                if (!names.Add(property.Name))
                {
                    failure = new(Problem.DuplicateMember, part) { MemberName = property.Name };
                    return false;
                }
            }

            // Note: the same at any depth (a nested object such as "cnf" or "act" read twice two ways), by one scanner.
            var visitor = default(NoVisitor);
            if (JsonGuard.Check(utf8, MaxDepth, ref visitor) == JsonGuard.Verdict.DuplicateKey)
            {
                failure = new(Problem.NestedDuplicateMember, part);
                return false;
            }

            element = root.Clone();
            failure = default;
            return true;
        }
    }

    /// <summary>Why a token could not be decoded, and where. It holds nothing of the token but, for a duplicate, the member name.</summary>
    /// <param name="Problem">What is wrong.</param>
    /// <param name="Part">Where.</param>
    internal readonly record struct Failure(Problem Problem, Part Part)
    {
        /// <summary>Gets the number of parts, for <see cref="Problem.Encrypted"/> and <see cref="Problem.PartCount"/>.</summary>
        public int PartCount { get; init; }

        /// <summary>Gets <see cref="Base64UrlText.Problem"/>'s words for the three base64url problems.</summary>
        public string? Base64UrlProblem { get; init; }

        /// <summary>Gets the index of the first character outside the base64url alphabet; -1 for the other base64url problems.</summary>
        public int Index { get; init; }

        /// <summary>Gets the line of a <see cref="Problem.NotJson"/> error, from zero.</summary>
        public long? Line { get; init; }

        /// <summary>Gets the byte in its line of a <see cref="Problem.NotJson"/> error, from zero.</summary>
        public long? BytePosition { get; init; }

        /// <summary>Gets what the JSON is instead of an object, for <see cref="Problem.NotAnObject"/>.</summary>
        public JsonValueKind Kind { get; init; }

        /// <summary>Gets the member named twice, for <see cref="Problem.DuplicateMember"/>; a caller shortens it before showing it.</summary>
        public string? MemberName { get; init; }

        /// <summary>Gets the part's name as messages say it: <c>header</c>, <c>payload</c> or <c>signature</c>.</summary>
        public string PartName => Part switch
        {
            Part.Header => "header",
            Part.Payload => "payload",
            Part.Signature => "signature",
            _ => "token",
        };
    }

    private struct NoVisitor : IJsonPropertyVisitor
    {
        public readonly void Property(ReadOnlySpan<byte> name, in Utf8JsonReader reader)
        {
        }
    }
}
