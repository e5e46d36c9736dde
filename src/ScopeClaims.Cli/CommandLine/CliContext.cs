using System;
using System.IO;

namespace ScopeClaims.Cli.Internal;

/// <summary>What one run of the tool reads and writes: its streams and where the development key lives.</summary>
internal sealed class CliContext
{
    /// <summary>The environment variable that overrides the directory of the development key.</summary>
    public const string HomeVariable = "SCOPECLAIMS_HOME";

    public CliContext(TextReader input, TextWriter output, TextWriter error, string? home)
    {
        In = input ?? throw new ArgumentNullException(nameof(input));
        Out = output ?? throw new ArgumentNullException(nameof(output));
        Error = error ?? throw new ArgumentNullException(nameof(error));
        Home = home;
    }

    public TextReader In { get; }

    /// <summary>
    /// Gets a value indicating whether <see cref="In"/> is an interactive terminal (nothing piped in), where reading a
    /// token that was not passed would wait for typing without saying so.
    /// </summary>
    public bool InputIsTerminal { get; init; }

    public TextWriter Out { get; }

    public TextWriter Error { get; }

    /// <summary>Gets the directory of the development key, when set by <see cref="HomeVariable"/>; else the user's profile is used.</summary>
    public string? Home { get; }

    /// <summary>Gets or sets a value indicating whether errors print their stack trace.</summary>
    public bool Verbose { get; set; }

    public void Warn(string message) => Error.WriteLine("warning: " + message);
}
