using System.Text.RegularExpressions;

namespace ScopeClaims.Testing.Tests.Readme;

public partial class PackageReadmeTests
{
    // The package README's samples are the example projects' Readme/ files, so they compile and run as consumers' tests.
    [Fact]
    public void EveryCSharpSample_IsAnExampleProjectFile_Verbatim()
    {
        var root = RepositoryRoot();
        var readme = Normalize(File.ReadAllText(Path.Combine(root, "src", "ScopeClaims.Testing", "README.md")));
        var examples = Directory.GetDirectories(Path.Combine(root, "tests"), "ScopeClaims.Testing.Examples.*")
            .SelectMany(d => Directory.GetFiles(Path.Combine(d, "Readme"), "*.cs"))
            .Select(f => Normalize(File.ReadAllText(f)))
            .ToList();
        var blocks = CSharpBlock().Matches(readme).Select(m => m.Groups[1].Value).ToList();

        Assert.Contains("\n## Testing your tokens\n", readme, StringComparison.Ordinal);
        Assert.Equal(examples.Count, blocks.Count);
        Assert.All(blocks, block => Assert.Contains(block, examples));
        Assert.Contains(blocks, b => b.Contains("using Xunit;", StringComparison.Ordinal));
        Assert.Contains(blocks, b => b.Contains("using NUnit.Framework;", StringComparison.Ordinal));
    }

    private static string Normalize(string text) => string.Join('\n', text.ReplaceLineEndings("\n").Split('\n').Select(l => l.TrimEnd())).Trim() + "\n";

    private static string RepositoryRoot()
    {
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "ScopeClaims.sln")))
        {
            dir = dir.Parent;
        }

        return dir?.FullName ?? throw new InvalidOperationException("ScopeClaims.sln not found above the test directory.");
    }

    [GeneratedRegex("```csharp\\n(.*?)```", RegexOptions.Singleline)]
    private static partial Regex CSharpBlock();
}
