using ScopeClaims.Tests.Shared;

namespace ScopeClaims.AspNetCore.Redis.Tests.Readme;

public class PackageReadmeTests
{
    [Fact]
    public void EveryCSharpSampleInThePackageReadme_IsCompiledInThisProject()
    {
        var samples = ReadmeChecker.SampleSources("tests/ScopeClaims.AspNetCore.Redis.Tests");
        var blocks = ReadmeChecker.CSharpBlocks("src/ScopeClaims.AspNetCore.Redis/README.md");

        Assert.Equal(2, blocks.Count);
        foreach (var block in blocks)
        {
            ReadmeChecker.AssertCompiled(block, samples, "tests/ScopeClaims.AspNetCore.Redis.Tests/Readme");
        }
    }
}
