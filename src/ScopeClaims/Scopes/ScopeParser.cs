using System;
using System.Buffers;
using System.Collections.Generic;
using System.Globalization;
using System.Numerics;
using System.Runtime.CompilerServices;

namespace ScopeClaims.Internal;

/// <summary>Grammar and limit checks shared by every way a <see cref="ScopeSet"/> is made.</summary>
internal static partial class ScopeParser
{
    // Note: per-scope bookkeeping (a hash per scope and a table twice the size) lives on the stack up to this many ints,
    // that is up to 128 scopes, in a pooled array beyond.
    private const int StackInts = 512;

    private const int MaxBound = 1 << 24;

    public static ScopeSet ParseDelimited(string value, ScopeLimits limits, string? claimName) =>
        ParseDelimited(value.AsSpan(), value, limits, claimName);

    /// <summary>
    /// Parses a space-delimited value in one pass: grammar (vectorized), limits, and duplicates found on the
    /// characters before any string is made, so only distinct scopes are materialized (through <see cref="ScopeStrings"/>).
    /// </summary>
    /// <param name="value">The characters.</param>
    /// <param name="source">The string <paramref name="value"/> is, when there is one: kept as the set's text when canonical.</param>
    /// <param name="limits">The limits.</param>
    /// <param name="claimName">The claim, for messages.</param>
    [SkipLocalsInit]
    public static ScopeSet ParseDelimited(ReadOnlySpan<char> value, string? source, ScopeLimits limits, string? claimName)
    {
        // Note: the total length is checked before anything else, so oversized input costs nothing more.
        CheckTotalLength(value.Length, limits, claimName);

        if (value.IsEmpty)
        {
            return ScopeSet.Empty;
        }

        // At most this many scopes can be kept: one more than the spaces (a vectorized count), and the limit stops the rest.
        // Note: capped so that the table size cannot overflow whatever the limits say; more scopes than that are refused.
        var bound = Math.Max(1, Math.Min(Math.Min(limits.MaxScopes, MaxBound), value.Count(' ') + 1));
        var tableSize = (int)BitOperations.RoundUpToPowerOf2((uint)bound * 2);
        var needed = bound + tableSize;
        int[]? rented = null;
        // Note: the stack buffer has a fixed size, so no input can ask for more stack than StackInts ints.
        var ints = needed <= StackInts ? stackalloc int[StackInts] : (rented = ArrayPool<int>.Shared.Rent(needed));
        try
        {
            var scopes = new DistinctScopes(value, source, limits, claimName, ints, bound, tableSize);
            scopes.AddAll();
            return scopes.ToSet();
        }
        finally
        {
            if (rented is not null)
            {
                ArrayPool<int>.Shared.Return(rented);
            }
        }
    }

    /// <summary>Refuses a delimited value of <paramref name="length"/> characters over <see cref="ScopeLimits.MaxTotalLength"/>.</summary>
    public static void CheckTotalLength(int length, ScopeLimits limits, string? claimName)
    {
        if (length > limits.MaxTotalLength)
        {
            throw Error(ScopeErrorReason.TooLong, claimName, $"is {length} characters long; the limit is {limits.MaxTotalLength}. Raise ScopeLimits.MaxTotalLength if this is expected.");
        }
    }

    public static ScopeSet FromElements(IEnumerable<string?> elements, ScopeLimits limits, string? claimName)
    {
        var scopes = new ScopeAccumulator(limits, claimName, elements is ICollection<string?> collection ? collection.Count : 0);
        foreach (var element in elements)
        {
            scopes.AddElement(element);
        }

        return scopes.ToSet();
    }

    /// <summary>Checks one array element (or one of several same-type claims): a single, non-empty scope token.</summary>
    public static void CheckElement(string? element, int index, ScopeLimits limits, string? claimName)
    {
        if (string.IsNullOrEmpty(element))
        {
            throw Error(ScopeErrorReason.Empty, claimName, string.Create(CultureInfo.InvariantCulture, $"has an empty or null element at index {index}; every element must be one scope."));
        }

        if (element.Length > limits.MaxScopeLength)
        {
            throw Error(ScopeErrorReason.ScopeTooLong, claimName, string.Create(CultureInfo.InvariantCulture, $"has an element of {element.Length} characters at index {index}; the limit is {limits.MaxScopeLength}."));
        }

        for (var i = 0; i < element.Length; i++)
        {
            var c = element[i];
            if (c == ' ')
            {
                throw Error(ScopeErrorReason.ElementContainsSeparator, claimName, string.Create(CultureInfo.InvariantCulture, $"has an element at index {index} that contains a space; an array element must hold exactly one scope, so it is refused rather than split."));
            }

            if (!ScopeGrammar.IsScopeChar(c))
            {
                throw InvalidCharacter(claimName, c, i, index);
            }
        }
    }

    public static ScopeFormatException Error(ScopeErrorReason reason, string? claimName, string detail) =>
        new(reason, claimName, claimName is null ? $"The scope value {detail}" : $"The scope claim '{claimName}' {detail}");

    public static ScopeFormatException TooMany(ScopeLimits limits, string? claimName) =>
        Error(ScopeErrorReason.TooManyScopes, claimName, string.Create(CultureInfo.InvariantCulture, $"holds more than {limits.MaxScopes} scopes. Raise ScopeLimits.MaxScopes if this is expected."));

    private static ScopeFormatException InvalidCharacter(string? claimName, char c, int position, int? element = null)
    {
        var where = element is null
            ? string.Create(CultureInfo.InvariantCulture, $"at position {position}")
            : string.Create(CultureInfo.InvariantCulture, $"at position {position} of the element at index {element}");
        var what = c switch
        {
            '\t' => "a tab (only the space character separates scopes)",
            '\r' or '\n' => "a line break (only the space character separates scopes)",
            '\u00A0' => "a non-breaking space (only the space character separates scopes)",
            '"' => "a double quote",
            '\\' => "a backslash",
            _ when c < ' ' || c == '\x7F' => "a control character",
            _ when c > '\x7F' => "a non-ASCII character",
            _ => "a character",
        };
        return Error(ScopeErrorReason.InvalidCharacter, claimName, $"contains {what} ({ScopeSet.Describe(c)}) {where}, outside the RFC 6749 §3.3 grammar (printable ASCII except space, '\"' and '\\').");
    }
}
