using System;
using System.Buffers;

namespace ScopeClaims.Internal;

/// <summary>
/// Checks that a part of a compact JWS is canonical unpadded base64url (RFC 7515 §2, RFC 4648 §5) before anything decodes
/// it, since lenient decoders accept padding, whitespace, '+' and '/', and several spellings of the same bytes.
/// Compiled into each package that reads tokens (linked source, so no package exposes it).
/// </summary>
internal static class Base64UrlText
{
    public const string Alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";

    private static readonly SearchValues<char> s_alphabet = SearchValues.Create(Alphabet);

    /// <summary>Returns <see langword="null"/> for canonical unpadded base64url; otherwise why not, without quoting the input.</summary>
    public static string? Problem(ReadOnlySpan<char> part)
    {
        if (part.IndexOfAnyExcept(s_alphabet) >= 0)
        {
            return "a character outside its alphabet";
        }

        var tail = part.Length % 4;
        if (tail == 1)
        {
            return "its length is impossible";
        }

        // Note: the last character of a 4n+2 or 4n+3 part carries 4 or 2 unused bits, which must be zero (RFC 4648 §3.5).
        return tail != 0 && (Alphabet.IndexOf(part[^1], StringComparison.Ordinal) & (tail == 2 ? 0xF : 0x3)) != 0
            ? "non-zero trailing bits"
            : null;
    }
}
