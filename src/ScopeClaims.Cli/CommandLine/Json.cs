using System;
using System.IO;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;

namespace ScopeClaims.Cli.Internal;

/// <summary>Writes indented JSON for people and scripts, without reflection.</summary>
internal static class Json
{
    // Note: the relaxed encoder keeps "at+jwt" and URLs readable; the output goes to a terminal or a script, never into HTML.
    private static readonly JsonWriterOptions s_options = new() { Indented = true, Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    public static string Write(Action<Utf8JsonWriter> write)
    {
        using var stream = new MemoryStream();
        using (var writer = new Utf8JsonWriter(stream, s_options))
        {
            write(writer);
        }

        return Encoding.UTF8.GetString(stream.ToArray());
    }

    public static string Indent(JsonElement element) => Write(element.WriteTo);
}
