using System.Text.RegularExpressions;
using ScopeClaims.Tests.Readme;

namespace ScopeClaims.Http.Tests.Readme;

public partial class PackageReadmeTests
{
    [Fact]
    public void EveryCSharpSampleInThePackageReadme_IsCompiledInThisProject()
    {
        var root = ReadmeTests.RepositoryRoot();
        var readme = File.ReadAllText(Path.Combine(root, "src", "ScopeClaims.Http", "README.md"));
        var samples = File.ReadAllText(Path.Combine(root, "tests", "ScopeClaims.Http.Tests", "Readme", "ReadmeSamples.cs"));
        var blocks = CSharpBlock().Matches(readme).Select(m => m.Groups[1].Value).ToList();

        Assert.Equal(3, blocks.Count);
        foreach (var block in blocks)
        {
            Assert.True(ReadmeTests.Contains(samples, block), $"This README sample is not compiled by Readme/ReadmeSamples.cs:\n{block}");
        }
    }

    // Note: the indented block inside a list item counts too.
    [GeneratedRegex("```csharp\\n(.*?)```", RegexOptions.Singleline)]
    private static partial Regex CSharpBlock();
}
