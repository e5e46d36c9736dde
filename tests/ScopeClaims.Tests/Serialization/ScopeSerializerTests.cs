using System.Text.Json;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;
using ScopeClaims;

namespace ScopeClaims.Tests.Serialization;

public class ScopeSerializerTests
{
    public static TheoryData<ScopeFormat> Formats => new() { ScopeFormat.Array, ScopeFormat.SpaceDelimited, ScopeFormat.Both };

    [Theory]
    [MemberData(nameof(Formats))]
    public void OneScope_RoundTripsThroughEveryFormat(ScopeFormat format)
    {
        var issuer = new ScopeTokenIssuer(TestKeys.Options(format: format));
        var token = issuer.Issue(ScopeSet.Parse("x"));

        var payload = Payload(token);
        Assert.Equal(ScopeSet.Parse("x"), ScopeNormalizer.Default.Read(new JsonWebToken(token)));
        switch (format)
        {
            case ScopeFormat.Array:
                Assert.Equal("""["x"]""", payload.GetProperty("scope").GetRawText());
                Assert.False(payload.TryGetProperty("scp", out _));
                break;
            case ScopeFormat.SpaceDelimited:
                Assert.Equal("\"x\"", payload.GetProperty("scope").GetRawText());
                break;
            case ScopeFormat.Both:
                Assert.Equal("\"x\"", payload.GetProperty("scope").GetRawText());
                Assert.Equal("""["x"]""", payload.GetProperty("scp").GetRawText());
                break;
        }
    }

    [Theory]
    [MemberData(nameof(Formats))]
    public void ManyScopes_RoundTripThroughEveryFormat(ScopeFormat format)
    {
        var scopes = ScopeSet.Parse("read:a write:b 2024-01-01 a!#$%&'()*+,-./:;<=>?@[]^_`{|}~");
        var issuer = new ScopeTokenIssuer(TestKeys.Options(format: format));

        var read = ScopeNormalizer.Default.Read(new JsonWebToken(issuer.Issue(scopes)));

        Assert.Equal(scopes.ToArray(), read.ToArray());
    }

    [Fact]
    public void StringWrittenAndReadBack_IsTheSameScopeSet()
    {
        var scopes = ScopeSet.Parse("read:a write:b");
        var claims = new Dictionary<string, object>();
        new SpaceDelimitedScopeSerializer().WriteClaims(scopes, claims);

        Assert.Equal("read:a write:b", claims["scope"]);
        Assert.Equal(scopes, ScopeSet.Parse((string)claims["scope"]));
    }

    [Fact]
    public void Array_EmptySet_OmitsClaimByDefault_OrWritesEmptyArray()
    {
        var omitted = new Dictionary<string, object>();
        new ArrayScopeSerializer().WriteClaims(ScopeSet.Empty, omitted);
        Assert.Empty(omitted);

        var options = TestKeys.Options();
        options.WriteEmptyArray = true;
        var token = new ScopeTokenIssuer(options).Issue(ScopeSet.Empty);
        Assert.Equal("[]", Payload(token).GetProperty("scope").GetRawText());
    }

    [Fact]
    public void SpaceDelimited_EmptySet_OmitsClaim()
    {
        var claims = new Dictionary<string, object>();
        new SpaceDelimitedScopeSerializer().WriteClaims(ScopeSet.Empty, claims);
        Assert.Empty(claims);
    }

    [Fact]
    public void ClaimNames_AreConfigurable()
    {
        var options = TestKeys.Options(format: ScopeFormat.Both);
        options.ClaimName = "scopes_string";
        options.ArrayClaimName = "scopes_array";

        var payload = Payload(new ScopeTokenIssuer(options).Issue(ScopeSet.Parse("a b")));

        Assert.Equal("\"a b\"", payload.GetProperty("scopes_string").GetRawText());
        Assert.Equal("""["a","b"]""", payload.GetProperty("scopes_array").GetRawText());
    }

    [Theory]
    [InlineData("")]
    [InlineData(" ")]
    [InlineData("exp")]
    [InlineData("aud")]
    [InlineData("EXP")]
    [InlineData("Aud")]
    [InlineData("Scope")]
    [InlineData("SCP")]
    [InlineData("HTTP://SCHEMAS.MICROSOFT.COM/IDENTITY/CLAIMS/SCOPE")]
    [InlineData("jTi")]
    [InlineData("typ")]
    [InlineData("CTY")]
    public void Constructor_InvalidClaimName_Throws(string name)
    {
        Assert.ThrowsAny<ArgumentException>(() => new ArrayScopeSerializer(name));
        Assert.ThrowsAny<ArgumentException>(() => new SpaceDelimitedScopeSerializer(name));
        Assert.ThrowsAny<ArgumentException>(() => new CombinedScopeSerializer(name, "scp"));
    }

    [Fact]
    public void Combined_SameNames_Throws()
    {
        Assert.Throws<ArgumentException>(() => new CombinedScopeSerializer("scope", "scope"));
        Assert.Throws<ArgumentException>(() => new CombinedScopeSerializer("perms", "PERMS"));
        Assert.Throws<ArgumentException>(() => new CombinedScopeSerializer("scope", "Scope"));
    }

    [Fact]
    public void WriteClaims_NullArguments_Throw()
    {
        foreach (IScopeSerializer serializer in new IScopeSerializer[] { new ArrayScopeSerializer(), new SpaceDelimitedScopeSerializer(), new CombinedScopeSerializer() })
        {
            Assert.Throws<ArgumentNullException>(() => serializer.WriteClaims(null!, new Dictionary<string, object>()));
            Assert.Throws<ArgumentNullException>(() => serializer.WriteClaims(ScopeSet.Empty, null!));
        }
    }

    internal static JsonElement Payload(string token) =>
        JsonDocument.Parse(Base64UrlEncoder.Decode(token.Split('.')[1])).RootElement.Clone();
}
