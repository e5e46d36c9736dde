using System.Net;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;
using ScopeClaims.Http.Tests.Infrastructure;

namespace ScopeClaims.Http.Tests.ClientCredentials;

public class ClientCredentialsGrantOptionsTests
{
    [Fact]
    public void AddClientCredentialsGrant_NullArguments_Throw()
    {
        Assert.Throws<ArgumentNullException>("builder", () => ((IHttpClientBuilder)null!).AddClientCredentialsGrant(_ => { }));
        Assert.Throws<ArgumentNullException>("configure", () => new ServiceCollection().AddHttpClient("x").AddClientCredentialsGrant((Action<ClientCredentialsGrantOptions>)null!));
        Assert.Throws<ArgumentNullException>("configuration", () => new ServiceCollection().AddHttpClient("x").AddClientCredentialsGrant((IConfiguration)null!));
    }

    [Fact]
    public void AddClientCredentialsGrant_ClientWithTheJwtBearerGrant_IsRefused()
    {
        var builder = new ServiceCollection().AddHttpClient("x").AddJwtBearerGrant(_ => { });

        var ex = Assert.Throws<InvalidOperationException>(() => builder.AddClientCredentialsGrant(_ => { }));

        Assert.Contains("already has a grant", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void AddJwtBearerGrant_ClientWithTheClientCredentialsGrant_IsRefused()
    {
        var builder = new ServiceCollection().AddHttpClient("x").AddClientCredentialsGrant(_ => { });

        var ex = Assert.Throws<InvalidOperationException>(() => builder.AddJwtBearerGrant(_ => { }));

        Assert.Contains("already has a grant", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task AddClientCredentialsGrant_CalledTwice_AddsConfigurationNotASecondHandler()
    {
        await using var partner = await FakePartners.StartClientCredentialsAsync(ClientAuthenticationMethod.ClientSecretBasic);
        await using var provider = FakePartners.Build(partner, b => b
            .AddClientCredentialsGrant(o => o.TokenEndpoint = partner.TokenEndpoint)
            .AddClientCredentialsGrant(o =>
            {
                o.ClientId = FakePartners.ClientId;
                o.ClientSecret = FakePartners.Secret;
            }), profile: false);

        using var response = await provider.Client().GetAsync("a");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Single(partner.TokenRequests);
        Assert.StartsWith("Bearer ", Assert.Single(partner.ApiRequests).Authorization, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("none", "ClientCredentialsGrantOptions.ClientAuthentication cannot be None")]
    [InlineData("clientId", "ClientCredentialsGrantOptions.ClientId is required")]
    [InlineData("endpoint", "ClientCredentialsGrantOptions.TokenEndpoint must use https")]
    [InlineData("noEndpoint", "ClientCredentialsGrantOptions.TokenEndpoint is required")]
    [InlineData("secret", "ClientCredentialsGrantOptions.ClientSecret is required with ClientAuthentication ClientSecretBasic")]
    [InlineData("resource", "ClientCredentialsGrantOptions.Resource must be an absolute URI without a fragment")]
    [InlineData("fragment", "ClientCredentialsGrantOptions.Resource must be an absolute URI without a fragment")]
    [InlineData("audience", "ClientCredentialsGrantOptions.Audience is empty")]
    [InlineData("parameter", "ClientCredentialsGrantOptions.Parameters cannot set 'resource'")]
    [InlineData("grantType", "ClientCredentialsGrantOptions.Parameters cannot set 'grant_type'")]
    [InlineData("scopes", "ClientCredentialsGrantOptions.Scopes cannot be null")]
    [InlineData("timeout", "ClientCredentialsGrantOptions.TokenRequestTimeout must be positive")]
    [InlineData("noProfile", "ClientAuthentication PrivateKeyJwt needs a ScopeClaims token profile")]
    [InlineData("lifetime", "ClientCredentialsGrantOptions.ClientAssertion.Lifetime must be positive and at most 00:05:00")]
    public async Task HostStart_BadOptions_FailNamingTheOption(string problem, string expected)
    {
        var builder = Host.CreateApplicationBuilder();
        if (problem == "lifetime")
        {
            builder.Services.AddArrayScopeTokens(o =>
            {
                o.Issuer = FakePartners.ClientId;
                o.Audiences.Add("https://partner.example/token");
                o.SigningKey.Jwk = FakePartners.Key.ExportPrivateJwk();
            });
        }

        builder.Services.AddHttpClient("partner").AddClientCredentialsGrant(o =>
        {
            o.TokenEndpoint = new Uri("https://partner.example/token");
            o.ClientId = "client";
            o.ClientSecret = "s3cret";
            switch (problem)
            {
                case "none": o.ClientAuthentication = ClientAuthenticationMethod.None; o.ClientSecret = null; break;
                case "clientId": o.ClientId = null; break;
                case "endpoint": o.TokenEndpoint = new Uri("http://partner.example/token"); break;
                case "noEndpoint": o.TokenEndpoint = null; break;
                case "secret": o.ClientSecret = null; break;
                case "resource": o.Resource = new Uri("/api", UriKind.Relative); break;
                case "fragment": o.Resource = new Uri("https://api.example/#x"); break;
                case "audience": o.Audience = ""; break;
                case "parameter": o.Parameters["resource"] = "https://api.example/"; break;
                case "grantType": o.Parameters["grant_type"] = "password"; break;
                case "scopes": o.Scopes = null!; break;
                case "timeout": o.TokenRequestTimeout = TimeSpan.Zero; break;
                case "noProfile": o.ClientAuthentication = ClientAuthenticationMethod.PrivateKeyJwt; o.ClientSecret = null; break;
                case "lifetime": o.ClientAuthentication = ClientAuthenticationMethod.PrivateKeyJwt; o.ClientSecret = null; o.ClientAssertion.Lifetime = TimeSpan.FromHours(1); break;
            }
        });
        using var host = builder.Build();

        var ex = await Assert.ThrowsAsync<OptionsValidationException>(() => host.StartAsync());

        Assert.Contains(ex.Failures, f => f.Contains(expected, StringComparison.Ordinal));
        Assert.All(ex.Failures, f => Assert.DoesNotContain("JwtBearerGrantOptions.", f, StringComparison.Ordinal));
        Assert.All(ex.Failures, f => Assert.DoesNotContain("s3cret", f, StringComparison.Ordinal));
    }

    [Fact]
    public async Task HostStart_ValidSecretOptions_NeedNoScopeClaimsProfile()
    {
        var builder = Host.CreateApplicationBuilder();
        builder.Services.AddHttpClient("partner").AddClientCredentialsGrant(o =>
        {
            o.TokenEndpoint = new Uri("https://partner.example/token");
            o.ClientId = "client";
            o.ClientSecret = "s3cret";
        });
        using var host = builder.Build();

        await host.StartAsync();
        await host.StopAsync();
    }

    [Fact]
    public void Configuration_BindsEveryOption()
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Billing:TokenEndpoint"] = "https://login.billing.example/token",
            ["Billing:ClientId"] = "client-9",
            ["Billing:Scopes:0"] = "invoices:read",
            ["Billing:Scopes:1"] = "invoices:write",
            ["Billing:Resource"] = "https://api.billing.example/",
            ["Billing:Audience"] = "billing-api",
            ["Billing:ClientAuthentication"] = "privatekeyjwt",
            ["Billing:ClientAssertion:ProfileName"] = "signer",
            ["Billing:ClientAssertion:Audience"] = "https://login.billing.example",
            ["Billing:ClientAssertion:Lifetime"] = "00:00:45",
            ["Billing:Parameters:tenant"] = "t-1",
            ["Billing:RefreshBeforeExpiry"] = "00:00:30",
            ["Billing:DefaultTokenLifetime"] = "",
            ["Billing:TokenRequestTimeout"] = "00:00:05",
            ["Billing:RetryOnUnauthorized"] = "false",
            ["Billing:TokenClientName"] = "token-client",
        }).Build();
        var services = new ServiceCollection();
        services.AddHttpClient("partner").AddClientCredentialsGrant(configuration.GetSection("Billing"));
        using var provider = services.BuildServiceProvider();

        var options = new ClientCredentialsGrantOptions();
        foreach (var configure in provider.GetServices<IConfigureOptions<ClientCredentialsGrantOptions>>().OfType<IConfigureNamedOptions<ClientCredentialsGrantOptions>>())
        {
            configure.Configure("partner", options);
        }

        Assert.Equal(new Uri("https://login.billing.example/token"), options.TokenEndpoint);
        Assert.Equal("client-9", options.ClientId);
        Assert.Equal(ScopeSet.Parse("invoices:read invoices:write"), options.Scopes);
        Assert.Equal(new Uri("https://api.billing.example/"), options.Resource);
        Assert.Equal("billing-api", options.Audience);
        Assert.Equal(ClientAuthenticationMethod.PrivateKeyJwt, options.ClientAuthentication);
        Assert.Equal("signer", options.ClientAssertion.ProfileName);
        Assert.Equal("https://login.billing.example", options.ClientAssertion.Audience);
        Assert.Equal(TimeSpan.FromSeconds(45), options.ClientAssertion.Lifetime);
        Assert.Equal("t-1", options.Parameters["tenant"]);
        Assert.Equal(TimeSpan.FromSeconds(30), options.RefreshBeforeExpiry);
        Assert.Null(options.DefaultTokenLifetime);
        Assert.Equal(TimeSpan.FromSeconds(5), options.TokenRequestTimeout);
        Assert.False(options.RetryOnUnauthorized);
        Assert.Equal("token-client", options.TokenClientName);
    }

    [Fact]
    public async Task HostStart_ValuesThatDoNotParse_FailListingEachPath()
    {
        var builder = Host.CreateApplicationBuilder();
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Billing:TokenEndpoint"] = "/token",
            ["Billing:Resource"] = "api",
            ["Billing:ClientAuthentication"] = "2",
            ["Billing:ClientAssertion:Lifetime"] = "a minute",
            ["Billing:Scopes"] = "read\twrite",
        });
        builder.Services.AddHttpClient("partner").AddClientCredentialsGrant(builder.Configuration.GetSection("Billing"));
        using var host = builder.Build();

        var ex = await Assert.ThrowsAsync<OptionsValidationException>(() => host.StartAsync());

        string[] expected =
        [
            "'Billing:TokenEndpoint' is not an absolute http or https URL",
            "'Billing:Resource' is not an absolute http or https URL",
            "'Billing:ClientAuthentication' is not None, ClientSecretBasic, ClientSecretPost or PrivateKeyJwt",
            "'Billing:ClientAssertion:Lifetime' is not a time span",
            "'Billing:Scopes' is not a valid set of scopes",
        ];
        foreach (var failure in expected)
        {
            Assert.Contains(ex.Failures, f => f.Contains(failure, StringComparison.Ordinal));
        }
    }
}
