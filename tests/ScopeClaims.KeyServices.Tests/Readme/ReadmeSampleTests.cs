using Microsoft.Extensions.DependencyInjection;
using Microsoft.IdentityModel.JsonWebTokens;
using ScopeClaims.Tests.Shared;

namespace ScopeClaims.KeyServices.Tests.Readme;

public class ReadmeSampleTests
{
    [Fact]
    public async Task ReadmeRegistration_IssuesThroughKms()
    {
        var kms = InProcessKms.Ec256();
        using var client = kms.Client();
        var services = new ServiceCollection();
        await ReadmeSamples.RegisterAsync(services, client);
        await using var provider = services.BuildServiceProvider();

        var token = await ReadmeSamples.IssueAsync(provider.GetRequiredService<IScopeTokenIssuer>(), CancellationToken.None);

        Assert.Equal("ES256", new JsonWebToken(token).Alg);
        Assert.Equal(2, kms.Requests.Count);
    }

    [Fact]
    public void TheRootReadmesKeyServiceSamples_AreCompiledInThisProject()
    {
        var sources = ReadmeChecker.SampleSources("tests/ScopeClaims.KeyServices.Tests");
        var blocks = ReadmeChecker.CSharpBlocks("README.md").Where(static b => b.Text.Contains("AwsKmsTokenSigner", StringComparison.Ordinal) || b.Text.Contains("IssuedScopeToken issued", StringComparison.Ordinal)).ToArray();

        Assert.Equal(3, blocks.Length);
        foreach (var block in blocks)
        {
            ReadmeChecker.AssertCompiled(block, sources, "tests/ScopeClaims.KeyServices.Tests/Readme");
        }
    }
}
