using NUnit.Framework;
using ScopeClaims;
using ScopeClaims.Testing;

namespace MyApp.Tests;

[TestFixture]
public class SpaceDelimitedTokenTests
{
    private ScopeTokenTestServices _test = null!;

    [SetUp]
    public void CreateServices() =>
        _test = ScopeTokenTestHost.CreateServices(options => options.Format = ScopeFormat.SpaceDelimited);

    [TearDown]
    public void DisposeServices() => _test.Dispose();

    [Test]
    public void Token_CarriesScopesAsAString()
    {
        string token = _test.TokenIssuer.Issue(ScopeSet.Parse("read:a write:b"));

        ScopeTokenAssert.That(token)
            .HasSpaceDelimitedScope("write:b", "read:a")
            .IsSignedWith(alg: "RS256")
            .ExpiresWithin(TimeSpan.FromMinutes(5), _test.Time)
            .IsValidAgainstJwks(_test.Jwks, issuer: _test.Issuer, timeProvider: _test.Time);
    }

    [Test]
    public void WrongShape_FailsShowingExpectedAndActual()
    {
        string token = _test.TokenIssuer.Issue(ScopeSet.Parse("read:a"));

        var failure = Assert.Throws<ScopeTokenAssertionException>(() => ScopeTokenAssert.That(token).HasScopeArray("read:a"));

        Assert.That(failure!.Message, Does.Contain("Expected: array [\"read:a\"]"));
        Assert.That(failure.Message, Does.Contain("Actual:   space-delimited string \"read:a\""));
    }
}
