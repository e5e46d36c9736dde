using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;

namespace ScopeClaims.Http.Tests.TokenExchange;

public class TokenExchangeGrantOptionsTests
{
    [Fact]
    public void AddTokenExchangeGrant_NullArguments_Throw()
    {
        var builder = new ServiceCollection().AddHttpClient("x");
        Assert.Throws<ArgumentNullException>("builder", () => ((IHttpClientBuilder)null!).AddTokenExchangeGrant(_ => { }));
        Assert.Throws<ArgumentNullException>("configure", () => builder.AddTokenExchangeGrant((Action<TokenExchangeGrantOptions>)null!));
        Assert.Throws<ArgumentNullException>("configuration", () => builder.AddTokenExchangeGrant(null!, _ => { }));
        Assert.Throws<ArgumentNullException>("configure", () => builder.AddTokenExchangeGrant(new ConfigurationBuilder().Build(), null!));
    }

    [Fact]
    public void AddTokenExchangeGrant_ClientWithAnotherGrant_IsRefused()
    {
        var builder = new ServiceCollection().AddHttpClient("x").AddClientCredentialsGrant(_ => { });

        var ex = Assert.Throws<InvalidOperationException>(() => builder.AddTokenExchangeGrant(_ => { }));

        Assert.Contains("already has a grant", ex.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("provider", "TokenExchangeGrantOptions.SubjectTokenProvider is required")]
    [InlineData("subjectType", "TokenExchangeGrantOptions.SubjectTokenType must be an absolute URI")]
    [InlineData("requestedType", "TokenExchangeGrantOptions.RequestedTokenType must be an absolute URI")]
    [InlineData("parameter", "TokenExchangeGrantOptions.Parameters cannot set 'subject_token'")]
    [InlineData("actor", "TokenExchangeGrantOptions.Parameters cannot set 'actor_token'")]
    [InlineData("clientId", "TokenExchangeGrantOptions.ClientId is required")]
    [InlineData("secretWithNone", "TokenExchangeGrantOptions.ClientSecret is set but ClientAuthentication is None")]
    public async Task HostStart_BadOptions_FailNamingTheOption(string problem, string expected)
    {
        var builder = Host.CreateApplicationBuilder();
        builder.Services.AddHttpClient("partner").AddTokenExchangeGrant(o =>
        {
            o.TokenEndpoint = new Uri("https://sts.example/token");
            o.ClientId = "gateway";
            o.ClientSecret = "s3cret";
            o.SubjectTokenProvider = static (_, _, _) => new("subject");
            switch (problem)
            {
                case "provider": o.SubjectTokenProvider = null; break;
                case "subjectType": o.SubjectTokenType = "access_token"; break;
                case "requestedType": o.RequestedTokenType = "jwt"; break;
                case "parameter": o.Parameters["subject_token"] = "x"; break;
                case "actor": o.Parameters["actor_token"] = "x"; break;
                case "clientId": o.ClientId = " "; break;
                case "secretWithNone": o.ClientAuthentication = ClientAuthenticationMethod.None; break;
            }
        });
        using var host = builder.Build();

        var ex = await Assert.ThrowsAsync<OptionsValidationException>(() => host.StartAsync());

        Assert.Contains(ex.Failures, f => f.Contains(expected, StringComparison.Ordinal));
        Assert.All(ex.Failures, f => Assert.DoesNotContain("JwtBearerGrantOptions.", f, StringComparison.Ordinal));
        Assert.All(ex.Failures, f => Assert.DoesNotContain("s3cret", f, StringComparison.Ordinal));
    }

    [Fact]
    public void Configuration_BindsTheTokenTypesAndTheSharedOptions_ThenRunsConfigure()
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Sts:TokenEndpoint"] = "https://sts.example/token",
            ["Sts:ClientId"] = "gateway",
            ["Sts:ClientAuthentication"] = "None",
            ["Sts:Audience"] = "orders-api",
            ["Sts:Scopes"] = "orders:read",
            ["Sts:SubjectTokenType"] = TokenExchangeGrantOptions.JwtTokenType,
            ["Sts:RequestedTokenType"] = TokenExchangeGrantOptions.AccessTokenType,
        }).Build();
        var services = new ServiceCollection();
        services.AddHttpClient("partner").AddTokenExchangeGrant(configuration.GetSection("Sts"), o => o.SubjectTokenProvider = static (_, _, _) => new("subject"));
        using var provider = services.BuildServiceProvider();

        var options = provider.GetRequiredService<IOptionsMonitor<TokenExchangeGrantOptions>>().Get("partner");

        Assert.Equal(new Uri("https://sts.example/token"), options.TokenEndpoint);
        Assert.Equal("gateway", options.ClientId);
        Assert.Equal(ClientAuthenticationMethod.None, options.ClientAuthentication);
        Assert.Equal("orders-api", options.Audience);
        Assert.Equal(ScopeSet.Parse("orders:read"), options.Scopes);
        Assert.Equal(TokenExchangeGrantOptions.JwtTokenType, options.SubjectTokenType);
        Assert.Equal(TokenExchangeGrantOptions.AccessTokenType, options.RequestedTokenType);
        Assert.NotNull(options.SubjectTokenProvider);
    }
}
