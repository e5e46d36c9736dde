using System.Text.Json;
using ScopeClaims;
using ScopeClaims.Testing;

namespace ScopeClaims.Testing.Tests.Keys;

public class TestSigningKeysTests
{
    [Fact]
    public void RunKeys_AreMadeOnceWithTheirNaturalAlgorithms()
    {
        Assert.Same(TestSigningKeys.Rsa, TestSigningKeys.Rsa);
        Assert.Same(TestSigningKeys.Ec, TestSigningKeys.Ec);
        Assert.Same(TestSigningKeys.Hmac, TestSigningKeys.Hmac);
        Assert.Equal("RS256", TestSigningKeys.Rsa.Algorithm);
        Assert.Equal("ES256", TestSigningKeys.Ec.Algorithm);
        Assert.Equal("HS256", TestSigningKeys.Hmac.Algorithm);
        Assert.True(TestSigningKeys.Hmac.IsSymmetric);
        Assert.Equal(3, new[] { TestSigningKeys.Rsa.KeyId, TestSigningKeys.Ec.KeyId, TestSigningKeys.Hmac.KeyId }.Distinct().Count());
    }

    [Fact]
    public void PublicJwks_HoldsRsaAndEc_WithoutPrivateMembers()
    {
        var keys = JsonDocument.Parse(TestSigningKeys.PublicJwks).RootElement.GetProperty("keys").EnumerateArray().ToList();

        Assert.Equal(new[] { TestSigningKeys.Rsa.KeyId, TestSigningKeys.Ec.KeyId }, keys.Select(k => k.GetProperty("kid").GetString()));
        Assert.All(keys, k => Assert.False(k.TryGetProperty("d", out _)));
    }

    [Fact]
    public void ExportPublicJwks_LeavesHmacOut()
    {
        var keys = JsonDocument.Parse(TestSigningKeys.ExportPublicJwks(TestSigningKeys.Hmac, TestSigningKeys.Ec)).RootElement.GetProperty("keys");

        Assert.Equal(TestSigningKeys.Ec.KeyId, Assert.Single(keys.EnumerateArray()).GetProperty("kid").GetString());
    }

    [Theory]
    [InlineData("RS256")]
    [InlineData("PS384")]
    [InlineData("ES512")]
    [InlineData("HS512")]
    public void Create_MakesAFreshKey(string algorithm)
    {
        var key = TestSigningKeys.Create(algorithm);

        Assert.Equal(algorithm, key.Algorithm);
        Assert.NotEqual(key.KeyId, TestSigningKeys.Create(algorithm).KeyId);
        Assert.Equal("mine", TestSigningKeys.Create(algorithm, "mine").KeyId);
    }

    [Fact]
    public void InvalidArguments_Throw()
    {
        Assert.Throws<SigningKeyException>(() => TestSigningKeys.Create("none"));
        Assert.Throws<ArgumentNullException>(() => TestSigningKeys.Create(null!));
        Assert.Throws<ArgumentNullException>(() => TestSigningKeys.ExportPublicJwks(null!));
        Assert.Throws<ArgumentException>(() => TestSigningKeys.ExportPublicJwks());
    }
}
