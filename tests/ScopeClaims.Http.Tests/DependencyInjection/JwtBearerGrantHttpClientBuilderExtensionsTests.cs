using System.Net;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;
using ScopeClaims.Http.Tests.Infrastructure;

namespace ScopeClaims.Http.Tests.DependencyInjection;

public class JwtBearerGrantHttpClientBuilderExtensionsTests
{
    [Fact]
    public void AddJwtBearerGrant_NullArguments_Throw()
    {
        var builder = new ServiceCollection().AddHttpClient("x");

        Assert.Throws<ArgumentNullException>("builder", () => JwtBearerGrantHttpClientBuilderExtensions.AddJwtBearerGrant(null!, _ => { }));
        Assert.Throws<ArgumentNullException>("configure", () => builder.AddJwtBearerGrant((Action<JwtBearerGrantOptions>)null!));
    }

    [Fact]
    public async Task HostStart_InvalidOptions_FailsListingEveryProblem()
    {
        var builder = Host.CreateApplicationBuilder();
        builder.Services.AddArrayScopeTokens(o =>
        {
            o.Issuer = "client";
            o.Audiences.Add("https://partner.example/token");
            o.SigningKeys = GrantClient.Keys;
        });
        builder.Services.AddHttpClient("partner").AddJwtBearerGrant(o =>
        {
            o.TokenEndpoint = new Uri("http://partner.example/token");
            o.ClientId = " ";
            o.ClientSecret = "secret";
            o.AssertionLifetime = TimeSpan.FromHours(2);
            o.RefreshBeforeExpiry = TimeSpan.FromSeconds(-1);
            o.DefaultTokenLifetime = TimeSpan.Zero;
            o.TokenRequestTimeout = TimeSpan.Zero;
            o.Parameters["grant_type"] = "client_credentials";
            o.TokenClientName = "partner";
        });
        using var host = builder.Build();

        var ex = await Assert.ThrowsAsync<OptionsValidationException>(() => host.StartAsync());

        string[] expected =
        [
            "TokenEndpoint must use https",
            "ClientId is empty",
            "ClientSecret is set but ClientAuthentication is None",
            "AssertionLifetime (02:00:00) exceeds ScopeTokenOptions.MaxLifetime",
            "RefreshBeforeExpiry cannot be negative",
            "DefaultTokenLifetime must be positive",
            "TokenRequestTimeout must be positive",
            "Parameters cannot set 'grant_type'",
            "TokenClientName cannot be the client's own name",
        ];
        foreach (var text in expected)
        {
            Assert.Contains(ex.Failures, f => f.Contains(text, StringComparison.Ordinal) && f.Contains("HttpClient 'partner'", StringComparison.Ordinal));
        }

        Assert.Equal(expected.Length, ex.Failures.Count());
    }

    [Theory]
    [InlineData(null, "TokenEndpoint is required")]
    [InlineData("/relative/token", "TokenEndpoint must be an absolute URL")]
    [InlineData("https://partner.example/token#x", "cannot have a fragment")]
    [InlineData("ftp://partner.example/token", "must use https")]
    [InlineData("https://client:s3cret@partner.example/token", "must not carry user info")]
    [InlineData("http://localhost:5000/token", null)]
    [InlineData("http://127.0.0.1:5000/token", null)]
    [InlineData("http://[::1]:5000/token", null)]
    [InlineData("https://partner.example/token", null)]
    public void Validate_TokenEndpoint_RequiresAbsoluteHttpsOrLoopback(string? endpoint, string? failure)
    {
        var services = Services(o => o.TokenEndpoint = endpoint is null ? null : new Uri(endpoint, UriKind.RelativeOrAbsolute));
        using var provider = services.BuildServiceProvider();
        var monitor = provider.GetRequiredService<IOptionsMonitor<JwtBearerGrantOptions>>();

        if (failure is null)
        {
            Assert.NotNull(monitor.Get("partner"));
        }
        else
        {
            var ex = Assert.Throws<OptionsValidationException>(() => monitor.Get("partner"));
            Assert.Contains(ex.Failures, f => f.Contains(failure, StringComparison.Ordinal));
        }
    }

    [Fact]
    public void Validate_TokenEndpointWithUserInfo_IsRefusedWithoutRepeatingIt()
    {
        // HttpClient does not send user info as credentials, and the endpoint is logged: a secret there would only leak.
        using var provider = Services(o => o.TokenEndpoint = new Uri("https://client:s3cret-value@partner.example/token")).BuildServiceProvider();

        var ex = Assert.Throws<OptionsValidationException>(() => provider.GetRequiredService<IOptionsMonitor<JwtBearerGrantOptions>>().Get("partner"));

        Assert.Contains(ex.Failures, f => f.Contains("must not carry user info", StringComparison.Ordinal));
        Assert.DoesNotContain("s3cret-value", ex.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(ClientAuthenticationMethod.ClientSecretBasic, null, "ClientSecret is required with ClientAuthentication ClientSecretBasic")]
    [InlineData(ClientAuthenticationMethod.ClientSecretPost, "", "ClientSecret is required with ClientAuthentication ClientSecretPost")]
    [InlineData((ClientAuthenticationMethod)7, null, "ClientAuthentication '7' is not one of")]
    public void Validate_ClientAuthentication_NeedsItsSecret(ClientAuthenticationMethod method, string? secret, string failure)
    {
        using var provider = Services(o =>
        {
            o.ClientAuthentication = method;
            o.ClientSecret = secret;
        }).BuildServiceProvider();

        var ex = Assert.Throws<OptionsValidationException>(() => provider.GetRequiredService<IOptionsMonitor<JwtBearerGrantOptions>>().Get("partner"));

        Assert.Contains(ex.Failures, f => f.Contains(failure, StringComparison.Ordinal));
    }

    [Fact]
    public void Validate_NoScopeClaimsProfile_SaysToRegisterOne()
    {
        var services = new ServiceCollection();
        services.AddHttpClient("partner").AddJwtBearerGrant(o => o.TokenEndpoint = new Uri("https://partner.example/token"));
        using var provider = services.BuildServiceProvider();

        var ex = Assert.Throws<OptionsValidationException>(() => provider.GetRequiredService<IOptionsMonitor<JwtBearerGrantOptions>>().Get("partner"));

        Assert.Contains(ex.Failures, f => f.Contains("call services.AddArrayScopeTokens", StringComparison.Ordinal));
    }

    [Fact]
    public void Validate_UnknownProfileName_ReportsTheProfileProblems()
    {
        using var provider = Services(o => o.ProfileName = "missing").BuildServiceProvider();

        var ex = Assert.Throws<OptionsValidationException>(() => provider.GetRequiredService<IOptionsMonitor<JwtBearerGrantOptions>>().Get("partner"));

        Assert.Contains(ex.Failures, f => f.Contains("profile 'missing', which is not a valid ScopeClaims profile", StringComparison.Ordinal) && f.Contains("ScopeTokenOptions.Issuer is required", StringComparison.Ordinal));
    }

    [Fact]
    public async Task GetAsync_InvalidOptionsWithoutAHost_FailsOnTheFirstRequest()
    {
        using var provider = Services(o => o.TokenEndpoint = null).BuildServiceProvider();

        var ex = await Assert.ThrowsAsync<OptionsValidationException>(() => provider.GetRequiredService<IHttpClientFactory>().CreateClient("partner").GetAsync("https://api.partner.example/"));

        Assert.Contains(ex.Failures, f => f.Contains("TokenEndpoint is required", StringComparison.Ordinal));
    }

    [Fact]
    public async Task AddJwtBearerGrant_CalledTwice_AddsConfigurationNotASecondHandler()
    {
        await using var partner = await GrantClient.StartPartnerAsync();
        await using var provider = GrantClient.Build(partner, services: s => s.AddHttpClient(GrantClient.Name).AddJwtBearerGrant(o => o.Scopes = ScopeSet.Parse("read:msg")));

        using var response = await provider.Client().GetAsync("a");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode); // the API refuses a request with two Authorization headers
        Assert.Equal("read:msg", partner.LastForm["scope"]);
        Assert.Equal(1, partner.TokenRequests);
        Assert.Single(provider.GetServices<Microsoft.Extensions.Caching.Hybrid.HybridCache>());
    }

    [Fact]
    public async Task AddJwtBearerGrant_UserHybridCacheAndTimeProvider_AreKept()
    {
        await using var partner = await GrantClient.StartPartnerAsync();
        var time = new Microsoft.Extensions.Time.Testing.FakeTimeProvider(DateTimeOffset.UtcNow);
        await using var provider = GrantClient.Build(partner, services: s =>
        {
            s.AddSingleton<TimeProvider>(time);
            s.AddHybridCache(o => o.MaximumKeyLength = 2048);
        });

        Assert.Same(time, provider.GetRequiredService<TimeProvider>());
        Assert.Equal(2048, provider.GetRequiredService<IOptions<Microsoft.Extensions.Caching.Hybrid.HybridCacheOptions>>().Value.MaximumKeyLength);
        using var response = await provider.Client().GetAsync("a");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    private static ServiceCollection Services(Action<JwtBearerGrantOptions> configure)
    {
        var services = new ServiceCollection();
        services.AddArrayScopeTokens(o =>
        {
            o.Issuer = "client";
            o.Audiences.Add("https://partner.example/token");
            o.SigningKeys = GrantClient.Keys;
        });
        services.AddHttpClient("partner").AddJwtBearerGrant(o =>
        {
            o.TokenEndpoint = new Uri("https://partner.example/token");
            configure(o);
        });
        return services;
    }
}
