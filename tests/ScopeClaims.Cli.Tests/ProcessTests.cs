using System.Diagnostics;
using System.Reflection;
using ScopeClaims.Tests.Shared;

namespace ScopeClaims.Cli.Tests;

/// <summary>Runs the built tool as a real process, proving <c>Main</c>, the console streams and the exit code.</summary>
public class ProcessTests
{
    [Fact]
    public async Task Tool_AsARealProcess_IssuesOnStdout_WarnsOnStderr_AndReadsTheTokenFromStdin()
    {
        using var home = new TempDirectory();

        var issued = await RunAsync(home.Path, null, "issue", "--scope", "read:a write:b");
        var inspected = await RunAsync(home.Path, issued.Out, "inspect", "--json");
        var refused = await RunAsync(home.Path, "x.y", "convert", "--jwks", "none.json", "--valid-issuer", "i", "--valid-audience", "a");

        var token = issued.Token;
        Assert.Equal($"warning: signing with the development key at {home.File("dev-key.jwk")}; use --key for real tokens\n", issued.Error);
        Assert.Equal(0, inspected.ExitCode);
        Assert.Contains("\"scopes\": [\n    \"read:a\",\n    \"write:b\"\n  ]", inspected.Out, StringComparison.Ordinal);
        Assert.Equal(TestTokens.Header(token).GetProperty("kid").GetString(), TokenSigningKey.FromJwkFile(home.File("dev-key.jwk")).KeyId);
        Assert.Equal(2, refused.ExitCode);
        Assert.Equal(string.Empty, refused.Out);
        Assert.Equal("error: --jwks: the file 'none.json' does not exist.\n", refused.Error);
    }

    [Fact]
    public async Task Tool_AsARealProcess_LifetimeBeyondTimeSpan_ExitsTwoWithOneLine()
    {
        using var home = new TempDirectory();

        var issue = await RunAsync(home.Path, null, "issue", "--scope", "a", "--lifetime", "10675200d");
        var convert = await RunAsync(home.Path, "a.b.c", "convert", "--jwks", "j.json", "--valid-issuer", "i", "--valid-audience", "a", "--lifetime", "99999999999999d");

        foreach (var result in new[] { issue, convert })
        {
            Assert.Equal(2, result.ExitCode);
            Assert.Equal(string.Empty, result.Out);
            Assert.Single(result.Error.TrimEnd().Split('\n'));
            Assert.Contains("is out of range", result.Error, StringComparison.Ordinal);
        }
    }

    /// <summary>
    /// The tool as built in its own output folder, with its own deps.json and runtimeconfig.json; the copy in this test
    /// folder would resolve assemblies against the test's ASP.NET Core shared framework instead.
    /// </summary>
    private static string ToolPath()
    {
        var configuration = typeof(Cli).Assembly.GetCustomAttribute<AssemblyConfigurationAttribute>()!.Configuration;
        var path = RepositoryFiles.PathOf($"src/ScopeClaims.Cli/bin/{configuration}/net10.0/ScopeClaims.Cli.dll");
        Assert.True(File.Exists(path), $"The tool is not built at {path}.");
        return path;
    }

    private static async Task<CliResult> RunAsync(string home, string? stdin, params string[] args)
    {
        var start = new ProcessStartInfo(Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") ?? "dotnet")
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = home,
        };
        start.ArgumentList.Add(ToolPath());
        foreach (var arg in args)
        {
            start.ArgumentList.Add(arg);
        }

        start.Environment["SCOPECLAIMS_HOME"] = home;
        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        await process.StandardInput.WriteAsync(stdin ?? string.Empty);
        process.StandardInput.Close();
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(2));
        await process.WaitForExitAsync(timeout.Token);
        return new CliResult(process.ExitCode, (await output).ReplaceLineEndings("\n"), (await error).ReplaceLineEndings("\n"));
    }
}
