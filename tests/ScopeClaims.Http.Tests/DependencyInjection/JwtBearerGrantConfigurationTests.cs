using System.Text.Json;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;
using ScopeClaims.Http.Tests.Infrastructure;

namespace ScopeClaims.Http.Tests.DependencyInjection;

public class JwtBearerGrantConfigurationTests
{
    [Fact]
    public void AddJwtBearerGrant_NullConfiguration_Throws()
    {
        Assert.Throws<ArgumentNullException>("configuration", () => new ServiceCollection().AddHttpClient("x").AddJwtBearerGrant((IConfiguration)null!));
    }

    [Fact]
    public void Configuration_BindsEveryOption()
    {
        using var provider = Build(new Dictionary<string, string?>
        {
            ["Partner:Grant:TokenEndpoint"] = "https://partner.example/oauth2/token",
            ["Partner:Grant:ClientId"] = "client-7",
            ["Partner:Grant:Subject"] = "subject-7",
            ["Partner:Grant:Audience"] = "https://partner.example",
            ["Partner:Grant:Scopes"] = "read:appointments  read:msg",
            ["Partner:Grant:SendScopeParameter"] = "false",
            ["Partner:Grant:ProfileName"] = Options.DefaultName,
            ["Partner:Grant:AssertionLifetime"] = "00:01:30",
            ["Partner:Grant:ClientAuthentication"] = "clientsecretpost",
            ["Partner:Grant:ClientSecret"] = "s3cret",
            ["Partner:Grant:ClientAssertion:ProfileName"] = "signer",
            ["Partner:Grant:ClientAssertion:Audience"] = "https://partner.example/issuer",
            ["Partner:Grant:ClientAssertion:Lifetime"] = "00:00:30",
            ["Partner:Grant:Parameters:resource"] = "https://api.partner.example",
            ["Partner:Grant:RefreshBeforeExpiry"] = "00:00:30",
            ["Partner:Grant:DefaultTokenLifetime"] = "00:02:00",
            ["Partner:Grant:TokenRequestTimeout"] = "00:00:05",
            ["Partner:Grant:RetryOnUnauthorized"] = "false",
            ["Partner:Grant:TokenClientName"] = "token-client",
        });

        var options = provider.GetRequiredService<IOptionsMonitor<JwtBearerGrantOptions>>().Get(GrantClient.Name);

        Assert.Equal(new Uri("https://partner.example/oauth2/token"), options.TokenEndpoint);
        Assert.Equal("client-7", options.ClientId);
        Assert.Equal("subject-7", options.Subject);
        Assert.Equal("https://partner.example", options.Audience);
        Assert.Equal(ScopeSet.Parse("read:appointments read:msg"), options.Scopes);
        Assert.False(options.SendScopeParameter);
        Assert.Equal(TimeSpan.FromSeconds(90), options.AssertionLifetime);
        Assert.Equal(ClientAuthenticationMethod.ClientSecretPost, options.ClientAuthentication);
        Assert.Equal("s3cret", options.ClientSecret);
        Assert.Equal("signer", options.ClientAssertion.ProfileName);
        Assert.Equal("https://partner.example/issuer", options.ClientAssertion.Audience);
        Assert.Equal(TimeSpan.FromSeconds(30), options.ClientAssertion.Lifetime);
        Assert.Equal("https://api.partner.example", options.Parameters["resource"]);
        Assert.Equal(TimeSpan.FromSeconds(30), options.RefreshBeforeExpiry);
        Assert.Equal(TimeSpan.FromMinutes(2), options.DefaultTokenLifetime);
        Assert.Equal(TimeSpan.FromSeconds(5), options.TokenRequestTimeout);
        Assert.False(options.RetryOnUnauthorized);
        Assert.Equal("token-client", options.TokenClientName);
    }

    [Fact]
    public void Configuration_ScopesAsAnArray_AndAnEmptyDefaultTokenLifetime_AreRead()
    {
        using var provider = Build(new Dictionary<string, string?>
        {
            ["Partner:Grant:TokenEndpoint"] = "https://partner.example/oauth2/token",
            ["Partner:Grant:Scopes:0"] = "read:appointments",
            ["Partner:Grant:Scopes:1"] = "read:msg",
            ["Partner:Grant:DefaultTokenLifetime"] = string.Empty,
        });

        var options = provider.GetRequiredService<IOptionsMonitor<JwtBearerGrantOptions>>().Get(GrantClient.Name);

        Assert.Equal(ScopeSet.Parse("read:appointments read:msg"), options.Scopes);
        Assert.Null(options.DefaultTokenLifetime);
        Assert.Equal(TimeSpan.FromMinutes(2), options.AssertionLifetime);
    }

    [Fact]
    public async Task HostStart_ValuesThatDoNotParse_FailListingEachPath()
    {
        var builder = Host.CreateApplicationBuilder();
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Partner:Grant:TokenEndpoint"] = "/oauth2/token",
            ["Partner:Grant:Scopes"] = "read\twrite",
            ["Partner:Grant:AssertionLifetime"] = "two minutes",
            ["Partner:Grant:ClientAuthentication"] = "1",
            ["Partner:Grant:RetryOnUnauthorized"] = "yes",
        });
        AddProfile(builder.Services);
        builder.Services.AddHttpClient(GrantClient.Name).AddJwtBearerGrant(builder.Configuration.GetSection("Partner:Grant"));
        using var host = builder.Build();

        var ex = await Assert.ThrowsAsync<OptionsValidationException>(() => host.StartAsync());

        string[] expected =
        [
            "'Partner:Grant:TokenEndpoint' is not an absolute http or https URL",
            "'Partner:Grant:Scopes' is not a valid set of scopes",
            "'Partner:Grant:AssertionLifetime' is not a time span",
            "'Partner:Grant:ClientAuthentication' is not None, ClientSecretBasic, ClientSecretPost or PrivateKeyJwt",
            "'Partner:Grant:RetryOnUnauthorized' is not true or false",
            "TokenEndpoint is required",
        ];
        foreach (var failure in expected)
        {
            Assert.Contains(ex.Failures, f => f.Contains(failure, StringComparison.Ordinal));
        }
    }

    [Fact]
    public async Task Configuration_EndToEnd_GetsThePartnerTokenAndCallsTheApi()
    {
        await using var partner = await GrantClient.StartPartnerAsync();
        var services = new ServiceCollection();
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Grant:TokenEndpoint"] = partner.TokenEndpoint.AbsoluteUri,
            ["Grant:Scopes:0"] = "read:appointments",
            ["Grant:Scopes:1"] = "read:msg",
        }).Build();
        services.AddArrayScopeTokens(o =>
        {
            o.Issuer = partner.ClientId;
            o.Audiences.Add(partner.TokenEndpoint.AbsoluteUri);
            o.SigningKeys = GrantClient.Keys;
        });
        services.AddHttpClient(GrantClient.Name, c => c.BaseAddress = partner.ApiBase).AddJwtBearerGrant(configuration.GetSection("Grant"));
        using var provider = services.BuildServiceProvider();

        using var response = await provider.Client().GetAsync("appointments");

        response.EnsureSuccessStatusCode();
        Assert.Equal(1, partner.TokenRequests);
        Assert.Equal("read:appointments read:msg", partner.LastForm["scope"]);
        var payload = JsonDocument.Parse(Microsoft.IdentityModel.Tokens.Base64UrlEncoder.Decode(partner.LastAssertion!.EncodedPayload)).RootElement;
        Assert.Equal("""["read:appointments","read:msg"]""", payload.GetProperty("scope").GetRawText());
    }

    private static ServiceProvider Build(Dictionary<string, string?> values)
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(values).Build();
        var services = new ServiceCollection();
        AddProfile(services);
        services.AddHttpClient(GrantClient.Name).AddJwtBearerGrant(configuration.GetSection("Partner:Grant"));
        return services.BuildServiceProvider();
    }

    private static void AddProfile(IServiceCollection services) =>
        services.AddArrayScopeTokens(o =>
        {
            o.Issuer = "client-7";
            o.Audiences.Add("https://partner.example/oauth2/token");
            o.SigningKeys = GrantClient.Keys;
        });
}
