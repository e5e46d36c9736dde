using Microsoft.Extensions.DependencyInjection;
using ScopeClaims;
using ScopeClaims.Testing;
using Xunit;

namespace MyApp.Tests;

public class PartnerAssertionTests
{
    [Fact]
    public void Assertion_CarriesScopesAsAnArray_SignedAndShortLived()
    {
        // AddArrayScopeTokens with a per-run RSA test key and a manual clock, plus your own services.
        using var test = ScopeTokenTestHost.CreateServices(
            configure: options => options.Lifetime = TimeSpan.FromMinutes(5),
            configureServices: services => services.AddSingleton<PartnerAssertionFactory>());

        string token = test.Services.GetRequiredService<PartnerAssertionFactory>().Create("my-client-id");

        ScopeTokenAssert.That(token)
            .HasScopeArray("read:appointments", "read:msg")
            .DoesNotHaveClaim("scp")
            .IsSignedWith(kid: test.Keys.Active.KeyId, alg: "RS256")
            .HasLifetimeAtMost(TimeSpan.FromMinutes(5))
            .IsValidAgainstJwks(test.Jwks, issuer: test.Issuer, audience: ScopeTokenTestHost.DefaultAudience, timeProvider: test.Time);
    }

    [Fact]
    public void Assertion_ExpiresByTheTestClock()
    {
        using var test = ScopeTokenTestHost.CreateServices();
        string token = test.TokenIssuer.Issue(ScopeSet.Parse("read:msg"));

        test.Time.Advance(TimeSpan.FromMinutes(5));

        var failure = Assert.Throws<ScopeTokenAssertionException>(
            () => ScopeTokenAssert.That(token).IsValidAgainstJwks(test.Jwks, timeProvider: test.Time));
        Assert.Contains("the token expired", failure.Message);
    }

    [Fact]
    public void Inspection_ShowsTheShape_WithoutValidating()
    {
        using var test = ScopeTokenTestHost.CreateServices();
        string token = test.TokenIssuer.Issue(ScopeSet.Parse("read:msg"));

        TokenInspection inspection = TokenInspector.InspectUnvalidated(token);   // read, not validated

        Assert.Equal(ScopeClaimShape.Array, inspection.GetScopeClaim("scope").Shape);   // one scope, still an array
        Assert.Equal(ScopeSet.Parse("read:msg"), inspection.Scopes);
        Assert.Equal(test.Time.GetUtcNow(), inspection.IssuedAt);
    }
}
