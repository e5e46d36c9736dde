using System.Buffers;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using System.Threading.Tasks;
using Microsoft.AspNetCore.Http;
using Microsoft.Net.Http.Headers;

namespace ScopeClaims.AspNetCore.Internal;

/// <summary>Writes the endpoint's JSON bodies: RFC 8693 §2.2.1 on success, RFC 6749 §5.2 on error.</summary>
internal static class TokenExchangeResponses
{
    // Note: descriptions are sanitized to printable ASCII without quote or backslash, so the relaxed encoder writes them
    // as they read ("'" rather than "\u0027"); the body is JSON with nosniff, never HTML.
    private static readonly JsonWriterOptions s_writerOptions = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    public static Task WriteSuccessAsync(HttpContext context, string token, string issuedTokenType, long expiresIn, string? scope)
    {
        var buffer = new ArrayBufferWriter<byte>(token.Length + 256);
        using (var writer = new Utf8JsonWriter(buffer, s_writerOptions))
        {
            writer.WriteStartObject();
            writer.WriteString("access_token", token);
            writer.WriteString("issued_token_type", issuedTokenType);
            writer.WriteString("token_type", "Bearer");
            writer.WriteNumber("expires_in", expiresIn);
            if (scope is not null)
            {
                writer.WriteString("scope", scope);
            }

            writer.WriteEndObject();
        }

        return WriteAsync(context, StatusCodes.Status200OK, buffer.WrittenMemory.ToArray());
    }

    public static Task WriteErrorAsync(HttpContext context, int status, string code, string description)
    {
        var buffer = new ArrayBufferWriter<byte>(256);
        using (var writer = new Utf8JsonWriter(buffer, s_writerOptions))
        {
            writer.WriteStartObject();
            writer.WriteString("error", code);
            writer.WriteString("error_description", description);
            writer.WriteEndObject();
        }

        return WriteAsync(context, status, buffer.WrittenMemory.ToArray());
    }

    /// <summary>
    /// Keeps a description within RFC 6749 §5.2's characters (<c>%x20-21 / %x23-5B / %x5D-7E</c>): <c>§</c> becomes
    /// "section ", a double quote a single one, a backslash a slash, anything else outside the set a question mark.
    /// </summary>
    public static string Sanitize(string description)
    {
        var builder = new StringBuilder(description.Length + 16);
        foreach (var c in description)
        {
            _ = c switch
            {
                '§' => builder.Append("section "),
                '"' => builder.Append('\''),
                '\\' => builder.Append('/'),
                >= ' ' and <= '~' => builder.Append(c),
                _ => builder.Append('?'),
            };
        }

        return builder.ToString();
    }

    private static Task WriteAsync(HttpContext context, int status, byte[] body)
    {
        var response = context.Response;
        response.StatusCode = status;
        response.ContentType = "application/json; charset=utf-8";
        response.ContentLength = body.Length;
        response.Headers[HeaderNames.XContentTypeOptions] = "nosniff";
        return response.Body.WriteAsync(body, 0, body.Length, context.RequestAborted);
    }
}
