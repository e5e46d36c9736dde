using System.Net;
using System.Text;
using static ScopeClaims.Testing.Partner.Tests.Partners;

namespace ScopeClaims.Testing.Partner.Tests;

public class RequestFormTests
{
    [Theory]
    [InlineData("application/json")]
    [InlineData("text/plain")]
    [InlineData("application/x-www-form-urlencoded; charset=iso-8859-1")]
    public async Task Token_ContentTypeOtherThanUtf8Form_IsInvalidRequest(string contentType)
    {
        await using var partner = await StartAsync();
        var body = Encoding.UTF8.GetBytes("grant_type=" + Uri.EscapeDataString(JwtBearer) + "&assertion=" + Assertions.Valid(partner));

        using var response = await PostRawAsync(partner, body, contentType);

        await AssertErrorAsync(response, 400, "invalid_request");
        Assert.Empty(partner.IssuedTokens);
    }

    [Fact]
    public async Task Token_RepeatedParameter_IsInvalidRequestNamingIt()
    {
        await using var partner = await StartAsync();

        using var response = await PostAsync(partner, [("grant_type", JwtBearer), ("assertion", Assertions.Valid(partner)), ("assertion", Assertions.Valid(partner))]);

        Assert.Contains("assertion is sent more than once", await AssertErrorAsync(response, 400, "invalid_request"), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Token_BodyOverTheLimit_IsInvalidRequest()
    {
        await using var partner = await StartAsync();
        var body = Encoding.ASCII.GetBytes("grant_type=x&pad=" + new string('a', FakePartner.MaxRequestBytes));

        using var response = await PostRawAsync(partner, body, "application/x-www-form-urlencoded");

        Assert.Contains("over 65536 bytes", await AssertErrorAsync(response, 400, "invalid_request"), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Token_BodyNotUtf8_IsInvalidRequest()
    {
        await using var partner = await StartAsync();

        using var response = await PostRawAsync(partner, [(byte)'a', (byte)'=', 0xFF, 0xFE], "application/x-www-form-urlencoded");

        Assert.Contains("not UTF-8", await AssertErrorAsync(response, 400, "invalid_request"), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Token_MissingGrantTypeOrAssertion_IsInvalidRequest()
    {
        await using var partner = await StartAsync();

        using var noGrant = await PostAsync(partner, [("assertion", Assertions.Valid(partner))]);
        using var noAssertion = await PostAsync(partner, [("grant_type", JwtBearer), ("assertion", string.Empty)]);

        Assert.Contains("grant_type parameter is missing", await AssertErrorAsync(noGrant, 400, "invalid_request"), StringComparison.Ordinal);
        Assert.Contains("assertion parameter is missing", await AssertErrorAsync(noAssertion, 400, "invalid_request"), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("client_credentials")]
    [InlineData("authorization_code")]
    [InlineData("urn:ietf:params:oauth:grant-type:token-exchange")]
    public async Task Token_GrantTypeNotTaken_IsUnsupportedGrantType(string grantType)
    {
        await using var partner = await StartAsync();

        using var response = await PostAsync(partner, [("grant_type", grantType)]);

        await AssertErrorAsync(response, 400, "unsupported_grant_type");
    }

    [Fact]
    public async Task Token_Get_IsMethodNotAllowed()
    {
        await using var partner = await StartAsync();

        using var response = await Web.GetAsync(partner.TokenEndpoint);

        Assert.Equal(HttpStatusCode.MethodNotAllowed, response.StatusCode);
        Assert.Empty(partner.TokenRequests);
    }

    [Fact]
    public async Task Metadata_NamesTheEndpointGrantsAndMethod()
    {
        await using var partner = await StartAsync(o =>
        {
            o.ClientAuthentication = FakePartnerClientAuthentication.PrivateKeyJwt;
            o.GrantTypes.Add(FakePartnerOptions.ClientCredentialsGrantType);
        });

        using var response = await Web.GetAsync(partner.MetadataAddress);
        var json = await JsonAsync(response);

        Assert.Equal(partner.Address.AbsoluteUri, json.GetProperty("issuer").GetString());
        Assert.Equal(partner.TokenEndpoint.AbsoluteUri, json.GetProperty("token_endpoint").GetString());
        Assert.Equal(["client_credentials", JwtBearer], json.GetProperty("grant_types_supported").EnumerateArray().Select(static e => e.GetString()!).ToArray());
        Assert.Equal(["private_key_jwt"], json.GetProperty("token_endpoint_auth_methods_supported").EnumerateArray().Select(static e => e.GetString()!).ToArray());
    }
}
