using ScopeClaims.Http.Internal;

namespace ScopeClaims.Http.Tests.Internal;

public class PartnerTokenTests
{
    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void Encode_ThenDecode_RoundTrips(bool singleUse)
    {
        var token = new PartnerToken("a.b|c=", DateTimeOffset.FromUnixTimeMilliseconds(1_800_000_000_123), singleUse);

        var decoded = PartnerToken.Decode(token.Encode());

        Assert.NotNull(decoded);
        Assert.Equal("a.b|c=", decoded.AccessToken);
        Assert.Equal(token.ExpiresAt, decoded.ExpiresAt);
        Assert.Equal(singleUse, decoded.IsSingleUse);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("token")]
    [InlineData("v2|1|token")]
    [InlineData("v1|")]
    [InlineData("v1||token")]
    [InlineData("v1|12|")]
    [InlineData("v1|-5|token")]
    [InlineData("v1|1e3|token")]
    [InlineData("v1|99999999999999999999|token")]
    [InlineData("v1|253402300800000|token")] // one millisecond past DateTimeOffset.MaxValue
    public void Decode_ForeignEntry_ReturnsNull(string? entry) => Assert.Null(PartnerToken.Decode(entry));
}
