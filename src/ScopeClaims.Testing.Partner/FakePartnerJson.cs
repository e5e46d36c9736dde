using System.IO;
using System.Text;
using System.Text.Json;

namespace ScopeClaims.Testing.Partner;

/// <summary>Writes the partner's small JSON answers with <see cref="Utf8JsonWriter"/>.</summary>
internal static class FakePartnerJson
{
    public static string Object(params (string Name, object? Value)[] members)
    {
        using var stream = new MemoryStream();
        using (var writer = new Utf8JsonWriter(stream))
        {
            writer.WriteStartObject();
            foreach (var (name, value) in members)
            {
                switch (value)
                {
                    case null:
                        break;
                    case string text:
                        writer.WriteString(name, text);
                        break;
                    case int number:
                        writer.WriteNumber(name, number);
                        break;
                    case string[] texts:
                        writer.WriteStartArray(name);
                        foreach (var text in texts)
                        {
                            writer.WriteStringValue(text);
                        }

                        writer.WriteEndArray();
                        break;
                    default:
                        throw new System.ArgumentException("Only strings, string arrays and ints are written.", nameof(members));
                }
            }

            writer.WriteEndObject();
        }

        return Encoding.UTF8.GetString(stream.ToArray());
    }
}
