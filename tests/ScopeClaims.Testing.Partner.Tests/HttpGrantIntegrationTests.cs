using System.Net;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using ScopeClaims.Http;

namespace ScopeClaims.Testing.Partner.Tests;

/// <summary>A consumer's test of its partner integration: ScopeClaims.Http's handler against the fake partner.</summary>
public class HttpGrantIntegrationTests
{
    private static async Task<IHost> StartClientAsync(FakePartner partner, ScopeFormat format = ScopeFormat.Array, Action<JwtBearerGrantOptions>? grant = null)
    {
        var builder = Host.CreateApplicationBuilder();
        builder.Services.AddScopeTokens("partner", format, options =>
        {
            options.Issuer = Partners.ClientId;
            options.Audiences.Add(partner.TokenEndpoint.AbsoluteUri);
            options.SigningKey.Jwk = Partners.ClientKey.ExportPrivateJwk();
        });
        builder.Services.AddHttpClient("partner", client => client.BaseAddress = partner.ApiBase)
            .AddJwtBearerGrant(options =>
            {
                options.TokenEndpoint = partner.TokenEndpoint;
                options.ProfileName = "partner";
                options.Scopes = ScopeSet.Parse("read:a write:b");
                grant?.Invoke(options);
            });
        var host = builder.Build();
        await host.StartAsync();
        return host;
    }

    private static HttpClient Client(IHost host) => host.Services.GetRequiredService<IHttpClientFactory>().CreateClient("partner");

    [Fact]
    public async Task Grant_ArrayProfile_GetsATokenAndCallsTheApi()
    {
        await using var partner = await Partners.StartAsync();
        using var host = await StartClientAsync(partner);

        using var first = await Client(host).GetAsync("appointments");
        using var second = await Client(host).GetAsync("appointments");

        Assert.Equal(HttpStatusCode.OK, first.StatusCode);
        Assert.Equal(HttpStatusCode.OK, second.StatusCode);
        var request = Assert.Single(partner.TokenRequests);
        Assert.Equal(200, request.StatusCode);
        ScopeTokenAssert.That(request.Assertion!).HasScopeArray("read:a", "write:b");
        Assert.All(partner.ApiRequests, static r => Assert.True(r.Accepted));
    }

    [Fact]
    public async Task Grant_SpaceDelimitedProfile_IsRefusedByAnArrayPartner()
    {
        await using var partner = await Partners.StartAsync();
        using var host = await StartClientAsync(partner, ScopeFormat.SpaceDelimited);

        var ex = await Assert.ThrowsAsync<TokenEndpointErrorException>(() => Client(host).GetAsync("appointments"));

        Assert.Equal("invalid_grant", ex.Error);
        Assert.Contains("the scope claim is", ex.ErrorDescription, StringComparison.Ordinal);
        Assert.Empty(partner.ApiRequests);
    }

    [Fact]
    public async Task Grant_PartnerError_IsTypedAndTheNextCallTriesAgain()
    {
        await using var partner = await Partners.StartAsync();
        using var host = await StartClientAsync(partner);
        partner.FailNextTokenRequests(FakePartnerFailure.Error("invalid_grant", "key unknown"));

        var ex = await Assert.ThrowsAsync<TokenEndpointErrorException>(() => Client(host).GetAsync("a"));
        using var retried = await Client(host).GetAsync("a");

        Assert.Equal("key unknown", ex.ErrorDescription);
        Assert.Equal(HttpStatusCode.OK, retried.StatusCode);
        Assert.Equal(2, partner.TokenRequests.Count);
    }

    [Fact]
    public async Task Grant_ServerErrorOrGarbageOrRedirect_IsInvalidTokenResponse()
    {
        await using var partner = await Partners.StartAsync();
        using var host = await StartClientAsync(partner);
        partner.FailNextTokenRequests(FakePartnerFailure.ServerError());
        partner.FailNextTokenRequests(FakePartnerFailure.Garbage());
        partner.FailNextTokenRequests(FakePartnerFailure.Redirect(new Uri(partner.Address, "/elsewhere")));

        for (var i = 0; i < 3; i++)
        {
            await Assert.ThrowsAsync<InvalidTokenResponseException>(() => Client(host).GetAsync("a"));
        }

        Assert.Empty(partner.IssuedTokens);
    }

    [Fact]
    public async Task Grant_SlowPartner_TimesOut()
    {
        await using var partner = await Partners.StartAsync();
        using var host = await StartClientAsync(partner, grant: o => o.TokenRequestTimeout = TimeSpan.FromMilliseconds(200));
        partner.FailNextTokenRequests(FakePartnerFailure.Slow(TimeSpan.FromSeconds(30)));

        var ex = await Assert.ThrowsAsync<TokenEndpointUnavailableException>(() => Client(host).GetAsync("a"));

        Assert.True(ex.IsTimeout);
    }

    [Fact]
    public async Task Grant_RevokedToken_IsReplacedAfterOne401()
    {
        await using var partner = await Partners.StartAsync();
        using var host = await StartClientAsync(partner);
        using (await Client(host).GetAsync("a"))
        {
        }

        partner.RevokeIssuedTokens();
        using var response = await Client(host).GetAsync("a");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(2, partner.IssuedTokens.Count);
        Assert.NotEqual(partner.TokenRequests[0].Assertion, partner.TokenRequests[1].Assertion);
    }

    [Fact]
    public async Task Grant_ClientSecretBasic_IsCheckedByThePartner()
    {
        await using var partner = await Partners.StartAsync(o =>
        {
            o.ClientAuthentication = FakePartnerClientAuthentication.ClientSecretBasic;
            o.ClientSecret = Partners.Secret;
        });
        using var right = await StartClientAsync(partner, grant: o =>
        {
            o.ClientAuthentication = ClientAuthenticationMethod.ClientSecretBasic;
            o.ClientSecret = Partners.Secret;
        });
        using var wrong = await StartClientAsync(partner, grant: o =>
        {
            o.ClientAuthentication = ClientAuthenticationMethod.ClientSecretBasic;
            o.ClientSecret = "wrong";
        });

        using var ok = await Client(right).GetAsync("a");
        var ex = await Assert.ThrowsAsync<TokenEndpointErrorException>(() => Client(wrong).GetAsync("a"));

        Assert.Equal(HttpStatusCode.OK, ok.StatusCode);
        Assert.Equal("invalid_client", ex.Error);
    }
}
