using System.Net;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.IdentityModel.JsonWebTokens;
using ScopeClaims.Http.Tests.Infrastructure;
using ScopeClaims.Testing.Partner;
using ScopeClaims.Tests.Shared;

namespace ScopeClaims.Http.Tests.Grant;

/// <summary>A client whose key is held by a remote signer (a key service): the JWT-bearer assertion and the private_key_jwt client assertion are both signed through it.</summary>
public class RemoteSignerTests
{
    [Fact]
    public async Task GetAsync_KeyHeldByARemoteSigner_BothAssertionsSignedThroughItAndAccepted()
    {
        var signer = FakeRemoteSigner.Ec();
        var key = TokenSigningKey.FromSigner(signer, "remote-client-key");
        await using var partner = await FakePartners.StartAsync(o =>
        {
            o.ClientAuthentication = FakePartnerClientAuthentication.PrivateKeyJwt;
            o.ClientJwks = new SigningKeySet(key).ExportPublicJwks();
        });
        await using var provider = Build(partner, key, ClientAuthenticationMethod.PrivateKeyJwt);

        using var response = await provider.Client().GetAsync("a");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(2, signer.Calls);
        var request = Assert.Single(partner.TokenRequests);
        Assert.Equal(200, request.StatusCode);
        Assert.Equal("remote-client-key", new JsonWebToken(request.Assertion!).Kid);
        Assert.Equal("remote-client-key", new JsonWebToken(request.ClientAssertion!).Kid);
    }

    [Fact]
    public async Task GetAsync_CancelledWhileTheSignerWorks_CancelledAndNoTokenRequestSent()
    {
        var release = new TaskCompletionSource();
        var signer = FakeRemoteSigner.Ec();
        signer.Hold = release.Task;
        var key = TokenSigningKey.FromSigner(signer, "remote-client-key");
        await using var partner = await FakePartners.StartAsync(o => o.ClientJwks = new SigningKeySet(key).ExportPublicJwks());
        await using var provider = Build(partner, key, ClientAuthenticationMethod.None);
        using var cancel = new CancellationTokenSource();

        var pending = provider.Client().GetAsync("a", cancel.Token);
        for (var i = 0; i < 500 && signer.Calls == 0; i++)
        {
            await Task.Delay(10);
        }

        Assert.Equal(1, signer.Calls);
        await cancel.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => pending);
        Assert.Empty(partner.TokenRequests);
    }

    private static ServiceProvider Build(FakePartner partner, TokenSigningKey key, ClientAuthenticationMethod method) =>
        FakePartners.Build(
            partner,
            b => b.AddJwtBearerGrant(o =>
            {
                o.TokenEndpoint = partner.TokenEndpoint;
                o.Scopes = ScopeSet.Parse("read:a");
                o.ClientAuthentication = method;
            }),
            services => services.AddArrayScopeTokens(o =>
            {
                o.Issuer = FakePartners.ClientId;
                o.Audiences.Add(partner.TokenEndpoint.AbsoluteUri);
                o.SigningKeys = new SigningKeySet(key);
            }),
            profile: false);
}
