using System;
using System.Buffers;
using System.Globalization;
using System.Runtime.CompilerServices;
using System.Text;
using System.Text.Json;
using ScopeClaims.Internal;

namespace ScopeClaims;

// The claim-value reader: one scope claim's JSON value (a string or an array of strings) and the names of the scope
// claims, matched exactly or in another case. The JSON input and the converter's payload reader both use it.
public sealed partial class ScopeNormalizer
{
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
                var elements = new ScopeAccumulator(limits, claimName);
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

                    elements.AddElement(ReadElement(ref reader));
                }

                return elements.ToSet();

            default:
                throw ScopeParser.Error(ScopeErrorReason.InvalidShape, claimName, $"is {Describe(reader.TokenType)}; it must be a space-delimited string or an array of strings.");
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

    private static string Describe(JsonTokenType type) => type switch
    {
        JsonTokenType.Number => "a number",
        JsonTokenType.True or JsonTokenType.False => "a boolean",
        JsonTokenType.Null => "null",
        JsonTokenType.StartObject => "an object",
        JsonTokenType.StartArray => "a nested array",
        _ => "not a string",
    };
}
