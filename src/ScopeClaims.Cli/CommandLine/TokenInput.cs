using System;

namespace ScopeClaims.Cli.Internal;

/// <summary>
/// Reads the TOKEN argument, or standard input when it is <c>-</c>, or when it is absent and something is piped in.
/// Absent on a terminal, it is a usage error rather than a silent wait for typing.
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
}
