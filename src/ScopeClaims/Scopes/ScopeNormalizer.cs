using System;
using System.Buffers;
using System.Collections.Generic;
using System.Globalization;
using System.IdentityModel.Tokens.Jwt;
using JsonClaimValueTypes = Microsoft.IdentityModel.JsonWebTokens.JsonClaimValueTypes;
using System.Linq;
using System.Runtime.CompilerServices;
using System.Security.Claims;
using System.Text;
using System.Text.Json;
using Microsoft.Extensions.Options;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;
using ScopeClaims.Internal;

namespace ScopeClaims;

/// <summary>
/// Reads the scopes of any issuer's token, in any shape, into one <see cref="ScopeSet"/>.
/// </summary>
/// <remarks>
/// <para>
/// Reads the claim types of <see cref="ScopeNormalizerOptions.ClaimTypes"/> (<c>scope</c>, <c>scp</c> and the
/// .NET-mapped <see cref="ScopeClaimTypes.MicrosoftScope"/> by default) in every shape issuers use: a space-delimited
/// string (Auth0, Keycloak, Entra ID), a JSON array (Duende, Okta), one <see cref="Claim"/> per array element as
/// .NET produces them, and a claim typed <see cref="JsonClaimValueTypes.JsonArray"/>.
/// </para>
/// <para>
/// Hostile shapes are refused with a <see cref="ScopeFormatException"/> naming the claim and the reason, never
/// coerced: numbers, booleans, null, objects, nested arrays, array elements holding a space (<c>["read", "write admin"]</c>
/// never becomes three scopes), empty strings, characters outside RFC 6749 §3.3, values over the limits.
/// </para>
/// <para>
/// .NET compares claim types ignoring case (<c>ClaimsIdentity.HasClaim</c>, <c>FindAll</c>, <c>RequireClaim</c>), so a
/// claim whose name differs from one of the claim types read only in case (<c>SCOPE</c>, <c>Scp</c>, compared as
/// <see cref="StringComparison.OrdinalIgnoreCase"/>) would be read as a scope claim by the consumer's own checks. Such a
/// claim is refused (<see cref="ScopeErrorReason.ConflictingClaims"/>), alone or beside the claim it imitates, whatever
/// its value.
/// </para>
/// <para>
/// <see cref="ScopeNormalizerOptions.MaxJsonDepth"/> bounds the scope claims; how deeply other claims of a payload nest is
/// left to the token validator.
/// </para>
/// <para>
/// A single string claim cannot be told apart from a one-element array once .NET has turned a token into claims; it is
/// read as a space-delimited string. Read the token itself (<see cref="Read(JsonWebToken)"/>) when the shape matters.
/// </para>
/// </remarks>
public sealed class ScopeNormalizer
{
    // Note: a scope claim's characters are widened on the stack up to this length, in a pooled array beyond.
    private const int StackChars = 512;

    // Note: the longest UTF-8 (or \uXXXX-escaped) form of one UTF-16 code unit in a property name.
    private const int MaxBytesPerChar = 6;

    private readonly ScopeNormalizerOptions _options;
    private readonly string[] _claimTypes;
    private readonly byte[][] _utf8ClaimTypes;
    private readonly int _shortestClaimType;
    private readonly int _longestClaimType;
    private readonly bool _asciiClaimTypes;

    /// <summary>Initializes a new instance of the <see cref="ScopeNormalizer"/> class with the default options.</summary>
    public ScopeNormalizer()
        : this(new ScopeNormalizerOptions())
    {
    }

    /// <summary>Initializes a new instance of the <see cref="ScopeNormalizer"/> class.</summary>
    /// <param name="options">The options.</param>
    public ScopeNormalizer(ScopeNormalizerOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        if (options.ClaimTypes.Count == 0 || options.ClaimTypes.Any(string.IsNullOrEmpty))
        {
            throw new ArgumentException("ScopeNormalizerOptions.ClaimTypes must name at least one claim type, and none may be empty.", nameof(options));
        }

        if (options.MaxPayloadLength < 2)
        {
            throw new ArgumentOutOfRangeException(nameof(options), options.MaxPayloadLength, "ScopeNormalizerOptions.MaxPayloadLength must be at least 2.");
        }

        if (options.MaxJsonDepth < 2)
        {
            throw new ArgumentOutOfRangeException(nameof(options), options.MaxJsonDepth, "ScopeNormalizerOptions.MaxJsonDepth must be at least 2.");
        }

        ArgumentNullException.ThrowIfNull(options.Limits);
        _options = options;
        _claimTypes = options.ClaimTypes.ToArray();
        _utf8ClaimTypes = _claimTypes.Select(Encoding.UTF8.GetBytes).ToArray();
        _shortestClaimType = _claimTypes.Min(static t => t.Length);
        _longestClaimType = _claimTypes.Max(static t => t.Length);
        _asciiClaimTypes = _claimTypes.All(static t => Ascii.IsValid(t));
    }

    /// <summary>Initializes a new instance of the <see cref="ScopeNormalizer"/> class from dependency injection.</summary>
    /// <param name="options">The options.</param>
    public ScopeNormalizer(IOptions<ScopeNormalizerOptions> options)
        : this((options ?? throw new ArgumentNullException(nameof(options))).Value)
    {
    }

    /// <summary>Gets the claim types read, in order of preference.</summary>
    internal IReadOnlyList<string> ClaimTypes => _claimTypes;

    /// <summary>Gets a normalizer with the default options.</summary>
    public static ScopeNormalizer Default { get; } = new();

    /// <summary>Reads the scopes of the <em>authenticated</em> identities of a principal.</summary>
    /// <param name="principal">The principal.</param>
    /// <returns>The scopes; <see cref="ScopeSet.Empty"/> when no scope claim is present.</returns>
    /// <remarks>Claims of identities whose <see cref="ClaimsIdentity.IsAuthenticated"/> is <see langword="false"/> never count.</remarks>
    /// <exception cref="ScopeFormatException">A scope claim has a hostile shape or value, or is imitated by a claim named like it in another case.</exception>
    public ScopeSet Read(ClaimsPrincipal principal)
    {
        ArgumentNullException.ThrowIfNull(principal);
        return Read(principal.Identities.Where(static i => i.IsAuthenticated).SelectMany(static i => i.Claims));
    }

    /// <summary>Reads the scopes of one identity, authenticated or not.</summary>
    /// <param name="identity">The identity.</param>
    /// <returns>The scopes; <see cref="ScopeSet.Empty"/> when no scope claim is present.</returns>
    /// <exception cref="ScopeFormatException">A scope claim has a hostile shape or value, or is imitated by a claim named like it in another case.</exception>
    public ScopeSet Read(ClaimsIdentity identity)
    {
        ArgumentNullException.ThrowIfNull(identity);
        return Read(identity.Claims);
    }

    /// <summary>Reads the scopes from claims.</summary>
    /// <param name="claims">The claims.</param>
    /// <returns>The scopes; <see cref="ScopeSet.Empty"/> when no scope claim is present.</returns>
    /// <remarks>
    /// For each claim type, one string claim is read as a space-delimited string; several claims of the type are
    /// read as the elements of an array (each must be exactly one scope); a claim typed
    /// <see cref="JsonClaimValueTypes.JsonArray"/> is read as a JSON array. Any other value type is refused.
    /// </remarks>
    /// <exception cref="ScopeFormatException">A scope claim has a hostile shape or value, or is imitated by a claim named like it in another case.</exception>
    public ScopeSet Read(IEnumerable<Claim> claims)
    {
        ArgumentNullException.ThrowIfNull(claims);
        var byType = new List<Claim>?[_claimTypes.Length];
        foreach (var claim in claims)
        {
            var index = Array.IndexOf(_claimTypes, claim.Type);
            if (index >= 0)
            {
                (byType[index] ??= new List<Claim>()).Add(claim);
            }
            else if (IndexOfCaseVariant(claim.Type) is var variant and >= 0)
            {
                throw CaseVariant(_claimTypes[variant]);
            }
        }

        var found = new ScopeSet?[_claimTypes.Length];
        for (var i = 0; i < byType.Length; i++)
        {
            if (byType[i] is { } list)
            {
                found[i] = ReadClaims(_claimTypes[i], list);
            }
        }

        return Combine(found);
    }

    /// <summary>Reads the scopes of a token from its payload JSON, so the exact shape is seen.</summary>
    /// <param name="token">The token; it is read, not validated.</param>
    /// <returns>The scopes; <see cref="ScopeSet.Empty"/> when no scope claim is present.</returns>
    /// <exception cref="ScopeFormatException">A scope claim has a hostile shape or value, or is imitated by a claim named like it in another case; or the payload is malformed.</exception>
    public ScopeSet Read(JsonWebToken token)
    {
        ArgumentNullException.ThrowIfNull(token);
        return ReadEncodedPayload(token.EncodedPayload);
    }

    /// <summary>Reads the scopes of a token from its payload JSON, so the exact shape is seen.</summary>
    /// <param name="token">The token; it is read, not validated.</param>
    /// <returns>The scopes; <see cref="ScopeSet.Empty"/> when no scope claim is present.</returns>
    /// <exception cref="ScopeFormatException">A scope claim has a hostile shape or value, or is imitated by a claim named like it in another case; or the payload is malformed.</exception>
    public ScopeSet Read(JwtSecurityToken token)
    {
        ArgumentNullException.ThrowIfNull(token);
        return ReadEncodedPayload(token.EncodedPayload);
    }

    /// <summary>Reads the scopes from a JWT payload given as JSON text.</summary>
    /// <param name="payloadJson">The payload: one JSON object.</param>
    /// <returns>The scopes; <see cref="ScopeSet.Empty"/> when no scope claim is present.</returns>
    /// <exception cref="ScopeFormatException">A scope claim has a hostile shape or value, is named twice, or is imitated by a claim named like it in another case; or the JSON is malformed.</exception>
    public ScopeSet ReadPayloadJson(string payloadJson)
    {
        ArgumentNullException.ThrowIfNull(payloadJson);
        CheckPayloadLength(payloadJson.Length);
        return ReadPayloadJson(Encoding.UTF8.GetBytes(payloadJson));
    }

    /// <summary>Reads the scopes from a JWT payload given as UTF-8 JSON.</summary>
    /// <param name="utf8PayloadJson">The payload: one JSON object.</param>
    /// <returns>The scopes; <see cref="ScopeSet.Empty"/> when no scope claim is present.</returns>
    /// <exception cref="ScopeFormatException">A scope claim has a hostile shape or value, is named twice, or is imitated by a claim named like it in another case; or the JSON is malformed.</exception>
    public ScopeSet ReadPayloadJson(ReadOnlySpan<byte> utf8PayloadJson)
    {
        CheckPayloadLength(utf8PayloadJson.Length);
        var found = new ScopeSet?[_claimTypes.Length];
        // Note: MaxJsonDepth bounds the scope claims, which ReadJsonValue refuses beyond a flat array; other claims may nest
        // as deeply as the token validator accepted. Skip is iterative and the payload's length is bounded.
        var reader = new Utf8JsonReader(utf8PayloadJson, new JsonReaderOptions { MaxDepth = int.MaxValue });
        try
        {
            if (!reader.Read() || reader.TokenType != JsonTokenType.StartObject)
            {
                throw Malformed("is not a JSON object", null);
            }

            while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
            {
                var index = IndexOfClaimType(ref reader);
                if (index < 0 && IndexOfCaseVariant(ref reader) is var variant and >= 0)
                {
                    throw CaseVariant(_claimTypes[variant]);
                }

                reader.Read();
                if (index < 0)
                {
                    reader.Skip();
                    continue;
                }

                if (found[index] is not null)
                {
                    // Note: two parsers may keep either value of a repeated claim; refuse rather than pick one.
                    throw Malformed($"names the scope claim '{_claimTypes[index]}' more than once", null);
                }

                found[index] = ReadJsonValue(ref reader, _claimTypes[index]);
            }

            if (reader.Read())
            {
                throw Malformed("has content after the JSON object", null);
            }
        }
        catch (JsonException ex)
        {
            throw Malformed("is not well-formed JSON or is nested too deeply", ex);
        }
        catch (InvalidOperationException ex)
        {
            throw Malformed("is not well-formed JSON", ex);
        }

        return Combine(found);
    }

    private void CheckPayloadLength(int length)
    {
        if (length > _options.MaxPayloadLength)
        {
            throw new ScopeFormatException(ScopeErrorReason.TooLong, null, string.Create(CultureInfo.InvariantCulture, $"The token payload is {length} long; the limit is {_options.MaxPayloadLength} (ScopeNormalizerOptions.MaxPayloadLength)."));
        }
    }

    /// <summary>The index of the scope claim type the reader's property name is, or -1.</summary>
    internal int IndexOfClaimType(ref Utf8JsonReader reader)
    {
        // Note: ValueTextEquals compares the unescaped name, so "\u0073cope" is "scope" too.
        for (var i = 0; i < _utf8ClaimTypes.Length; i++)
        {
            if (reader.ValueTextEquals(_utf8ClaimTypes[i]))
            {
                return i;
            }
        }

        return -1;
    }

    /// <summary>
    /// The index of the scope claim type the reader's property name differs from only in case (as .NET compares claim
    /// types), or -1; call it for a name that is none of the claim types exactly.
    /// </summary>
    [SkipLocalsInit]
    private int IndexOfCaseVariant(ref Utf8JsonReader reader)
    {
        var length = reader.HasValueSequence ? reader.ValueSequence.Length : reader.ValueSpan.Length;
        if (length < _shortestClaimType || length > (long)_longestClaimType * MaxBytesPerChar)
        {
            // Note: a name of this many bytes cannot unescape to as many characters as any claim type has.
            return -1;
        }

        if (_asciiClaimTypes && !reader.ValueIsEscaped && !reader.HasValueSequence && Ascii.IsValid(reader.ValueSpan))
        {
            // Note: between ASCII names OrdinalIgnoreCase folds a-z only, so the token's bytes are compared as they are.
            for (var i = 0; i < _utf8ClaimTypes.Length; i++)
            {
                if (Ascii.EqualsIgnoreCase(reader.ValueSpan, _utf8ClaimTypes[i]))
                {
                    return i;
                }
            }

            return -1;
        }

        char[]? rented = null;
        var buffer = length <= StackChars ? stackalloc char[StackChars] : (rented = ArrayPool<char>.Shared.Rent((int)length));
        try
        {
            return IndexOfCaseVariant(buffer[..reader.CopyString(buffer)]);
        }
        finally
        {
            if (rented is not null)
            {
                ArrayPool<char>.Shared.Return(rented);
            }
        }
    }

    private int IndexOfCaseVariant(ReadOnlySpan<char> name)
    {
        for (var i = 0; i < _claimTypes.Length; i++)
        {
            if (name.Equals(_claimTypes[i], StringComparison.OrdinalIgnoreCase))
            {
                return i;
            }
        }

        return -1;
    }

    private static ScopeFormatException CaseVariant(string claimType) =>
        ScopeParser.Error(ScopeErrorReason.ConflictingClaims, claimType, "is also named by a claim whose name differs from it only in case; .NET compares claim types ignoring case, so that claim would be read as this scope claim. Name scope claims exactly.");

    /// <summary>
    /// For an unescaped property name that is none of the claim types exactly: the refusal when it differs from one only
    /// in case (as .NET compares claim types), or <see langword="null"/>.
    /// </summary>
    internal ScopeFormatException? CaseVariantOf(ReadOnlySpan<byte> name)
    {
        if (name.Length < _shortestClaimType || name.Length > _longestClaimType * 4)
        {
            return null;
        }

        if (_asciiClaimTypes && Ascii.IsValid(name))
        {
            for (var i = 0; i < _utf8ClaimTypes.Length; i++)
            {
                if (Ascii.EqualsIgnoreCase(name, _utf8ClaimTypes[i]))
                {
                    return CaseVariant(_claimTypes[i]);
                }
            }

            return null;
        }

        return IndexOfCaseVariant(System.Text.Encoding.UTF8.GetString(name)) is var variant and >= 0 ? CaseVariant(_claimTypes[variant]) : null;
    }

    /// <summary>The index of the scope claim type an unescaped property name is, or -1.</summary>
    internal int IndexOfClaimType(ReadOnlySpan<byte> name)
    {
        for (var i = 0; i < _utf8ClaimTypes.Length; i++)
        {
            if (name.SequenceEqual(_utf8ClaimTypes[i]))
            {
                return i;
            }
        }

        return -1;
    }

    private ScopeSet ReadEncodedPayload(string encodedPayload)
    {
        byte[] json;
        try
        {
            json = Base64UrlEncoder.DecodeBytes(encodedPayload);
        }
        catch (FormatException ex)
        {
            throw Malformed("is not valid base64url", ex);
        }

        return ReadPayloadJson(json);
    }

    /// <summary>Reads one scope claim's value (a string or an array of strings) at the reader's position.</summary>
    internal ScopeSet ReadJsonValue(ref Utf8JsonReader reader, string claimName)
    {
        var limits = _options.Limits;
        switch (reader.TokenType)
        {
            case JsonTokenType.String:
                if (reader.ValueSpan.Length > (long)limits.MaxTotalLength * 6)
                {
                    // Note: refuse before unescaping a value far beyond the limit (6 bytes is the longest \uXXXX escape).
                    throw ScopeParser.Error(ScopeErrorReason.TooLong, claimName, $"is longer than the limit of {limits.MaxTotalLength} characters.");
                }

                // Note: an ASCII value without escapes is parsed from the token's bytes, with no string for the whole value;
                // anything else goes through the reader's own unescaping and UTF-8 validation.
                return !reader.ValueIsEscaped && !reader.HasValueSequence && Ascii.IsValid(reader.ValueSpan)
                    ? ParseAscii(reader.ValueSpan, claimName)
                    : ParseString(reader.GetString()!, claimName);

            case JsonTokenType.StartArray:
                var elements = new List<string>();
                var total = 0;
                while (reader.Read() && reader.TokenType != JsonTokenType.EndArray)
                {
                    if (reader.TokenType != JsonTokenType.String)
                    {
                        throw ScopeParser.Error(ScopeErrorReason.InvalidShape, claimName, string.Create(CultureInfo.InvariantCulture, $"is an array whose element at index {elements.Count} is {Describe(reader.TokenType)}; every element must be a string holding one scope."));
                    }

                    if (reader.ValueSpan.Length > (long)limits.MaxScopeLength * 6)
                    {
                        throw ScopeParser.Error(ScopeErrorReason.ScopeTooLong, claimName, string.Create(CultureInfo.InvariantCulture, $"has an element at index {elements.Count} longer than the limit of {limits.MaxScopeLength} characters."));
                    }

                    var element = ReadElement(ref reader);
                    ScopeParser.CheckElement(element, elements.Count, limits, claimName);
                    total += element.Length + (elements.Count == 0 ? 0 : 1);
                    if (total > limits.MaxTotalLength)
                    {
                        throw ScopeParser.Error(ScopeErrorReason.TooLong, claimName, $"holds more than {limits.MaxTotalLength} characters of scopes.");
                    }

                    ScopeParser.AddChecked(elements, element, limits, claimName);
                }

                return ScopeSet.FromValidated(elements, null);

            default:
                throw ScopeParser.Error(ScopeErrorReason.InvalidShape, claimName, $"is {Describe(reader.TokenType)}; it must be a space-delimited string or an array of strings.");
        }
    }

    private ScopeSet ReadClaims(string claimType, List<Claim> claims)
    {
        var limits = _options.Limits;
        if (claims.Count == 1 && IsString(claims[0]))
        {
            return ParseString(claims[0].Value, claimType);
        }

        var elements = new List<string>();
        var total = 0;
        foreach (var claim in claims)
        {
            if (claim.ValueType == JsonClaimValueTypes.JsonArray)
            {
                var set = ReadPayloadJsonArray(claim.Value, claimType);
                foreach (var scope in set)
                {
                    total = AddElement(elements, scope, total, limits, claimType);
                }
            }
            else if (IsString(claim))
            {
                ScopeParser.CheckElement(claim.Value, elements.Count, limits, claimType);
                total = AddElement(elements, claim.Value, total, limits, claimType);
            }
            else
            {
                throw ScopeParser.Error(ScopeErrorReason.InvalidShape, claimType, $"has a claim of value type '{claim.ValueType}'; scopes must be strings.");
            }
        }

        return ScopeSet.FromValidated(elements, null);
    }

    private ScopeSet ReadPayloadJsonArray(string json, string claimType)
    {
        if (json.Length > (long)_options.Limits.MaxTotalLength * 6)
        {
            throw ScopeParser.Error(ScopeErrorReason.TooLong, claimType, $"is longer than the limit of {_options.Limits.MaxTotalLength} characters.");
        }

        var reader = new Utf8JsonReader(Encoding.UTF8.GetBytes(json), new JsonReaderOptions { MaxDepth = _options.MaxJsonDepth });
        try
        {
            reader.Read();
            if (reader.TokenType != JsonTokenType.StartArray)
            {
                throw ScopeParser.Error(ScopeErrorReason.InvalidShape, claimType, "is typed as a JSON array but does not hold one.");
            }

            var set = ReadJsonValue(ref reader, claimType);
            if (reader.Read())
            {
                throw Malformed("has content after the JSON array", null);
            }

            return set;
        }
        catch (JsonException ex)
        {
            throw new ScopeFormatException(ScopeErrorReason.MalformedJson, claimType, $"The scope claim '{claimType}' is typed as a JSON array but is not well-formed JSON.", ex);
        }
    }

    [SkipLocalsInit]
    private ScopeSet ParseAscii(ReadOnlySpan<byte> ascii, string claimName)
    {
        // Note: ASCII has one character per byte, so the length is known before anything is widened.
        ScopeParser.CheckTotalLength(ascii.Length, _options.Limits, claimName);
        char[]? rented = null;
        var chars = ascii.Length <= StackChars ? stackalloc char[StackChars] : (rented = ArrayPool<char>.Shared.Rent(ascii.Length));
        try
        {
            var value = chars[..Encoding.ASCII.GetChars(ascii, chars)];
            if (value.Trim(' ').IsEmpty)
            {
                throw EmptyString(claimName);
            }

            return ScopeParser.ParseDelimited(value, null, _options.Limits, claimName);
        }
        finally
        {
            if (rented is not null)
            {
                ArrayPool<char>.Shared.Return(rented);
            }
        }
    }

    /// <summary>An array element: a reused string for a scope seen before (see <see cref="ScopeStrings"/>), else a new one.</summary>
    [SkipLocalsInit]
    private static string ReadElement(ref Utf8JsonReader reader)
    {
        var utf8 = reader.ValueSpan;
        if (reader.ValueIsEscaped || reader.HasValueSequence || utf8.Length > ScopeStrings.MaxLength || !Ascii.IsValid(utf8))
        {
            return reader.GetString()!;
        }

        Span<char> chars = stackalloc char[ScopeStrings.MaxLength];
        var element = chars[..Encoding.ASCII.GetChars(utf8, chars)];
        return ScopeStrings.Get(element, ScopeStrings.Hash(element), null, 0);
    }

    private static ScopeFormatException EmptyString(string claimName) =>
        ScopeParser.Error(ScopeErrorReason.Empty, claimName, "is an empty string; omit the claim, or use an empty array, when there is no scope.");

    private ScopeSet ParseString(string value, string claimName)
    {
        if (value.Length == 0 || value.AsSpan().Trim(' ').IsEmpty)
        {
            throw EmptyString(claimName);
        }

        return ScopeParser.ParseDelimited(value, _options.Limits, claimName);
    }

    /// <summary>The scopes of the claims found (indexed like the claim types), as <see cref="ScopeNormalizerOptions.MultipleClaims"/> says.</summary>
    internal ScopeSet Combine(ScopeSet?[] found)
    {
        ScopeSet? result = null;
        string? first = null;
        for (var i = 0; i < found.Length; i++)
        {
            if (found[i] is not { } set)
            {
                continue;
            }

            if (result is null)
            {
                result = set;
                first = _claimTypes[i];
                if (_options.MultipleClaims == MultipleScopeClaimsBehavior.FirstPresent)
                {
                    break;
                }

                continue;
            }

            if (_options.MultipleClaims == MultipleScopeClaimsBehavior.Union)
            {
                result = result.Union(set);
                if (result.Count > _options.Limits.MaxScopes)
                {
                    throw ScopeParser.Error(ScopeErrorReason.TooManyScopes, _claimTypes[i], string.Create(CultureInfo.InvariantCulture, $"together with the other scope claims holds more than {_options.Limits.MaxScopes} scopes."));
                }
            }
            else if (!result.Equals(set))
            {
                throw ScopeParser.Error(ScopeErrorReason.ConflictingClaims, _claimTypes[i], $"holds a different set of scopes than '{first}'; with several scope claims present they must agree (see ScopeNormalizerOptions.MultipleClaims).");
            }
        }

        return result ?? ScopeSet.Empty;
    }

    private static int AddElement(List<string> elements, string scope, int total, ScopeLimits limits, string claimType)
    {
        total += scope.Length + (elements.Count == 0 ? 0 : 1);
        if (total > limits.MaxTotalLength)
        {
            throw ScopeParser.Error(ScopeErrorReason.TooLong, claimType, $"holds more than {limits.MaxTotalLength} characters of scopes.");
        }

        ScopeParser.AddChecked(elements, scope, limits, claimType);
        return total;
    }

    private static bool IsString(Claim claim) => string.IsNullOrEmpty(claim.ValueType) || claim.ValueType == ClaimValueTypes.String;

    private static string Describe(JsonTokenType type) => type switch
    {
        JsonTokenType.Number => "a number",
        JsonTokenType.True or JsonTokenType.False => "a boolean",
        JsonTokenType.Null => "null",
        JsonTokenType.StartObject => "an object",
        JsonTokenType.StartArray => "a nested array",
        _ => "not a string",
    };

    private static ScopeFormatException Malformed(string detail, Exception? inner) =>
        new(ScopeErrorReason.MalformedJson, null, $"The token payload {detail}.", inner);
}
