using System.Text.RegularExpressions;
using ScopeClaims.Tests.Readme;

namespace ScopeClaims.AspNetCore.Tests.Readme;

public partial class PackageReadmeTests
{
    [Fact]
    public void EveryCSharpSampleInThePackageReadme_IsCompiledInThisProject()
    {
        var root = ReadmeTests.RepositoryRoot();
        var readme = File.ReadAllText(Path.Combine(root, "src", "ScopeClaims.AspNetCore", "README.md"));
        var samples = Directory.GetFiles(Path.Combine(root, "tests", "ScopeClaims.AspNetCore.Tests", "Readme"), "*.cs").Select(File.ReadAllText).ToList();
        var blocks = CSharpBlock().Matches(readme).Select(m => m.Groups[1].Value).ToList();

        Assert.Equal(4, blocks.Count);
        foreach (var block in blocks)
        {
            Assert.True(samples.Any(source => ReadmeTests.Contains(source, block)), $"This README sample is not compiled by tests/ScopeClaims.AspNetCore.Tests/Readme:\n{block}");
        }
    }

    [GeneratedRegex("```csharp\\n(.*?)```", RegexOptions.Singleline)]
    private static partial Regex CSharpBlock();
}
