using System.Net;
using ScopeClaims.Http.Tests.Infrastructure;

namespace ScopeClaims.Http.Tests.Grant;

public class ClientAuthenticationTests
{
    [Theory]
    [InlineData(ClientAuthenticationMethod.None, null)]
    [InlineData(ClientAuthenticationMethod.ClientSecretBasic, "s3cret")]
    [InlineData(ClientAuthenticationMethod.ClientSecretBasic, "p@ss:w rd+/=é")] // form-encoded before base64 (RFC 6749 §2.3.1)
    [InlineData(ClientAuthenticationMethod.ClientSecretPost, "p@ss:w rd+/=é")]
    public async Task GetAsync_ClientAuthenticationThePartnerRequires_IsAccepted(ClientAuthenticationMethod method, string? secret)
    {
        await using var partner = await GrantClient.StartPartnerAsync();
        partner.RequiredAuthentication = method;
        partner.ExpectedSecret = secret;
        await using var provider = GrantClient.Build(partner, o =>
        {
            o.ClientAuthentication = method;
            o.ClientSecret = secret;
        });

        using var response = await provider.Client().GetAsync("a");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(method == ClientAuthenticationMethod.ClientSecretPost, partner.LastForm.ContainsKey("client_secret"));
        Assert.Equal(method == ClientAuthenticationMethod.ClientSecretBasic, partner.LastAuthorization!.StartsWith("Basic ", StringComparison.Ordinal));
    }

    [Fact]
    public async Task GetAsync_WrongSecret_ThrowsInvalidClient()
    {
        await using var partner = await GrantClient.StartPartnerAsync();
        partner.RequiredAuthentication = ClientAuthenticationMethod.ClientSecretBasic;
        partner.ExpectedSecret = "right";
        await using var provider = GrantClient.Build(partner, o =>
        {
            o.ClientAuthentication = ClientAuthenticationMethod.ClientSecretBasic;
            o.ClientSecret = "wrong";
        });

        var ex = await Assert.ThrowsAsync<TokenEndpointErrorException>(() => provider.Client().GetAsync("a"));

        Assert.Equal("invalid_client", ex.Error);
        Assert.Equal(HttpStatusCode.Unauthorized, ex.StatusCode);
        Assert.DoesNotContain("wrong", ex.Message, StringComparison.Ordinal);
    }
}
