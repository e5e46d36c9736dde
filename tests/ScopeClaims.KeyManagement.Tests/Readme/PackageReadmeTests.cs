using ScopeClaims.Tests.Shared;

namespace ScopeClaims.KeyManagement.Tests.Readme;

public class PackageReadmeTests
{
    [Fact]
    public void EveryCSharpSampleInThePackageReadme_IsCompiledInThisProject()
    {
        var samples = RepositoryFiles.ReadAllText("tests/ScopeClaims.KeyManagement.Tests/Readme/ReadmeSamples.cs");
        var blocks = ReadmeChecker.CSharpBlocks("src/ScopeClaims.KeyManagement/README.md");

        Assert.Single(blocks);
        foreach (var block in blocks)
        {
            ReadmeChecker.AssertCompiled(block, new[] { samples }, "Readme/ReadmeSamples.cs");
        }
    }
}
