using System;
using System.Buffers;

namespace ScopeClaims.Internal;

/// <summary>RFC 6749 §3.3: <c>scope-token = 1*( %x21 / %x23-5B / %x5D-7E )</c>.</summary>
internal static class ScopeGrammar
{
    private const string ScopeChars = "!#$%&'()*+,-./0123456789:;<=>?@ABCDEFGHIJKLMNOPQRSTUVWXYZ[]^_`abcdefghijklmnopqrstuvwxyz{|}~";

    /// <summary>Every scope character and the space: a delimited value holds nothing else.</summary>
    public static readonly SearchValues<char> DelimitedChars = SearchValues.Create(" " + ScopeChars);

    public static bool IsScopeChar(char c) => c == '\x21' || (c >= '\x23' && c <= '\x5B') || (c >= '\x5D' && c <= '\x7E');

    /// <summary>The index of the first character that is neither a scope character nor a space, or -1.</summary>
    public static int IndexOfInvalidDelimited(ReadOnlySpan<char> value) => value.IndexOfAnyExcept(DelimitedChars);
}
