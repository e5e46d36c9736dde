using ScopeClaims.Tests.Shared;

namespace ScopeClaims.Testing.Tests.Readme;

public class PackageReadmeTests
{
    // The package README's samples are the example projects' Readme/ files, so they compile and run as consumers' tests.
    [Fact]
    public void EveryCSharpSample_IsAnExampleProjectFile_Verbatim()
    {
        const string ReadmePath = "src/ScopeClaims.Testing/README.md";
        var readme = ReadmeChecker.Normalize(RepositoryFiles.ReadAllText(ReadmePath));
        var examples = Directory.GetDirectories(RepositoryFiles.PathOf("tests"), "ScopeClaims.Testing.Examples.*")
            .SelectMany(d => Directory.GetFiles(Path.Combine(d, "Readme"), "*.cs"))
            .Select(f => ReadmeChecker.Normalize(File.ReadAllText(f)))
            .ToList();
        var blocks = ReadmeChecker.CSharpBlocks(ReadmePath, readme).Select(b => b.Text).ToList();

        Assert.Contains("\n## Testing your tokens\n", readme, StringComparison.Ordinal);
        Assert.Equal(examples.Count, blocks.Count);
        Assert.All(blocks, block => Assert.Contains(block, examples));
        Assert.Contains(blocks, b => b.Contains("using Xunit;", StringComparison.Ordinal));
        Assert.Contains(blocks, b => b.Contains("using NUnit.Framework;", StringComparison.Ordinal));
    }
}
