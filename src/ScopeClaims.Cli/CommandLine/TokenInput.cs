using ScopeClaims.Internal;

namespace ScopeClaims.Cli.Internal;

/// <summary>
/// Reads the TOKEN argument, or standard input when it is <c>-</c>, or when it is absent and something is piped in.
/// Absent on a terminal, it is a usage error rather than a silent wait for typing. Decodes a token without validating it.
/// </summary>
internal static class TokenInput
{
    /// <summary>The longest input read from standard input, in characters; tokens are far shorter.</summary>
    public const int MaxLength = 1024 * 1024;

    public static string Read(CliContext context, string? argument)
    {
        if (argument is null && context.InputIsTerminal)
        {
            throw CliException.Usage("No token: pass TOKEN as an argument, or pipe it on standard input ('-' reads one pasted on the terminal).");
        }

        string text;
        if (argument is null or "-")
        {
            var buffer = new char[MaxLength + 1];
            var length = 0;
            int read;
            while (length < buffer.Length && (read = context.In.Read(buffer, length, buffer.Length - length)) > 0)
            {
                length += read;
            }

            if (length > MaxLength)
            {
                throw CliException.Usage($"Standard input holds more than {MaxLength} characters; that is not a token.");
            }

            text = new string(buffer, 0, length);
        }
        else
        {
            text = argument;
        }

        text = text.Trim();
        return text.Length > 0
            ? text
            : throw CliException.Usage("No token: pass TOKEN as an argument or pipe it on standard input.");
    }

    /// <summary>Decodes a compact JWS without verifying it: canonical base64url, each of header and payload one JSON object.</summary>
    /// <exception cref="CliException">The token cannot be read (exit code 1); the message never quotes it.</exception>
    public static CompactJws Decode(string token)
    {
        if (CompactJws.TryDecode(token, CompactJws.Strictness.Canonical, out var jws, out var failure))
        {
            return jws;
        }

        var part = failure.PartName;
        throw CliException.Refused(failure.Problem switch
        {
            CompactJws.Problem.Encrypted => "The token is encrypted (JWE); inspect reads signed tokens (JWS) only.",
            CompactJws.Problem.PartCount => "The token is not a compact JWS (three base64url parts separated by dots).",
            CompactJws.Problem.Base64UrlCharacter or CompactJws.Problem.Base64UrlLength or CompactJws.Problem.Base64UrlTrailingBits
                => $"The token {part} is not valid base64url ({failure.Base64UrlProblem}).",
            CompactJws.Problem.NotUtf8 or CompactJws.Problem.InvalidString
                => $"The token {part} holds a string that is not valid Unicode (invalid UTF-8, or an escaped lone surrogate such as \\uD800).",
            CompactJws.Problem.NotAnObject => $"The token {part} is not a JSON object.",

            // Note: an empty part, malformed JSON, a member named twice at any depth, nesting deeper than 64.
            _ => $"The token {part} is not well-formed JSON, names a property twice, or nests too deeply.",
        });
    }
}
