using System.Net;
using Microsoft.Extensions.DependencyInjection;
using ScopeClaims.Http.Tests.Infrastructure;

namespace ScopeClaims.Http.Tests.Grant;

public class TokenEndpointRedirectTests
{
    private const string Secret = "redirect-test-client-secret";

    public static TheoryData<int, bool, ClientAuthenticationMethod> Redirects()
    {
        var data = new TheoryData<int, bool, ClientAuthenticationMethod>();
        foreach (var status in new[] { 301, 302, 303, 307, 308 })
        {
            foreach (var otherOrigin in new[] { true, false })
            {
                foreach (var method in new[] { ClientAuthenticationMethod.None, ClientAuthenticationMethod.ClientSecretBasic, ClientAuthenticationMethod.ClientSecretPost })
                {
                    data.Add(status, otherOrigin, method);
                }
            }
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(Redirects))]
    public async Task GetAsync_TokenEndpointRedirects_FailsTypedSendsNothingThereAndCachesNothing(int status, bool otherOrigin, ClientAuthenticationMethod method)
    {
        await using var partner = await GrantClient.StartPartnerAsync();
        await using var other = await RecordingServer.StartAsync();
        partner.RequiredAuthentication = method;
        partner.ExpectedSecret = method == ClientAuthenticationMethod.None ? null : Secret;
        partner.TokenRedirect = (status, otherOrigin ? new Uri(other.BaseAddress, "/oauth2/token") : partner.Elsewhere);
        await using var provider = GrantClient.Build(partner, o =>
        {
            o.ClientAuthentication = method;
            o.ClientSecret = partner.ExpectedSecret;
        });
        var client = provider.Client();

        var ex = await Assert.ThrowsAsync<InvalidTokenResponseException>(() => client.GetAsync("a"));

        Assert.Equal((HttpStatusCode)status, ex.StatusCode);
        Assert.Contains($"HTTP {status}", ex.Message, StringComparison.Ordinal);
        Assert.Contains("redirect", ex.Message, StringComparison.Ordinal);
        Assert.Empty(other.Requests);
        Assert.Equal(0, partner.ElsewhereRequests);
        Assert.Equal(0, partner.ApiRequests);
        Assert.Equal(1, partner.TokenRequests);

        // Nothing was cached: once the endpoint stops redirecting, the next call makes a fresh token request.
        partner.TokenRedirect = null;
        using var response = await client.GetAsync("b");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(2, partner.TokenRequests);
        Assert.Equal(0, partner.ElsewhereRequests);
        Assert.Empty(other.Requests);
    }

    [Theory]
    [InlineData(307)]
    [InlineData(302)]
    public async Task GetAsync_UserPrimaryHandlerFollowsRedirects_IsSwitchedOffForTheTokenClient(int status)
    {
        await using var partner = await GrantClient.StartPartnerAsync();
        await using var other = await RecordingServer.StartAsync();
        partner.TokenRedirect = (status, new Uri(other.BaseAddress, "/oauth2/token"));
        await using var provider = GrantClient.Build(partner, services: s => s
            .AddHttpClient(JwtBearerGrantOptions.DefaultTokenClientName)
            .ConfigurePrimaryHttpMessageHandler(() => new SocketsHttpHandler { AllowAutoRedirect = true }));

        var ex = await Assert.ThrowsAsync<InvalidTokenResponseException>(() => provider.Client().GetAsync("a"));

        Assert.Equal((HttpStatusCode)status, ex.StatusCode);
        Assert.Empty(other.Requests);
    }

    [Fact]
    public async Task GetAsync_CustomTokenClientWithRedirectingHandler_IsSwitchedOffToo()
    {
        await using var partner = await GrantClient.StartPartnerAsync();
        await using var other = await RecordingServer.StartAsync();
        partner.TokenRedirect = (308, new Uri(other.BaseAddress, "/oauth2/token"));
        await using var provider = GrantClient.Build(partner, o => o.TokenClientName = "partner-token", s => s
            .AddHttpClient("partner-token")
            .ConfigurePrimaryHttpMessageHandler(() => new PassThrough(new HttpClientHandler { AllowAutoRedirect = true })));

        var ex = await Assert.ThrowsAsync<InvalidTokenResponseException>(() => provider.Client().GetAsync("a"));

        Assert.Equal((HttpStatusCode)308, ex.StatusCode);
        Assert.Empty(other.Requests);
    }

    [Fact]
    public async Task GetAsync_SharedHandlerThatFollowsRedirectsAndHasStarted_IsRefusedNotUsed()
    {
        await using var partner = await GrantClient.StartPartnerAsync();
        await using var other = await RecordingServer.StartAsync();
        partner.TokenRedirect = (307, new Uri(other.BaseAddress, "/oauth2/token"));
        using var shared = new SocketsHttpHandler { AllowAutoRedirect = true };
        using (var warmUp = new HttpClient(shared, disposeHandler: false))
        {
            (await warmUp.GetAsync(partner.ApiBase)).Dispose(); // started: its properties can no longer change
        }

        await using var provider = GrantClient.Build(partner, services: s => s
            .AddHttpClient(JwtBearerGrantOptions.DefaultTokenClientName)
            .ConfigurePrimaryHttpMessageHandler(() => new PassThrough(shared)));

        var ex = await Assert.ThrowsAsync<InvalidOperationException>(() => provider.Client().GetAsync("a"));

        Assert.Contains("follows redirects", ex.Message, StringComparison.Ordinal);
        Assert.Equal(0, partner.TokenRequests);
        Assert.Empty(other.Requests);
    }

    [Theory]
    [InlineData(307)]
    [InlineData(303)]
    public async Task GetAsync_OpaqueHandlerFollowedARedirect_FailsClosedAndUsesNothing(int status)
    {
        await using var partner = await GrantClient.StartPartnerAsync();
        await using var other = await RecordingServer.StartAsync();
        partner.TokenRedirect = (status, new Uri(other.BaseAddress, "/oauth2/token"));

        // A handler this package cannot see into, that follows redirects itself: the response comes from elsewhere.
        await using var provider = GrantClient.Build(partner, services: s => s
            .AddHttpClient(JwtBearerGrantOptions.DefaultTokenClientName)
            .ConfigurePrimaryHttpMessageHandler(() => new Opaque()));
        var client = provider.Client();

        var ex = await Assert.ThrowsAsync<InvalidTokenResponseException>(() => client.GetAsync("a"));

        Assert.Single(other.Requests);                 // it went there: the handler is the user's
        Assert.Contains("redirect", ex.Message, StringComparison.Ordinal);
        Assert.DoesNotContain(other.BaseAddress.Authority, ex.Message, StringComparison.Ordinal);
        Assert.Equal(0, partner.ApiRequests);          // the token it returned was not used
        partner.TokenRedirect = null;
        using var response = await client.GetAsync("b");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(2, partner.TokenRequests);        // nor cached
    }

    [Theory]
    [InlineData(307)]
    [InlineData(308)]
    [InlineData(302)]
    public async Task GetAsync_ApiRedirectsToAnotherOriginThatAnswers401_TokenNeverReachesIt(int status)
    {
        await using var partner = await GrantClient.StartPartnerAsync();
        await using var other = await RecordingServer.StartAsync();
        other.Response = (401, "text/plain", "who are you");
        partner.ApiRedirect = (status, new Uri(other.BaseAddress, "/api/a"));
        await using var provider = GrantClient.Build(partner);

        using var response = await provider.Client().GetAsync("a");

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.NotEmpty(other.Requests);
        Assert.All(other.Requests, r => Assert.Equal(string.Empty, r.Authorization));
        Assert.Equal(1, partner.TokenRequests);        // a 401 from where the token was not sent is not a reason for a new one
    }

    /// <summary>A handler that is neither HttpClientHandler nor SocketsHttpHandler and hides the one it uses.</summary>
    private sealed class Opaque : HttpMessageHandler
    {
        private readonly HttpMessageInvoker _inner = new(new SocketsHttpHandler { AllowAutoRedirect = true });

        protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken) =>
            _inner.SendAsync(request, cancellationToken);

        protected override void Dispose(bool disposing)
        {
            _inner.Dispose();
            base.Dispose(disposing);
        }
    }

    private sealed class PassThrough(HttpMessageHandler inner) : DelegatingHandler(inner);
}
