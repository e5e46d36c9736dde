using ScopeClaims.Tests.Shared;

namespace ScopeClaims.Testing.Partner.Tests.Readme;

public class PackageReadmeTests
{
    [Fact]
    public void EveryCSharpSampleInThePackageReadme_IsCompiledInThisProject()
    {
        var samples = RepositoryFiles.ReadAllText("tests/ScopeClaims.Testing.Partner.Tests/Readme/ReadmeSamples.cs");
        var blocks = ReadmeChecker.CSharpBlocks("src/ScopeClaims.Testing.Partner/README.md");

        Assert.Single(blocks);
        ReadmeChecker.AssertCompiled(blocks[0], [samples], "Readme/ReadmeSamples.cs");
    }
}
