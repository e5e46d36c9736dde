using ScopeClaims.Tests.Shared;

namespace ScopeClaims.AspNetCore.Tests.Readme;

public class PackageReadmeTests
{
    [Fact]
    public void EveryCSharpSampleInThePackageReadme_IsCompiledInThisProject()
    {
        var samples = Directory.GetFiles(RepositoryFiles.PathOf("tests/ScopeClaims.AspNetCore.Tests/Readme"), "*.cs").Select(File.ReadAllText).ToList();
        var blocks = ReadmeChecker.CSharpBlocks("src/ScopeClaims.AspNetCore/README.md");

        Assert.Equal(5, blocks.Count);
        foreach (var block in blocks)
        {
            ReadmeChecker.AssertCompiled(block, samples, "tests/ScopeClaims.AspNetCore.Tests/Readme");
        }
    }
}
