using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;
using ScopeClaims.Http.Tests.Infrastructure;
using ScopeClaims.Testing.Partner;
using ScopeClaims.Tests.Shared;

namespace ScopeClaims.Http.Tests.Discovery;

/// <summary>Authority instead of TokenEndpoint: the token endpoint and the supported methods from RFC 8414 metadata.</summary>
public class AuthorityDiscoveryTests
{
    private const string WellKnown = "/.well-known/oauth-authorization-server";

    [Fact]
    public async Task GetAsync_JwtBearerGrantWithAuthority_UsesTheDiscoveredTokenEndpoint()
    {
        await using var partner = await FakePartners.StartAsync();
        await using var provider = FakePartners.Build(partner, b => b.AddJwtBearerGrant(o =>
        {
            o.Authority = partner.Address;
            o.Scopes = ScopeSet.Parse("read:a");
        }));

        using var response = await provider.Client().GetAsync("a");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(200, Assert.Single(partner.TokenRequests).StatusCode);   // the partner checked aud = its token endpoint
    }

    [Fact]
    public async Task GetAsync_ClientCredentialsWithPrivateKeyJwtAndAuthority_Works()
    {
        await using var partner = await FakePartners.StartClientCredentialsAsync(ClientAuthenticationMethod.PrivateKeyJwt);
        await using var provider = FakePartners.BuildClientCredentials(partner, ClientAuthenticationMethod.PrivateKeyJwt, o =>
        {
            o.TokenEndpoint = null;
            o.Authority = partner.Address;
        });

        using var response = await provider.Client().GetAsync("a");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        await FakePartners.ValidateClientAssertionAsync(Assert.Single(partner.TokenRequests).ClientAssertion!, partner.TokenEndpoint.AbsoluteUri);
    }

    [Fact]
    public async Task GetAsync_TokenExchangeWithAuthority_Works()
    {
        await using var partner = await FakePartners.StartTokenExchangeAsync(ClientAuthenticationMethod.ClientSecretPost, "subject-1");
        await using var provider = FakePartners.BuildTokenExchange(partner, ClientAuthenticationMethod.ClientSecretPost, o =>
        {
            o.TokenEndpoint = null;
            o.Authority = partner.Address;
        });

        using var response = await provider.Client().GetAsSubjectAsync("a", "subject-1");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Single(partner.TokenRequests);
    }

    [Fact]
    public async Task GetAsync_ServerWithoutPrivateKeyJwt_IsRefusedBeforeAnyTokenRequest()
    {
        await using var partner = await FakePartners.StartClientCredentialsAsync(ClientAuthenticationMethod.ClientSecretBasic);
        await using var provider = FakePartners.BuildClientCredentials(partner, ClientAuthenticationMethod.PrivateKeyJwt, o =>
        {
            o.TokenEndpoint = null;
            o.Authority = partner.Address;
        });

        var ex = await Assert.ThrowsAsync<AuthorityMetadataException>(() => provider.Client().GetAsync("a"));

        Assert.Contains("token_endpoint_auth_methods_supported does not name private_key_jwt", ex.Message, StringComparison.Ordinal);
        Assert.Equal(partner.Address, ex.Authority);
        Assert.Empty(partner.TokenRequests);
    }

    [Theory]
    [InlineData("client credentials", false)]
    [InlineData("client credentials", true)]
    [InlineData("token exchange", false)]
    [InlineData("token exchange", true)]
    public async Task GetAsync_PrivateKeyJwt_SignsOnlyWithAnAlgorithmTheServerLists(string grant, bool listed)
    {
        // token_endpoint_auth_signing_alg_values_supported (RFC 8414 §2): an assertion of an algorithm the server does not
        // list is not sent, since it would only come back as invalid_client.
        var exchange = grant == "token exchange";
        await using var partner = exchange
            ? await FakePartners.StartTokenExchangeAsync(ClientAuthenticationMethod.PrivateKeyJwt, "subject-1")
            : await FakePartners.StartClientCredentialsAsync(ClientAuthenticationMethod.PrivateKeyJwt);
        var algorithm = FakePartners.Key.Algorithm;
        var other = algorithm == "PS512" ? "ES512" : "PS512";
        var algorithms = listed ? $"\"{other}\",\"{algorithm}\"" : $"\"{other}\"";
        await using var server = await StartMetadataServerAsync((address, _) => (200, "application/json",
            $$"""{"issuer":"{{address.AbsoluteUri}}","token_endpoint":"{{partner.TokenEndpoint.AbsoluteUri}}","token_endpoint_auth_methods_supported":["private_key_jwt"],"token_endpoint_auth_signing_alg_values_supported":[{{algorithms}}]}"""));
        await using var provider = exchange
            ? FakePartners.BuildTokenExchange(partner, ClientAuthenticationMethod.PrivateKeyJwt, o => (o.TokenEndpoint, o.Authority) = (null, server.Address))
            : FakePartners.BuildClientCredentials(partner, ClientAuthenticationMethod.PrivateKeyJwt, o => (o.TokenEndpoint, o.Authority) = (null, server.Address));
        Task<HttpResponseMessage> Call() => exchange ? provider.Client().GetAsSubjectAsync("a", "subject-1") : provider.Client().GetAsync("a");

        if (listed)
        {
            using var response = await Call();
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            await FakePartners.ValidateClientAssertionAsync(Assert.Single(partner.TokenRequests).ClientAssertion!, partner.TokenEndpoint.AbsoluteUri);
            return;
        }

        var ex = await Assert.ThrowsAsync<InvalidOperationException>(Call);
        Assert.EndsWith($"signs with {algorithm}, which the authorization server's token_endpoint_auth_signing_alg_values_supported does not list ({other}); sign the client assertion with one of those.", ex.Message, StringComparison.Ordinal);
        Assert.Empty(partner.TokenRequests);
    }

    [Fact]
    public async Task GetAsync_ServerWithoutTheGrantType_IsRefused()
    {
        await using var partner = await FakePartners.StartAsync(o => o.ClientAuthentication = FakePartnerClientAuthentication.PrivateKeyJwt); // JWT-bearer only
        await using var provider = FakePartners.BuildClientCredentials(partner, ClientAuthenticationMethod.PrivateKeyJwt, o =>
        {
            o.TokenEndpoint = null;
            o.Authority = partner.Address;
        });

        var ex = await Assert.ThrowsAsync<AuthorityMetadataException>(() => provider.Client().GetAsync("a"));

        Assert.Contains("grant_types_supported does not name client_credentials", ex.Message, StringComparison.Ordinal);
    }

    public static TheoryData<string, string> BadMetadata => new()
    {
        { "issuer", "its issuer is not the configured Authority" },
        { "duplicate", "each member named once" },
        { "array", "not one JSON object" },
        { "http endpoint", "token_endpoint is missing, or not an absolute https URL" },
        { "no endpoint", "token_endpoint is missing" },
        { "html", "did not answer with application/json" },
        { "redirect", "answered with a redirect (HTTP 302)" },
        { "500", "answered HTTP 500" },
        { "404", "neither /.well-known/oauth-authorization-server (RFC 8414) nor /.well-known/openid-configuration exists" },
        { "basic only by default", "does not name client_secret_post" },
    };

    [Theory]
    [MemberData(nameof(BadMetadata))]
    public async Task GetAsync_BadMetadata_IsATypedFailureAndNothingIsCached(string bad, string expected)
    {
        await using var partner = await FakePartners.StartClientCredentialsAsync(ClientAuthenticationMethod.ClientSecretPost);
        var served = 0;
        await using var server = await StartMetadataServerAsync((address, path) =>
        {
            if (Interlocked.Increment(ref served) > 1 && bad != "404")
            {
                return Good(address, partner);   // the next request reads the metadata again, and it is fine now
            }

            var issuer = address.AbsoluteUri;
            var endpoint = partner.TokenEndpoint.AbsoluteUri;
            return bad switch
            {
                "issuer" => (200, "application/json", $$"""{"issuer":"https://elsewhere.example/","token_endpoint":"{{endpoint}}"}"""),
                "duplicate" => (200, "application/json", $$"""{"issuer":"{{issuer}}","token_endpoint":"{{endpoint}}","token_endpoint":"https://attacker.example/token"}"""),
                "array" => (200, "application/json", "[]"),
                "http endpoint" => (200, "application/json", $$"""{"issuer":"{{issuer}}","token_endpoint":"http://partner.example/token","token_endpoint_auth_methods_supported":["client_secret_post"]}"""),
                "no endpoint" => (200, "application/json", $$"""{"issuer":"{{issuer}}"}"""),
                "html" => (200, "text/html", "<html></html>"),
                "redirect" => (302, null, string.Empty),
                "500" => (500, "text/plain", "down"),
                "404" => (404, "text/plain", "not here"),
                _ => (200, "application/json", $$"""{"issuer":"{{issuer}}","token_endpoint":"{{endpoint}}"}"""),
            };
        });
        await using var provider = FakePartners.BuildClientCredentials(partner, ClientAuthenticationMethod.ClientSecretPost, o =>
        {
            o.TokenEndpoint = null;
            o.Authority = server.Address;
        });

        var ex = await Assert.ThrowsAsync<AuthorityMetadataException>(() => provider.Client().GetAsync("a"));

        Assert.Contains(expected, ex.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("attacker", ex.Message, StringComparison.Ordinal);
        Assert.Empty(partner.TokenRequests);
        if (bad != "404")
        {
            using var recovered = await provider.Client().GetAsync("a");
            Assert.Equal(HttpStatusCode.OK, recovered.StatusCode);
            Assert.Single(partner.TokenRequests);
        }
    }

    [Fact]
    public async Task GetAsync_NoRfc8414Document_FallsBackToOpenIdConfiguration()
    {
        await using var partner = await FakePartners.StartClientCredentialsAsync(ClientAuthenticationMethod.ClientSecretBasic);
        var paths = new List<string>();
        await using var server = await StartMetadataServerAsync((address, path) =>
        {
            lock (paths)
            {
                paths.Add(path);
            }

            return path == "/.well-known/openid-configuration" ? Good(address, partner) : (404, "text/plain", "no");
        });
        await using var provider = FakePartners.BuildClientCredentials(partner, ClientAuthenticationMethod.ClientSecretBasic, o =>
        {
            o.TokenEndpoint = null;
            o.Authority = server.Address;
        });

        using var response = await provider.Client().GetAsync("a");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal([WellKnown, "/.well-known/openid-configuration"], paths);
    }

    [Fact]
    public async Task GetAsync_1000ConcurrentFirstCalls_ReadTheMetadataOnceAndMakeOneTokenRequest()
    {
        await using var partner = await FakePartners.StartClientCredentialsAsync(ClientAuthenticationMethod.ClientSecretBasic);
        partner.FailNextTokenRequests(FakePartnerFailure.Slow(TimeSpan.FromMilliseconds(200))); // the token fetch too, as in every single-flight test
        var served = 0;
        await using var server = await StartMetadataServerAsync((address, _) =>
        {
            Interlocked.Increment(ref served);
            Thread.Sleep(200);   // so that callers pile up behind the one read
            return Good(address, partner);
        });
        await using var provider = FakePartners.BuildClientCredentials(partner, ClientAuthenticationMethod.ClientSecretBasic, o =>
        {
            o.TokenEndpoint = null;
            o.Authority = server.Address;
        }, services: s => s.AddHttpClient(FakePartners.Name).ConfigurePrimaryHttpMessageHandler(() => new SocketsHttpHandler { MaxConnectionsPerServer = 32 }));

        var statuses = await Concurrency.GetAllAtOnceAsync(provider.Client(), 1000);

        Assert.All(statuses, s => Assert.Equal(HttpStatusCode.OK, s));
        Assert.Equal(1, Volatile.Read(ref served));
        Assert.Single(partner.TokenRequests);
    }

    [Theory]
    [InlineData("both", "Authority and TokenEndpoint are both set")]
    [InlineData("http", "Authority must use https")]
    [InlineData("query", "Authority cannot have a query or a fragment")]
    public async Task HostStart_BadAuthority_FailsNamingTheOption(string bad, string expected)
    {
        var builder = Host.CreateApplicationBuilder();
        builder.Services.AddHttpClient("partner").AddClientCredentialsGrant(o =>
        {
            o.ClientId = "client";
            o.ClientSecret = "s3cret";
            o.Authority = bad switch
            {
                "http" => new Uri("http://sts.example/"),
                "query" => new Uri("https://sts.example/?tenant=1"),
                _ => new Uri("https://sts.example/"),
            };
            o.TokenEndpoint = bad == "both" ? new Uri("https://sts.example/token") : null;
        });
        using var host = builder.Build();

        var ex = await Assert.ThrowsAsync<OptionsValidationException>(() => host.StartAsync());

        Assert.Contains(ex.Failures, f => f.Contains("ClientCredentialsGrantOptions." + expected, StringComparison.Ordinal));
    }

    private static (int Status, string? ContentType, string Body) Good(Uri address, FakePartner partner) =>
        (200, "application/json", $$"""{"issuer":"{{address.AbsoluteUri}}","token_endpoint":"{{partner.TokenEndpoint.AbsoluteUri}}","token_endpoint_auth_methods_supported":["client_secret_basic","client_secret_post","private_key_jwt"],"grant_types_supported":["client_credentials"]}""");

    /// <summary>A server whose every GET answers what <paramref name="answer"/> says for its own address and the path.</summary>
    private static async Task<LoopbackServer> StartMetadataServerAsync(Func<Uri, string, (int Status, string? ContentType, string Body)> answer)
    {
        Uri? self = null;
        var server = await LoopbackServer.StartAsync(app => app.Run(async context =>
        {
            var (status, contentType, body) = answer(self!, context.Request.Path.Value ?? "/");
            context.Response.StatusCode = status;
            if (status is >= 300 and < 400)
            {
                context.Response.Headers.Location = "/elsewhere";
            }

            if (contentType is not null)
            {
                context.Response.ContentType = contentType;
            }

            await context.Response.WriteAsync(body);
        }));
        self = server.Address;
        return server;
    }
}
