using ScopeClaims.Tests.Shared;

namespace ScopeClaims.Pkcs11.Tests.Readme;

public class PackageReadmeTests
{
    [Fact]
    public void EveryCSharpSampleInThePackageReadme_IsCompiledInThisProject()
    {
        var samples = RepositoryFiles.ReadAllText("tests/ScopeClaims.Pkcs11.Tests/Readme/ReadmeSamples.cs");
        var blocks = ReadmeChecker.CSharpBlocks("src/ScopeClaims.Pkcs11/README.md");

        Assert.Equal(2, blocks.Count);
        foreach (var block in blocks)
        {
            ReadmeChecker.AssertCompiled(block, new[] { samples }, "Readme/ReadmeSamples.cs");
        }
    }
}
