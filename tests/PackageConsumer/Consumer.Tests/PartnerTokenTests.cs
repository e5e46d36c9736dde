using Consumer.App;
using Microsoft.Extensions.DependencyInjection;
using ScopeClaims;
using ScopeClaims.Testing;
using Xunit;

namespace Consumer.Tests;

public class PartnerTokenTests
{
    [Fact]
    public void PartnerToken_CarriesScopesAsAnArray_FromThePackagesAsShipped()
    {
        var key = PartnerTokens.NewKey();
        using var provider = new ServiceCollection().AddPartnerTokens(key).BuildServiceProvider();

        var token = PartnerTokens.IssueFor(provider, "read:a write:b");

        ScopeTokenAssert.That(token)
            .HasScopeArray("read:a", "write:b")
            .IsSignedWith(kid: key.KeyId, alg: "ES256")
            .IsValidAgainst(new SigningKeySet(key), issuer: "https://consumer.example", audience: "https://partner.example/token");
    }

    [Fact]
    public void OneScope_IsStillAnArray()
    {
        using var provider = new ServiceCollection().AddPartnerTokens(PartnerTokens.NewKey()).BuildServiceProvider();

        ScopeTokenAssert.That(PartnerTokens.IssueFor(provider, "read:a")).HasScopeArray("read:a");
    }
}
