namespace ScopeClaims.Testing.Partner.Tests;

public class OptionsTests
{
    public static TheoryData<string, string> BadOptions => new()
    {
        { "no client id", "ClientId is required" },
        { "empty subject", "Subject is empty" },
        { "no grant", "GrantTypes is empty" },
        { "unknown grant", "names 'password'" },
        { "basic without secret", "ClientSecret is required" },
        { "secret without method", "which takes no secret" },
        { "client credentials without authentication", "needs client authentication" },
        { "no jwks", "ClientJwks is required" },
        { "private jwks", "cannot verify assertions" },
        { "empty jwks", "ClientJwks cannot verify assertions" },
        { "empty audience", "Audience is empty" },
        { "lifetime", "MaxAssertionLifetime" },
        { "token lifetime", "TokenLifetimeSeconds" },
        { "enum", "not one of its named values" },
        { "token exchange without subject tokens", "SubjectTokens must name the subject tokens" },
        { "token exchange with an empty subject token", "SubjectTokens must name the subject tokens" },
    };

    [Theory]
    [MemberData(nameof(BadOptions))]
    public async Task StartAsync_BadOption_IsAnArgumentExceptionNamingIt(string bad, string named)
    {
        var options = Partners.Options();
        switch (bad)
        {
            case "no client id": options.ClientId = null; break;
            case "empty subject": options.Subject = string.Empty; break;
            case "no grant": options.GrantTypes.Clear(); break;
            case "unknown grant": options.GrantTypes.Add("password"); break;
            case "basic without secret": options.ClientAuthentication = FakePartnerClientAuthentication.ClientSecretBasic; break;
            case "secret without method": options.ClientSecret = "x"; break;
            case "client credentials without authentication": options.GrantTypes.Add(FakePartnerOptions.ClientCredentialsGrantType); break;
            case "token exchange without subject tokens": options.GrantTypes.Add(FakePartnerOptions.TokenExchangeGrantType); break;
            case "token exchange with an empty subject token": options.GrantTypes.Add(FakePartnerOptions.TokenExchangeGrantType); options.SubjectTokens.Add(string.Empty); break;
            case "no jwks": options.ClientJwks = null; break;
            case "private jwks": options.ClientJwks = "{\"keys\":[" + Partners.ClientKey.ExportPrivateJwk() + "]}"; break;
            case "empty jwks": options.ClientJwks = "{\"keys\":[]}"; break;
            case "empty audience": options.Audience = string.Empty; break;
            case "lifetime": options.MaxAssertionLifetime = TimeSpan.FromDays(2); break;
            case "token lifetime": options.TokenLifetimeSeconds = 0; break;
            default: options.ScopeRule = (FakePartnerScopeRule)42; break;
        }

        var ex = await Assert.ThrowsAsync<ArgumentException>(() => FakePartner.StartAsync(options));

        Assert.Contains(named, ex.Message, StringComparison.Ordinal);
        var privateMember = new Microsoft.IdentityModel.Tokens.JsonWebKey(Partners.ClientKey.ExportPrivateJwk()).D;
        Assert.DoesNotContain(privateMember, ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task StartAsync_ClientCredentialsOnlyWithSecret_NeedsNoJwks()
    {
        var options = new FakePartnerOptions { ClientId = "c", ClientSecret = "s", ClientAuthentication = FakePartnerClientAuthentication.ClientSecretPost };
        options.GrantTypes.Clear();
        options.GrantTypes.Add(FakePartnerOptions.ClientCredentialsGrantType);

        await using var partner = await FakePartner.StartAsync(options);

        Assert.Equal("127.0.0.1", partner.TokenEndpoint.Host);
        Assert.Equal("/oauth2/token", partner.TokenEndpoint.AbsolutePath);
    }

    [Fact]
    public async Task DisposeAsync_StopsTheServer_AndIsSafeTwice()
    {
        var partner = await Partners.StartAsync();
        var endpoint = partner.TokenEndpoint;

        await partner.DisposeAsync();
        await partner.DisposeAsync();

        await Assert.ThrowsAsync<HttpRequestException>(() => Partners.Web.PostAsync(endpoint, new StringContent(string.Empty)));
    }
}
