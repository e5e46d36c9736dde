using System;

namespace ScopeClaims.Cli.Internal;

/// <summary>A failure the tool reports as one line on stderr with its own exit code. The message never holds a token or key material.</summary>
internal sealed class CliException : Exception
{
    public CliException()
        : this(ExitCodes.Usage, "The command failed.")
    {
    }

    public CliException(string message)
        : this(ExitCodes.Usage, message)
    {
    }

    public CliException(string message, Exception? innerException)
        : this(ExitCodes.Usage, message, innerException)
    {
    }

    public CliException(int exitCode, string message, Exception? innerException = null)
        : base(message, innerException)
    {
        ExitCode = exitCode;
    }

    /// <summary>Gets the process exit code: <see cref="ExitCodes.Usage"/>, <see cref="ExitCodes.Refused"/> or <see cref="ExitCodes.Unavailable"/>.</summary>
    public int ExitCode { get; }

    /// <summary>A wrong command line or input file (exit code 2).</summary>
    public static CliException Usage(string message, Exception? innerException = null) => new(ExitCodes.Usage, message, innerException);

    /// <summary>A refused token or failed verification (exit code 1).</summary>
    public static CliException Refused(string message, Exception? innerException = null) => new(ExitCodes.Refused, message, innerException);
}
