using ScopeClaims.Cli.Internal;

namespace ScopeClaims.Cli.Tests;

public class CliTests
{
    [Fact]
    public void Run_NullArgument_Throws()
    {
        using var writer = new StringWriter();
        using var reader = new StringReader(string.Empty);

        Assert.Throws<ArgumentNullException>("args", () => Cli.Run(null!, reader, writer, writer));
        Assert.Throws<ArgumentNullException>("input", () => Cli.Run(Array.Empty<string>(), null!, writer, writer));
        Assert.Throws<ArgumentNullException>("output", () => Cli.Run(Array.Empty<string>(), reader, null!, writer));
        Assert.Throws<ArgumentNullException>("error", () => Cli.Run(Array.Empty<string>(), reader, writer, null!));
    }

    [Theory]
    [InlineData("scopeclaims", "--help")]
    [InlineData("scopeclaims issue", "issue", "--help")]
    [InlineData("scopeclaims issue", "issue", "-h")]
    [InlineData("scopeclaims inspect", "inspect", "--help")]
    [InlineData("scopeclaims convert", "convert", "--help")]
    [InlineData("scopeclaims keys", "keys", "--help")]
    [InlineData("scopeclaims keys new", "keys", "new", "--help")]
    [InlineData("scopeclaims keys jwks", "keys", "jwks", "--help")]
    public void Help_OnEveryCommand_PrintsUsageAndExamples_OnStdout_Exit0(string usage, params string[] args)
    {
        var result = CliRunner.Run(args);

        Assert.Equal(0, result.ExitCode);
        Assert.Equal(string.Empty, result.Error);
        Assert.Contains("Usage:\n  " + usage + " ", result.Out.ReplaceLineEndings("\n"), StringComparison.Ordinal);
        var examples = result.Out.ReplaceLineEndings("\n").Split("Examples:\n")[1].Split('\n').TakeWhile(l => l.Length > 0).ToList();
        Assert.NotEmpty(examples);
        Assert.All(examples, e => Assert.Contains("scopeclaims", e, StringComparison.OrdinalIgnoreCase));
    }

    [Theory]
    [InlineData("error: Required command was not provided. See 'scopeclaims --help'.")]
    [InlineData("error: Required command was not provided. See 'scopeclaims keys --help'.", "keys")]
    [InlineData("error: Unrecognized command or argument 'frobnicate'. See 'scopeclaims --help'.", "frobnicate")]
    [InlineData("error: Unrecognized command or argument '--scopes'. See 'scopeclaims issue --help'.", "issue", "--scope", "a", "--scopes", "b")]
    [InlineData("error: Argument 'xml' not recognized. Must be one of: 'array' 'space-delimited' 'both' See 'scopeclaims convert --help'.", "convert", "--to", "xml")]
    public void ParseError_Exit2_WithOneLineOnStderr_NamingTheHelpCommand(string error, params string[] args)
    {
        var result = CliRunner.Run(args);

        Assert.Equal(2, result.ExitCode);
        Assert.Equal(string.Empty, result.Out);
        Assert.Equal(error + "\n", result.Error.ReplaceLineEndings("\n"));
    }

    [Fact]
    public void Version_PrintsTheVersion_Exit0()
    {
        var result = CliRunner.Run("--version");

        Assert.Equal(0, result.ExitCode);
        Assert.Matches(@"^\d+\.\d+\.\d+", result.Out);
    }

    [Fact]
    public void Verbose_AddsTheStackTrace_WhichIsOtherwiseNeverPrinted()
    {
        var quiet = CliRunner.Run("keys", "jwks", "--key", "/nonexistent/key.jwk");
        var verbose = CliRunner.Run("keys", "jwks", "--key", "/nonexistent/key.jwk", "--verbose");

        Assert.Equal(2, quiet.ExitCode);
        Assert.Equal(2, verbose.ExitCode);
        Assert.Single(quiet.Error.TrimEnd().ReplaceLineEndings("\n").Split('\n'));
        Assert.DoesNotContain(" at ", quiet.Error, StringComparison.Ordinal);
        Assert.StartsWith(quiet.Error.TrimEnd(), verbose.Error, StringComparison.Ordinal);
        Assert.Contains("   at ScopeClaims.", verbose.Error, StringComparison.Ordinal);
    }

    [Fact]
    public void DevelopmentKey_IsCreatedOnFirstUse_OwnerOnly_AndReused()
    {
        using var home = new TempDirectory();
        var dir = Path.Combine(home.Path, "profile", "scopeclaims");
        var path = Path.Combine(dir, "dev-key.jwk");

        var first = CliRunner.RunWithHome(dir, "issue", "--scope", "a");
        var second = CliRunner.RunWithHome(dir, "issue", "--scope", "a");

        Assert.Equal(TestTokens.Header(first.Token).GetProperty("kid").GetString(), TestTokens.Header(second.Token).GetProperty("kid").GetString());
        Assert.Equal(TokenSigningKey.FromJwkFile(path).KeyId, TestTokens.Header(first.Token).GetProperty("kid").GetString());
        Assert.Equal("ES256", TokenSigningKey.FromJwkFile(path).Algorithm);
        Assert.Equal($"warning: signing with the development key at {path}; use --key for real tokens\n", second.Error.ReplaceLineEndings("\n"));
        Assert.Equal(new[] { path }, Directory.GetFiles(dir));
        if (!OperatingSystem.IsWindows())
        {
            Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute, File.GetUnixFileMode(dir));
            Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(path));
        }
    }

    [Fact]
    public void DevelopmentKey_Unreadable_IsAUsageError_ThatSaysWhatToDo()
    {
        using var home = new TempDirectory();
        File.WriteAllText(home.File("dev-key.jwk"), "{\"kty\":\"EC\"}");

        var result = CliRunner.RunWithHome(home.Path, "issue", "--scope", "a");

        Assert.Equal(2, result.ExitCode);
        Assert.Equal(string.Empty, result.Out);
        Assert.StartsWith($"error: The development key at '{home.File("dev-key.jwk")}' could not be loaded: ", result.Error, StringComparison.Ordinal);
        Assert.EndsWith("Delete the file to make a new one.", result.Error.TrimEnd(), StringComparison.Ordinal);
    }

    [Fact]
    public void DevelopmentKey_FollowsTheHomeVariable()
    {
        var result = CliRunner.Run("keys", "jwks");

        Assert.Equal(CliRunner.Home, Environment.GetEnvironmentVariable(CliContext.HomeVariable));
        Assert.Contains(Path.Combine(CliRunner.Home, "dev-key.jwk"), result.Error, StringComparison.Ordinal);
        Assert.True(File.Exists(Path.Combine(CliRunner.Home, "dev-key.jwk")));
    }
}
