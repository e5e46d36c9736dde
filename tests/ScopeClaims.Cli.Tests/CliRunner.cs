using ScopeClaims.Cli.Internal;

namespace ScopeClaims.Cli.Tests;

/// <summary>What one run of the tool printed and returned.</summary>
public sealed record CliResult(int ExitCode, string Out, string Error)
{
    /// <summary>The token alone on stdout, newline-terminated, as <c>$(scopeclaims issue ...)</c> reads it.</summary>
    public string Token
    {
        get
        {
            Assert.True(ExitCode == 0, $"exit code {ExitCode}: {Error}");
            Assert.EndsWith("\n", Out);
            var token = Out[..^1];
            Assert.DoesNotContain('\n', token);
            Assert.Equal(3, token.Split('.').Length);
            return token;
        }
    }
}

/// <summary>Runs the tool in-process through its real entry point, <see cref="Cli.Run(string[], TextReader, TextWriter, TextWriter)"/>.</summary>
internal static class CliRunner
{
    /// <summary>A development-key directory for the whole test run, so tests never touch the real profile.</summary>
    public static readonly string Home = Path.Combine(Path.GetTempPath(), "scopeclaims-tests-" + Guid.NewGuid().ToString("N"));

    static CliRunner()
    {
        Environment.SetEnvironmentVariable(CliContext.HomeVariable, Home);
        AppDomain.CurrentDomain.ProcessExit += (_, _) => TempDirectory.TryDelete(Home);
    }

    public static CliResult Run(params string[] args) => RunWithInput(string.Empty, args);

    public static CliResult RunWithInput(string stdin, params string[] args)
    {
        using var output = new StringWriter();
        using var error = new StringWriter();
        var code = Cli.Run(args, new StringReader(stdin), output, error);
        return new CliResult(code, output.ToString(), error.ToString());
    }

    /// <summary>Runs as on an interactive terminal with nothing piped in: standard input fails the test if it is read.</summary>
    public static CliResult RunOnTerminal(params string[] args)
    {
        using var output = new StringWriter();
        using var error = new StringWriter();
        var code = Cli.Run(args, new CliContext(new UnreadableReader(), output, error, Home) { InputIsTerminal = true });
        return new CliResult(code, output.ToString(), error.ToString());
    }

    /// <summary>Runs with the development key in <paramref name="home"/> instead of the test run's.</summary>
    public static CliResult RunWithHome(string home, params string[] args)
    {
        using var output = new StringWriter();
        using var error = new StringWriter();
        var code = Cli.Run(args, new CliContext(new StringReader(string.Empty), output, error, home));
        return new CliResult(code, output.ToString(), error.ToString());
    }
}

/// <summary>A terminal nobody types on: reading it would wait forever, so here it fails instead.</summary>
internal sealed class UnreadableReader : TextReader
{
    public override int Read(char[] buffer, int index, int count) => throw new InvalidOperationException("The tool read a terminal it should not have waited on.");

    public override int Read() => throw new InvalidOperationException("The tool read a terminal it should not have waited on.");
}
