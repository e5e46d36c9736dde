using System.Net;
using System.Net.Http.Headers;
using System.Text.Json;
using Microsoft.AspNetCore.Authentication.JwtBearer;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Protocols;
using Microsoft.IdentityModel.Protocols.OpenIdConnect;
using Microsoft.IdentityModel.Tokens;

namespace ScopeClaims.AspNetCore.Tests.Metadata;

public class ScopeTokenMetadataEndpointsTests
{
    private const string OurIssuer = "https://issuer.test";
    private const string PartnerAudience = "https://partner.test";

    private static readonly string[] PrivateParameters = { "d", "p", "q", "dp", "dq", "qi", "k", "oth" };

    [Fact]
    public async Task MapScopeTokenJwks_ServesPublicKeysThatVerifyOurTokens()
    {
        var keys = new SigningKeySet(TokenSigningKey.Generate(SecurityAlgorithms.EcdsaSha256, "ours-1"));
        await using var app = await StartIssuerAsync(keys, app => app.MapScopeTokenJwks("/.well-known/jwks.json"));
        var token = app.Services.GetRequiredService<IScopeTokenIssuer>().Issue(ScopeSet.Parse("read:a"));

        using var response = await app.Client.GetAsync(new Uri("/.well-known/jwks.json", UriKind.Relative));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("application/json", response.Content.Headers.ContentType?.MediaType);
        Assert.True(response.Headers.CacheControl is { Public: true, MaxAge.TotalSeconds: 300, Private: false, NoStore: false });
        var json = await response.Content.ReadAsStringAsync();
        AssertNoPrivateMaterial(json);
        Assert.True(await ValidateAsync(token, new JsonWebKeySet(json).GetSigningKeys()));
    }

    [Fact]
    public async Task MapScopeTokenJwks_AfterRotation_ServesBothKeys()
    {
        var keys = new SigningKeySet(TokenSigningKey.Generate(SecurityAlgorithms.RsaSha256, "ours-1"));
        await using var app = await StartIssuerAsync(keys, app => app.MapScopeTokenJwks());
        var issuer = app.Services.GetRequiredService<IScopeTokenIssuer>();
        var before = issuer.Issue(ScopeSet.Parse("read:a"));

        keys.Rotate(TokenSigningKey.Generate(SecurityAlgorithms.EcdsaSha256, "ours-2"));
        var after = issuer.Issue(ScopeSet.Parse("read:a"));
        var set = new JsonWebKeySet(await app.Client.GetStringAsync(new Uri(ScopeTokenMetadataEndpointRouteBuilderExtensions.DefaultJwksPattern, UriKind.Relative)));

        Assert.Equal(new[] { "ours-2", "ours-1" }, set.Keys.Select(k => k.Kid));
        Assert.True(await ValidateAsync(before, set.GetSigningKeys()));
        Assert.True(await ValidateAsync(after, set.GetSigningKeys()));
    }

    [Fact]
    public async Task MapScopeTokenJwks_NamedProfile_ServesThatProfilesKeys()
    {
        var defaultKeys = new SigningKeySet(TokenSigningKey.Generate(SecurityAlgorithms.EcdsaSha256, "default-1"));
        var partnerKeys = new SigningKeySet(TokenSigningKey.Generate(SecurityAlgorithms.EcdsaSha256, "partner-1"));
        await using var app = await StartIssuerAsync(
            defaultKeys,
            app => app.MapScopeTokenJwks("/partner/jwks.json", "partner"),
            services => services.AddScopeTokens("partner", ScopeFormat.SpaceDelimited, o =>
            {
                o.Issuer = OurIssuer;
                o.Audiences.Add(PartnerAudience);
                o.SigningKeys = partnerKeys;
            }));

        var set = new JsonWebKeySet(await app.Client.GetStringAsync(new Uri("/partner/jwks.json", UriKind.Relative)));

        Assert.Equal("partner-1", Assert.Single(set.Keys).Kid);
    }

    [Fact]
    public async Task MapScopeTokenMetadata_DiscoveryDocument_PointsAStandardValidatorAtOurKeys()
    {
        var keys = new SigningKeySet(TokenSigningKey.Generate(SecurityAlgorithms.EcdsaSha256, "ours-1"));
        await using var app = await StartIssuerAsync(keys, app => app.MapGroup("/tenant").MapScopeTokenMetadata());
        var token = app.Services.GetRequiredService<IScopeTokenIssuer>().Issue(ScopeSet.Parse("read:a write:b"));

        using var response = await app.Client.GetAsync(new Uri("/tenant/.well-known/openid-configuration", UriKind.Relative));
        using var document = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        var manager = new ConfigurationManager<OpenIdConnectConfiguration>(
            new Uri(app.Address, "/tenant/.well-known/openid-configuration").ToString(),
            new OpenIdConnectConfigurationRetriever(),
            new HttpDocumentRetriever { RequireHttps = false });
        var configuration = await manager.GetConfigurationAsync(CancellationToken.None);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("application/json", response.Content.Headers.ContentType?.MediaType);
        Assert.True(response.Headers.CacheControl is { Public: true, MaxAge.TotalSeconds: 300 });
        Assert.Equal(new[] { "issuer", "jwks_uri" }, document.RootElement.EnumerateObject().Select(p => p.Name));
        Assert.Equal(OurIssuer, configuration.Issuer);
        Assert.Equal(new Uri(app.Address, "/tenant/.well-known/jwks.json").ToString(), configuration.JwksUri);
        Assert.True(await ValidateAsync(token, configuration.SigningKeys));
    }

    [Theory]
    [InlineData("/.well-known/openid-configuration", "/.well-known/jwks.json")]
    [InlineData("/.well-known/openid-configuration/", "/.well-known/jwks.json")]
    [InlineData("/a/b/.well-known/openid-configuration", "/a/b/.well-known/jwks.json")]
    public async Task MapScopeTokenMetadata_JwksUri_IsBesideTheDiscoveryDocument(string discovery, string jwks)
    {
        var keys = new SigningKeySet(TokenSigningKey.Generate(SecurityAlgorithms.EcdsaSha256));
        await using var app = await StartIssuerAsync(keys, app =>
        {
            app.MapScopeTokenMetadata();
            app.MapGroup("/a/b").MapScopeTokenMetadata();
        });

        using var document = JsonDocument.Parse(await app.Client.GetStringAsync(new Uri(discovery, UriKind.Relative)));
        var jwksUri = new Uri(document.RootElement.GetProperty("jwks_uri").GetString()!);

        Assert.Equal(new Uri(app.Address, jwks), jwksUri);
        AssertNoPrivateMaterial(await app.Client.GetStringAsync(jwksUri));
    }

    [Fact]
    public async Task MapScopeTokenMetadata_PartnerJwtBearerWithAuthority_AcceptsOurTokens()
    {
        var keys = new SigningKeySet(TokenSigningKey.Generate(SecurityAlgorithms.RsaSha256, "ours-1"));
        await using var issuerApp = await StartIssuerAsync(keys, app => app.MapScopeTokenMetadata());
        var issuer = issuerApp.Services.GetRequiredService<IScopeTokenIssuer>();

        // The partner's API: plain JwtBearer pointed at our discovery document, plus scope normalization.
        await using var partner = await KestrelApp.StartAsync(
            builder =>
            {
                builder.Services.AddAuthorization();
                builder.Services.AddAuthentication(JwtBearerDefaults.AuthenticationScheme)
                    .AddJwtBearer(o =>
                    {
                        o.Authority = issuerApp.Address.ToString();
                        o.RequireHttpsMetadata = false;
                        o.Audience = PartnerAudience;
                    })
                    .AddScopeNormalization();
            },
            app =>
            {
                app.UseAuthentication();
                app.UseAuthorization();
                app.MapGet("/orders", () => "ok").RequireScope("read:a");
            });

        using var granted = await SendAsync(partner, issuer.Issue(ScopeSet.Parse("read:a")));
        using var forbidden = await SendAsync(partner, issuer.Issue(ScopeSet.Parse("write:b")));
        using var forged = await SendAsync(partner, new ScopeTokenIssuer(Options("https://issuer.test", new SigningKeySet(TokenSigningKey.Generate(SecurityAlgorithms.RsaSha256, "ours-1")))).Issue(ScopeSet.Parse("read:a")));

        Assert.Equal(HttpStatusCode.OK, granted.StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, forbidden.StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, forged.StatusCode);
    }

    [Fact]
    public async Task MapScopeTokenJwks_NoTokenProfile_FailsWhenMapped()
    {
        var ex = await Assert.ThrowsAsync<InvalidOperationException>(() => KestrelApp.StartAsync(_ => { }, app => app.MapScopeTokenJwks()));

        Assert.Contains("AddArrayScopeTokens", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task MapScopeTokenJwks_HmacProfile_FailsWhenMapped()
    {
        var ex = await Assert.ThrowsAsync<InvalidOperationException>(() =>
            StartIssuerAsync(new SigningKeySet(TokenSigningKey.Generate(SecurityAlgorithms.HmacSha256)), app => app.MapScopeTokenMetadata()));

        Assert.Contains("HMAC", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task MapScopeTokenJwks_UnknownProfile_FailsWhenMapped()
    {
        var keys = new SigningKeySet(TokenSigningKey.Generate(SecurityAlgorithms.EcdsaSha256));

        await Assert.ThrowsAsync<OptionsValidationException>(() => StartIssuerAsync(keys, app => app.MapScopeTokenJwks("/jwks", "missing")));
    }

    [Fact]
    public void MapScopeTokenJwksAndMetadata_NullOrBlankArguments_Throw()
    {
        Assert.Throws<ArgumentNullException>("endpoints", () => ScopeTokenMetadataEndpointRouteBuilderExtensions.MapScopeTokenJwks(null!));
        Assert.Throws<ArgumentNullException>("endpoints", () => ScopeTokenMetadataEndpointRouteBuilderExtensions.MapScopeTokenMetadata(null!));
        var app = WebApplication.CreateSlimBuilder().Build();
        Assert.Throws<ArgumentNullException>("pattern", () => app.MapScopeTokenJwks(null!));
        Assert.Throws<ArgumentException>("pattern", () => app.MapScopeTokenJwks(" "));
    }

    internal static void AssertNoPrivateMaterial(string jwks)
    {
        using var document = JsonDocument.Parse(jwks);
        foreach (var key in document.RootElement.GetProperty("keys").EnumerateArray())
        {
            Assert.DoesNotContain(key.EnumerateObject(), p => PrivateParameters.Contains(p.Name));
            Assert.NotEqual("oct", key.GetProperty("kty").GetString());
        }
    }

    private static ScopeTokenOptions Options(string issuer, SigningKeySet keys)
    {
        var options = new ScopeTokenOptions { Issuer = issuer, SigningKeys = keys };
        options.Audiences.Add(PartnerAudience);
        return options;
    }

    private static Task<KestrelApp> StartIssuerAsync(SigningKeySet keys, Action<WebApplication> map, Action<IServiceCollection>? more = null) =>
        KestrelApp.StartAsync(
            builder =>
            {
                builder.Services.AddArrayScopeTokens(o =>
                {
                    o.Issuer = OurIssuer;
                    o.Audiences.Add(PartnerAudience);
                    o.SigningKeys = keys;
                });
                more?.Invoke(builder.Services);
            },
            map);

    private static async Task<bool> ValidateAsync(string token, IEnumerable<SecurityKey> keys)
    {
        var result = await new JsonWebTokenHandler().ValidateTokenAsync(token, new TokenValidationParameters
        {
            ValidIssuer = OurIssuer,
            ValidAudience = PartnerAudience,
            IssuerSigningKeys = keys,
            ValidAlgorithms = TokenSigningAlgorithms.All,
        });
        return result.IsValid;
    }

    private static Task<HttpResponseMessage> SendAsync(KestrelApp app, string token)
    {
        var request = new HttpRequestMessage(HttpMethod.Get, "/orders");
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        return app.Client.SendAsync(request);
    }
}
