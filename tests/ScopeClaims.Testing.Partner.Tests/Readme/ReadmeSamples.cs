using System.Net;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using ScopeClaims;
using ScopeClaims.Http;
using ScopeClaims.Testing;
using ScopeClaims.Testing.Partner;
using Xunit;

namespace ScopeClaims.Testing.Partner.Tests.Readme;

public class PartnerIntegrationTests
{
    [Fact]
    public async Task Appointments_AreFetchedWithAPartnerToken()
    {
        // The client's key: the partner verifies our assertions with its public JWKS.
        var clientKey = TestSigningKeys.Create("ES256");
        await using var partner = await FakePartner.StartAsync(new FakePartnerOptions
        {
            ClientId = "my-client-id",
            ClientJwks = TestSigningKeys.ExportPublicJwks(clientKey),
            ScopeRule = FakePartnerScopeRule.Array,          // this partner takes scopes as a JSON array only
        });

        var builder = Host.CreateApplicationBuilder();
        builder.Services.AddArrayScopeTokens(options =>
        {
            options.Issuer = "my-client-id";
            options.Audiences.Add(partner.TokenEndpoint.AbsoluteUri);
            options.SigningKey.Jwk = clientKey.ExportPrivateJwk();
        });
        builder.Services.AddHttpClient("partner", client => client.BaseAddress = partner.ApiBase)
            .AddJwtBearerGrant(options =>
            {
                options.TokenEndpoint = partner.TokenEndpoint;
                options.Scopes = ScopeSet.Parse("read:appointments read:msg");
            });
        using var host = builder.Build();
        await host.StartAsync();
        var client = host.Services.GetRequiredService<IHttpClientFactory>().CreateClient("partner");

        using var response = await client.GetAsync("appointments");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var tokenRequest = Assert.Single(partner.TokenRequests);
        ScopeTokenAssert.That(tokenRequest.Assertion!).HasScopeArray("read:appointments", "read:msg");

        // The partner revokes its tokens: the next call gets a 401, fetches a fresh token and succeeds.
        partner.RevokeIssuedTokens();
        using var retried = await client.GetAsync("appointments");
        Assert.Equal(HttpStatusCode.OK, retried.StatusCode);

        // The partner refuses our key: the call fails with the partner's RFC 6749 error.
        partner.RevokeIssuedTokens();
        partner.FailNextTokenRequests(FakePartnerFailure.Error("invalid_grant", "unknown key"));
        var refused = await Assert.ThrowsAsync<TokenEndpointErrorException>(() => client.GetAsync("appointments"));
        Assert.Equal("invalid_grant", refused.Error);
    }
}
