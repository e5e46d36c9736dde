using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using ScopeClaims;
using ScopeClaims.Testing;

namespace ScopeClaims.Testing.Tests.Hosting;

public class ScopeTokenTestHostTests
{
    [Fact]
    public void CreateServices_Defaults_IssueArrayTokensThatValidateAgainstTheJwks()
    {
        using var test = ScopeTokenTestHost.CreateServices();

        var token = test.Services.GetRequiredService<IScopeTokenIssuer>().Issue(ScopeSet.Parse("x"));

        Assert.Same(test.TokenIssuer, test.Services.GetRequiredService<IScopeTokenIssuer>());
        Assert.Equal(ScopeTokenTestHost.DefaultIssuer, test.Issuer);
        Assert.Equal(new[] { ScopeTokenTestHost.DefaultAudience }, test.Audiences);
        Assert.Same(TestSigningKeys.Rsa, test.Keys.Active);
        ScopeTokenAssert.That(token)
            .HasScopeArray("x")
            .IsSignedWith(kid: TestSigningKeys.Rsa.KeyId, alg: "RS256")
            .HasLifetimeAtMost(TimeSpan.FromMinutes(5))
            .ExpiresWithin(TimeSpan.FromMinutes(5), test.Time)
            .IsValidAgainstJwks(test.Jwks, test.Issuer, ScopeTokenTestHost.DefaultAudience, test.Time);
    }

    [Fact]
    public void CreateServices_TimeProvider_IsTheManualClock()
    {
        using var test = ScopeTokenTestHost.CreateServices();

        test.Time.Advance(TimeSpan.FromHours(1));
        var token = test.TokenIssuer.Issue(ScopeSet.Parse("x"));

        Assert.Same(test.Time, test.Services.GetRequiredService<TimeProvider>());
        Assert.Equal(test.Time.GetUtcNow(), TokenInspector.InspectUnvalidated(token).IssuedAt);
    }

    [Fact]
    public void CreateServices_Configure_ChangesTheProfile()
    {
        using var test = ScopeTokenTestHost.CreateServices(o =>
        {
            o.Issuer = "https://me.test";
            o.Audiences.Clear();
            o.Audiences.Add("https://a.test");
            o.Audiences.Add("https://b.test");
            o.SigningKeys = new SigningKeySet(TestSigningKeys.Ec);
            o.Lifetime = TimeSpan.FromMinutes(1);
            o.ClaimName = "scp";
        });

        var token = test.TokenIssuer.Issue(ScopeSet.Parse("x y"));

        Assert.Equal(new[] { "https://a.test", "https://b.test" }, test.Audiences);
        ScopeTokenAssert.That(token)
            .HasScopeArray("scp", ScopeSet.Parse("x y"))
            .DoesNotHaveClaim("scope")
            .IsSignedWith(kid: TestSigningKeys.Ec.KeyId, alg: "ES256")
            .HasLifetimeAtMost(TimeSpan.FromMinutes(1))
            .IsValidAgainstJwks(test.Jwks, "https://me.test", "https://b.test");
    }

    [Fact]
    public void CreateServices_ConfiguredKeySource_ReplacesTheTestKey()
    {
        using var test = ScopeTokenTestHost.CreateServices(o => o.SigningKey.Jwk = TestSigningKeys.Ec.ExportPrivateJwk());

        ScopeTokenAssert.That(test.TokenIssuer.Issue(ScopeSet.Parse("x"))).IsSignedWith(kid: TestSigningKeys.Ec.KeyId, alg: "ES256");
    }

    [Fact]
    public void CreateServices_ConfigureServices_ResolvesTheServiceUnderTest()
    {
        using var test = ScopeTokenTestHost.CreateServices(configureServices: s => s.AddSingleton<PartnerTokens>());

        var token = test.Services.GetRequiredService<PartnerTokens>().ForPartner();

        ScopeTokenAssert.That(token).HasScopeArray("read:appointments");
    }

    [Fact]
    public void CreateServices_InvalidProfile_ThrowsListingEveryProblem()
    {
        var ex = Assert.Throws<OptionsValidationException>(() => ScopeTokenTestHost.CreateServices(o =>
        {
            o.Issuer = null;
            o.Audiences.Clear();
        }));

        Assert.Contains(ex.Failures, f => f.Contains("ScopeTokenOptions.Issuer", StringComparison.Ordinal));
        Assert.Contains(ex.Failures, f => f.Contains("ScopeTokenOptions.Audiences", StringComparison.Ordinal));
    }

    [Fact]
    public void Keys_Rotated_AppearInTheJwks()
    {
        using var test = ScopeTokenTestHost.CreateServices();
        var next = TestSigningKeys.Create("ES256");
        var before = test.TokenIssuer.Issue(ScopeSet.Parse("x"));

        test.Keys.Rotate(next);
        var after = test.TokenIssuer.Issue(ScopeSet.Parse("x"));

        var kids = JsonDocument.Parse(test.Jwks).RootElement.GetProperty("keys").EnumerateArray().Select(k => k.GetProperty("kid").GetString());
        Assert.Equal(new[] { next.KeyId, TestSigningKeys.Rsa.KeyId }, kids);
        ScopeTokenAssert.That(after).IsSignedWith(kid: next.KeyId).IsValidAgainstJwks(test.Jwks);
        ScopeTokenAssert.That(before).IsValidAgainstJwks(test.Jwks);
    }

    [Fact]
    public void CreateServices_EachCall_HasItsOwnKeySet()
    {
        using var first = ScopeTokenTestHost.CreateServices();
        using var second = ScopeTokenTestHost.CreateServices();

        first.Keys.Rotate(TestSigningKeys.Create("ES256"));

        Assert.Same(TestSigningKeys.Rsa, second.Keys.Active);
    }

    [Fact]
    public async Task Dispose_DisposesTheProvider()
    {
        var test = ScopeTokenTestHost.CreateServices();
        test.Dispose();
        Assert.Throws<ObjectDisposedException>(() => test.Services.GetRequiredService<ScopeNormalizer>());

        var other = ScopeTokenTestHost.CreateServices();
        await other.DisposeAsync();
        Assert.Throws<ObjectDisposedException>(() => other.Services.GetRequiredService<ScopeNormalizer>());
    }

    private sealed class PartnerTokens(IScopeTokenIssuer issuer)
    {
        public string ForPartner() => issuer.Issue(ScopeSet.Parse("read:appointments"));
    }
}
