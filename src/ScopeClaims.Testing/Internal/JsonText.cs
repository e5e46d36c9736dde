using System.Buffers;
using System.Collections.Generic;
using System.Globalization;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;

namespace ScopeClaims.Testing.Internal;

/// <summary>Renders values for failure messages: JSON text, shortened so that a hostile value cannot flood a test log.</summary>
internal static class JsonText
{
    public const int MaxShown = 200;

    private static readonly JsonWriterOptions s_options = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    /// <summary>Writes strings as a compact JSON array, the way a token would carry them.</summary>
    public static string Array(IEnumerable<string> values)
    {
        var buffer = new ArrayBufferWriter<byte>();
        using (var writer = new Utf8JsonWriter(buffer, s_options))
        {
            writer.WriteStartArray();
            foreach (var value in values)
            {
                writer.WriteStringValue(value);
            }

            writer.WriteEndArray();
        }

        return Shorten(Encoding.UTF8.GetString(buffer.WrittenSpan));
    }

    /// <summary>Writes one string as a JSON string literal.</summary>
    public static string String(string value)
    {
        var buffer = new ArrayBufferWriter<byte>();
        using (var writer = new Utf8JsonWriter(buffer, s_options))
        {
            writer.WriteStringValue(value);
        }

        return Shorten(Encoding.UTF8.GetString(buffer.WrittenSpan));
    }

    public static string Shorten(string json) => json.Length <= MaxShown
        ? json
        : string.Create(CultureInfo.InvariantCulture, $"{json[..MaxShown]}... ({json.Length} characters)");

    public static string Kind(JsonValueKind kind) => kind switch
    {
        JsonValueKind.Number => "a number",
        JsonValueKind.True or JsonValueKind.False => "a boolean",
        JsonValueKind.Null => "null",
        JsonValueKind.Object => "an object",
        JsonValueKind.Array => "an array",
        JsonValueKind.String => "a string",
        _ => "an unknown value",
    };
}
