using System.Net;
using System.Text.Json;
using Microsoft.AspNetCore.RateLimiting;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using static ScopeClaims.AspNetCore.Tests.TokenExchange.ExchangeHost;

namespace ScopeClaims.AspNetCore.Tests.TokenExchange;

/// <summary>Rate limiting, discovery, and the refusals at start-up.</summary>
public class TokenExchangeHostingTests
{
    [Fact]
    public async Task Post_RateLimiterPolicy_RequestsOverThePermitLimitGet429()
    {
        await using var host = await StartAsync(
            o => o.RateLimiterPolicy = "token",
            services: b => b.Services.AddRateLimiter(r =>
            {
                r.RejectionStatusCode = StatusCodes.Status429TooManyRequests;
                r.AddFixedWindowLimiter("token", l =>
                {
                    l.PermitLimit = 2;
                    l.Window = TimeSpan.FromHours(1);
                    l.QueueLimit = 0;
                });
            }),
            map: app => app.UseRateLimiter());

        var statuses = new List<HttpStatusCode>();
        for (var i = 0; i < 4; i++)
        {
            using var response = await host.ExchangeAsync(Exchange(Subject()));
            statuses.Add(response.StatusCode);
        }

        Assert.Equal([HttpStatusCode.OK, HttpStatusCode.OK, HttpStatusCode.TooManyRequests, HttpStatusCode.TooManyRequests], statuses);
    }

    [Fact]
    public async Task Discovery_EndpointMapped_AdvertisesTokenEndpointGrantAndAuthMethods()
    {
        await using var host = await StartAsync(o => o.TokenEndpoint = new Uri("https://issuer.test/oauth2/token"));

        var json = JsonDocument.Parse(await host.Client.GetStringAsync(new Uri(".well-known/openid-configuration", UriKind.Relative))).RootElement;

        Assert.Equal(OurIssuer, json.GetProperty("issuer").GetString());
        Assert.Equal("https://issuer.test/oauth2/token", json.GetProperty("token_endpoint").GetString());
        Assert.Equal([TokenExchangeGrant], json.GetProperty("grant_types_supported").EnumerateArray().Select(e => e.GetString()));
        Assert.Equal(["client_secret_basic", "client_secret_post", "private_key_jwt"], json.GetProperty("token_endpoint_auth_methods_supported").EnumerateArray().Select(e => e.GetString()));
        Assert.Contains("ES256", json.GetProperty("token_endpoint_auth_signing_alg_values_supported").EnumerateArray().Select(e => e.GetString()));
    }

    [Fact]
    public async Task Discovery_TokenEndpointNotConfigured_AdvertisesNoneOfItWhateverTheHostHeader()
    {
        await using var host = await StartAsync();
        using var request = new HttpRequestMessage(HttpMethod.Get, new Uri(".well-known/openid-configuration", UriKind.Relative));
        request.Headers.Host = "attacker.test";

        using var response = await host.Client.SendAsync(request);
        var json = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement;

        Assert.False(json.TryGetProperty("token_endpoint", out _));
        Assert.False(json.TryGetProperty("grant_types_supported", out _));
    }

    [Fact]
    public async Task Discovery_ConfiguredTokenEndpointAndAnonymous_AdvertisesThem()
    {
        await using var host = await StartAsync(o =>
        {
            o.TokenEndpoint = new Uri("https://api.test/oauth2/token");
            TokenExchangeSuccessTests.Anonymous(o);
            o.Clients.RemoveAt(1);
        });

        var json = JsonDocument.Parse(await host.Client.GetStringAsync(new Uri(".well-known/openid-configuration", UriKind.Relative))).RootElement;

        Assert.Equal("https://api.test/oauth2/token", json.GetProperty("token_endpoint").GetString());
        Assert.Equal(["client_secret_basic", "client_secret_post", "none"], json.GetProperty("token_endpoint_auth_methods_supported").EnumerateArray().Select(e => e.GetString()));
        Assert.False(json.TryGetProperty("token_endpoint_auth_signing_alg_values_supported", out _));
    }

    [Fact]
    public async Task Discovery_EndpointNotMapped_HoldsIssuerAndJwksOnly()
    {
        await using var app = await KestrelApp.StartAsync(
            b => b.Services.AddArrayScopeTokens(o =>
            {
                o.Issuer = OurIssuer;
                o.Audiences.Add(Partner);
                o.SigningKeys = new SigningKeySet(OurKey);
            }),
            a => a.MapScopeTokenMetadata());

        var json = JsonDocument.Parse(await app.Client.GetStringAsync(new Uri(".well-known/openid-configuration", UriKind.Relative))).RootElement;

        Assert.Equal(["issuer", "jwks_uri"], json.EnumerateObject().Select(p => p.Name));
    }

    [Fact]
    public async Task Start_AnonymousWithoutAllowlists_FailsNamingBoth()
    {
        var ex = await Assert.ThrowsAsync<OptionsValidationException>(() => StartAsync(o => o.AllowAnonymousClients = true));

        Assert.Contains("TokenExchangeOptions.AnonymousAllowedAudiences needs at least one audience, none blank, when AllowAnonymousClients is on.", ex.Failures);
        Assert.Contains("TokenExchangeOptions.AnonymousAllowedScopes needs at least one scope when AllowAnonymousClients is on.", ex.Failures);
    }

    [Fact]
    public async Task Start_AnonymousAllowlistsWithoutTheOptIn_Fails()
    {
        var ex = await Assert.ThrowsAsync<OptionsValidationException>(() => StartAsync(o => o.AnonymousAllowedScopes.Add("read")));

        Assert.Contains("TokenExchangeOptions.AnonymousAllowedAudiences and AnonymousAllowedScopes are set but AllowAnonymousClients is off; turn it on or clear them.", ex.Failures);
    }

    [Fact]
    public async Task Start_AnonymousAudienceNoTargetHas_Fails()
    {
        var ex = await Assert.ThrowsAsync<InvalidOperationException>(() => StartAsync(o =>
        {
            TokenExchangeSuccessTests.Anonymous(o);
            o.AnonymousAllowedAudiences.Add("https://nowhere.test");
        }));

        Assert.Equal("TokenExchangeOptions.AnonymousAllowedAudiences holds the audience 'https://nowhere.test', which no target profile of the token-exchange endpoint has.", ex.Message);
    }

    [Fact]
    public async Task Start_NoClientsAndNoAnonymousOptIn_FailsListingTheProblem()
    {
        var ex = await Assert.ThrowsAsync<OptionsValidationException>(() => StartAsync(o => o.Clients.Clear()));

        Assert.Contains("TokenExchangeOptions.Clients is empty and AllowAnonymousClients is off", ex.Message, StringComparison.Ordinal);
    }

    public static TheoryData<Action<TokenExchangeClient>, string> BadClients => new()
    {
        { c => c.ClientId = null, "TokenExchangeOptions.Clients[0].ClientId is required, without control characters or ':'." },
        { c => c.ClientId = "a:b", "TokenExchangeOptions.Clients[0].ClientId is required, without control characters or ':'." },
        { c => c.JwksJson = "{\"keys\":[]}", "TokenExchangeOptions.Clients[0] needs exactly one credential: SecretHash (client_secret_basic/post) or JwksJson (private_key_jwt)." },
        { c => c.SecretHash = "plain-text-secret", "TokenExchangeOptions.Clients[0].SecretHash is not a hash made by TokenExchangeClientSecret.Hash (hmac-sha256$salt$hash)." },
        { c => c.SecretHash = "pbkdf2-sha256$100000$AAAAAAAAAAAAAAAAAAAAAA==$AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=", "TokenExchangeOptions.Clients[0].SecretHash is not a hash made by TokenExchangeClientSecret.Hash (hmac-sha256$salt$hash)." },
        { c => c.SecretHash = "hmac-sha256$AAAA$AAAA", "TokenExchangeOptions.Clients[0].SecretHash does not hold a base64 salt of 16 bytes and a base64 hash of 32 bytes." },
        { c => c.AllowedScopes.Clear(), "TokenExchangeOptions.Clients[0].AllowedScopes needs at least one scope." },
        { c => c.AllowedAudiences.Clear(), "TokenExchangeOptions.Clients[0].AllowedAudiences needs at least one audience, none blank." },
    };

    [Theory]
    [MemberData(nameof(BadClients))]
    public async Task Start_InvalidClient_FailsNamingTheOption(Action<TokenExchangeClient> spoil, string message)
    {
        var ex = await Assert.ThrowsAsync<OptionsValidationException>(() => StartAsync(o => spoil(o.Clients[0])));

        Assert.Contains(message, ex.Failures);
    }

    [Fact]
    public async Task Start_KeyClientJwksWithPrivateKeyOrWeakKey_Fails()
    {
        var withPrivate = await Assert.ThrowsAsync<OptionsValidationException>(() => StartAsync(o => o.Clients[1].JwksJson = Microsoft.IdentityModel.Tokens.JsonWebKeyConverter.ConvertFromRSASecurityKey((Microsoft.IdentityModel.Tokens.RsaSecurityKey)ClientKey.Key) is var jwk ? "{\"keys\":[" + JsonSerializer.Serialize(new { kty = "RSA", n = jwk.N, e = jwk.E, d = jwk.D }) + "]}" : ""));
        Assert.Contains(withPrivate.Failures, f => f.StartsWith("TokenExchangeOptions.Clients[1].JwksJson is refused:", StringComparison.Ordinal));
        Assert.DoesNotContain(((Microsoft.IdentityModel.Tokens.RsaSecurityKey)ClientKey.Key).Rsa?.ExportParameters(false).Modulus is { } m ? Microsoft.IdentityModel.Tokens.Base64UrlEncoder.Encode(m)[..20] : "never", withPrivate.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Start_BadLimits_FailsListingEveryProblem()
    {
        var ex = await Assert.ThrowsAsync<OptionsValidationException>(() => StartAsync(o =>
        {
            o.MaxRequestBodySize = 10;
            o.TokenEndpoint = new Uri("ftp://api.test/token");
            o.MaxClientAssertionLifetime = TimeSpan.FromDays(1);
            o.ClockSkew = TimeSpan.FromHours(1);
            o.RateLimiterPolicy = " ";
        }));

        Assert.Equal(5, ex.Failures.Count());
    }

    [Fact]
    public async Task Map_ClientAllowedAnAudienceNoTargetHas_FailsAtStart()
    {
        var ex = await Assert.ThrowsAsync<InvalidOperationException>(() => StartAsync(o => o.Clients[0].AllowedAudiences.Add("https://typo.test")));

        Assert.Equal("The client 'billing-service' is allowed the audience 'https://typo.test', which no target profile of the token-exchange endpoint has.", ex.Message);
    }

    [Fact]
    public async Task Map_WithoutAddTokenExchange_FailsAtStart()
    {
        var ex = await Assert.ThrowsAsync<InvalidOperationException>(() => KestrelApp.StartAsync(_ => { }, a => a.MapTokenExchange()));

        Assert.StartsWith("The token-exchange endpoint needs builder.Services.AddTokenExchange(...)", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Extensions_NullArguments_Throw()
    {
        Assert.Throws<ArgumentNullException>(() => TokenExchangeServiceCollectionExtensions.AddTokenExchange(null!, _ => { }));
        Assert.Throws<ArgumentNullException>(() => new ServiceCollection().AddTokenExchange(null!));
        Assert.Throws<ArgumentNullException>(() => TokenExchangeEndpointRouteBuilderExtensions.MapTokenExchange(null!));
    }
}
