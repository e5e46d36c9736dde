using System;
using System.Text.Json;

namespace ScopeClaims.Internal;

/// <summary>
/// Finds JSON strings that cannot become .NET strings. Compiled into each package that reads JSON from outside
/// (linked source, so no package exposes it).
/// </summary>
/// <remarks>
/// An escaped lone surrogate such as <c>"\uD800"</c> is JSON syntax (RFC 8259 §8.2 leaves its meaning unpredictable),
/// and System.Text.Json accepts it until a string or property name holding it is read, or a member is looked up in an
/// object with one in a name: then it throws <see cref="InvalidOperationException"/>. Such JSON is refused first, with
/// the caller's own specific error.
/// </remarks>
internal static class JsonUnicode
{
    /// <summary>Reads every string and property name; <see cref="JsonException"/> when the JSON is not well-formed.</summary>
    public static bool HasOnlyUnicodeStrings(ReadOnlySpan<byte> json, int maxDepth = 64)
    {
        var reader = new Utf8JsonReader(json, new JsonReaderOptions { MaxDepth = maxDepth });
        while (reader.Read())
        {
            if (reader.TokenType is JsonTokenType.String or JsonTokenType.PropertyName)
            {
                try
                {
                    _ = reader.GetString();
                }
                catch (InvalidOperationException)
                {
                    return false;
                }
            }
        }

        return true;
    }
}
