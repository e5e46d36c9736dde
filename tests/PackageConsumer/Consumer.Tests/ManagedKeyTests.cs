using Microsoft.AspNetCore.DataProtection;
using Microsoft.Extensions.DependencyInjection;
using ScopeClaims;
using ScopeClaims.Testing;
using Xunit;

namespace Consumer.Tests;

public sealed class ManagedKeyTests : IDisposable
{
    private readonly string _directory = Directory.CreateTempSubdirectory("consumer-keys-").FullName;

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    [Fact]
    public void ManagedKey_FromThePackagesAsShipped_SignsAndIsPublished()
    {
        var services = new ServiceCollection();
        services.AddDataProtection().SetApplicationName("consumer").PersistKeysToFileSystem(new DirectoryInfo(Path.Combine(_directory, "dp")));
        services.AddArrayScopeTokens(o =>
        {
            o.Issuer = "https://consumer.example";
            o.Audiences.Add("https://partner.example/token");
            o.SigningKey.Managed = true;
        });
        services.AddScopeTokenKeyManagement(keys => keys.Algorithm = "ES256").PersistKeysToFileSystem(Path.Combine(_directory, "keys"));
        using var provider = services.BuildServiceProvider();
        var issuer = provider.GetRequiredService<IScopeTokenIssuer>();

        var token = issuer.Issue(ScopeSet.Parse("read:a"));

        ScopeTokenAssert.That(token)
            .HasScopeArray("read:a")
            .IsSignedWith(kid: issuer.Keys.Active.KeyId, alg: "ES256")
            .IsValidAgainst(issuer.Keys, issuer: "https://consumer.example", audience: "https://partner.example/token");
        Assert.Single(Directory.GetFiles(Path.Combine(_directory, "keys")));
    }
}
