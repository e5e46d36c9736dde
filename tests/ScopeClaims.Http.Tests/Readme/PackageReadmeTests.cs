using ScopeClaims.Tests.Shared;

namespace ScopeClaims.Http.Tests.Readme;

public class PackageReadmeTests
{
    [Fact]
    public void EveryCSharpSampleInThePackageReadme_IsCompiledInThisProject()
    {
        var samples = RepositoryFiles.ReadAllText("tests/ScopeClaims.Http.Tests/Readme/ReadmeSamples.cs");
        var blocks = ReadmeChecker.CSharpBlocks("src/ScopeClaims.Http/README.md");

        Assert.Equal(5, blocks.Count);
        foreach (var block in blocks)
        {
            ReadmeChecker.AssertCompiled(block, new[] { samples }, "Readme/ReadmeSamples.cs");
        }
    }
}
