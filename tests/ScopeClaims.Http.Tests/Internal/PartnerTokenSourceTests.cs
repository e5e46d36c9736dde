using ScopeClaims.Http.Internal;

namespace ScopeClaims.Http.Tests.Internal;

public class PartnerTokenSourceTests
{
    private static readonly Uri Endpoint = new("https://partner.example/oauth2/token");

    [Theory]
    [InlineData("https://other.example/oauth2/token", "client", "client", "a b")]
    [InlineData("https://partner.example/oauth2/token", "other", "other", "a b")]
    [InlineData("https://partner.example/oauth2/token", "client", "someone", "a b")]
    [InlineData("https://partner.example/oauth2/token", "client", "client", "a")]
    [InlineData("https://partner.example/oauth2/token", "client", "client", "")]
    public void CreateCacheKey_AnyPartDiffers_KeyDiffers(string endpoint, string clientId, string subject, string scopes)
    {
        var baseline = PartnerTokenSource.CreateCacheKey(Endpoint, "client", "client", ScopeSet.Parse("a b"));

        var key = PartnerTokenSource.CreateCacheKey(new Uri(endpoint), clientId, subject, ScopeSet.Parse(scopes));

        Assert.NotEqual(baseline, key);
    }

    [Fact]
    public void CreateCacheKey_ScopeOrder_DoesNotMatter()
    {
        var key = PartnerTokenSource.CreateCacheKey(Endpoint, "client", "client", ScopeSet.Parse("read:a write:b"));

        Assert.Equal(key, PartnerTokenSource.CreateCacheKey(Endpoint, "client", "client", ScopeSet.Parse("write:b read:a")));
        Assert.StartsWith("scopeclaims:jwt-bearer:", key, StringComparison.Ordinal);
        Assert.InRange(key.Length, 24, 80);
    }
}
