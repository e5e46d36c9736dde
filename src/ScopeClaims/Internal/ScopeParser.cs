using System;
using System.Collections.Generic;
using System.Globalization;

namespace ScopeClaims.Internal;

/// <summary>Grammar and limit checks shared by every way a <see cref="ScopeSet"/> is made.</summary>
internal static class ScopeParser
{
    public static ScopeSet ParseDelimited(string value, ScopeLimits limits, string? claimName)
    {
        // Note: the total length is checked before any splitting, so oversized input costs nothing more.
        if (value.Length > limits.MaxTotalLength)
        {
            throw Error(ScopeErrorReason.TooLong, claimName, $"is {value.Length} characters long; the limit is {limits.MaxTotalLength}. Raise ScopeLimits.MaxTotalLength if this is expected.");
        }

        var span = value.AsSpan();
        var bad = ScopeGrammar.IndexOfInvalidDelimited(span);
        if (bad >= 0)
        {
            throw InvalidCharacter(claimName, value[bad], bad);
        }

        // First pass: count and check the tokens, without allocating.
        var count = 0;
        var spaces = 0;
        for (var start = 0; start < span.Length;)
        {
            var next = span[start..].IndexOf(' ');
            var length = next < 0 ? span.Length - start : next;
            if (length == 0)
            {
                spaces++;
                start++;
                continue;
            }

            if (length > limits.MaxScopeLength)
            {
                throw Error(ScopeErrorReason.ScopeTooLong, claimName, string.Create(CultureInfo.InvariantCulture, $"has a scope of {length} characters at position {start}; the limit is {limits.MaxScopeLength}."));
            }

            if (++count > limits.MaxScopes)
            {
                throw TooMany(limits, claimName);
            }

            start += length;
        }

        if (count == 0)
        {
            return ScopeSet.Empty;
        }

        // Second pass: cut the scopes into an array of the exact size.
        var scopes = new string[count];
        var index = 0;
        for (var start = 0; index < count;)
        {
            var next = span[start..].IndexOf(' ');
            var length = next < 0 ? span.Length - start : next;
            if (length > 0)
            {
                scopes[index++] = value.Substring(start, length);
            }

            start += length + 1;
        }

        // Canonical: single spaces between scopes and none around them, so ToString() can return the input itself.
        return ScopeSet.FromArray(scopes, spaces == count - 1 ? value : null);
    }

    public static ScopeSet FromElements(IEnumerable<string?> elements, ScopeLimits limits, string? claimName)
    {
        var scopes = elements is ICollection<string?> collection ? new List<string>(collection.Count) : new List<string>();
        var total = 0;
        foreach (var element in elements)
        {
            CheckElement(element, scopes.Count, limits, claimName);
            total += element!.Length + (scopes.Count == 0 ? 0 : 1);
            if (total > limits.MaxTotalLength)
            {
                throw Error(ScopeErrorReason.TooLong, claimName, $"holds more than {limits.MaxTotalLength} characters of scopes. Raise ScopeLimits.MaxTotalLength if this is expected.");
            }

            AddChecked(scopes, element, limits, claimName);
        }

        return ScopeSet.FromValidated(scopes, null);
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

    public static void AddChecked(List<string> scopes, string element, ScopeLimits limits, string? claimName)
    {
        if (scopes.Count >= limits.MaxScopes)
        {
            throw TooMany(limits, claimName);
        }

        scopes.Add(element);
    }

    public static ScopeFormatException Error(ScopeErrorReason reason, string? claimName, string detail) =>
        new(reason, claimName, claimName is null ? $"The scope value {detail}" : $"The scope claim '{claimName}' {detail}");

    private static void AddToken(List<string> scopes, string value, int start, int length, ScopeLimits limits, string? claimName)
    {
        if (length > limits.MaxScopeLength)
        {
            throw Error(ScopeErrorReason.ScopeTooLong, claimName, string.Create(CultureInfo.InvariantCulture, $"has a scope of {length} characters at position {start}; the limit is {limits.MaxScopeLength}."));
        }

        if (scopes.Count >= limits.MaxScopes)
        {
            throw TooMany(limits, claimName);
        }

        scopes.Add(value.Substring(start, length));
    }

    private static ScopeFormatException TooMany(ScopeLimits limits, string? claimName) =>
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
