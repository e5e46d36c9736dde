using ScopeClaims.Tests.Shared;

namespace ScopeClaims.Tests.Readme;

public class ReadmeTests
{
    [Fact]
    public void EveryCSharpSampleInTheReadme_IsCompiledInThisProject()
    {
        var compiled = ReadmeChecker.SampleSources("tests");
        var blocks = ReadmeChecker.CSharpBlocks("README.md");

        Assert.NotEmpty(blocks);
        foreach (var block in blocks)
        {
            ReadmeChecker.AssertCompiled(block, compiled, "any tests/**/Readme/*.cs file");
        }
    }
}
