using static ScopeClaims.Testing.Partner.Tests.Partners;

namespace ScopeClaims.Testing.Partner.Tests;

public class ClientAuthenticationTests
{
    private static Task<FakePartner> StartAsync(FakePartnerClientAuthentication method) => Partners.StartAsync(o =>
    {
        o.ClientAuthentication = method;
        o.ClientSecret = method is FakePartnerClientAuthentication.ClientSecretBasic or FakePartnerClientAuthentication.ClientSecretPost ? Secret : null;
        o.GrantTypes.Add(FakePartnerOptions.ClientCredentialsGrantType);
    });

    private static string ClientAssertion(FakePartner partner, Action<Dictionary<string, object?>>? change = null)
    {
        var claims = Assertions.Claims(partner);
        claims["scope"] = null;
        change?.Invoke(claims);
        return Assertions.Sign(claims);
    }

    [Fact]
    public async Task ClientSecretBasic_RightSecret_IssuesAToken()
    {
        await using var partner = await StartAsync(FakePartnerClientAuthentication.ClientSecretBasic);

        using var response = await PostAsync(partner, [("grant_type", "client_credentials"), ("scope", "read:a")], BasicCredentials(ClientId, Secret));

        await AssertTokenAsync(response);
        Assert.Equal(ScopeSet.Parse("read:a"), partner.TokenRequests[0].GrantedScopes);
        Assert.StartsWith("Basic ", partner.TokenRequests[0].Authorization, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ClientSecretBasic_FormEncodedCredentials_AreDecoded()
    {
        await using var partner = await FakePartner.StartAsync(Options(o =>
        {
            o.ClientId = "id with:colon";
            o.ClientSecret = "p@ss w+rd";
            o.ClientAuthentication = FakePartnerClientAuthentication.ClientSecretBasic;
            o.GrantTypes.Add(FakePartnerOptions.ClientCredentialsGrantType);
        }));

        using var response = await PostAsync(partner, [("grant_type", "client_credentials")], BasicCredentials("id with:colon", "p@ss w+rd"));

        await AssertTokenAsync(response);
    }

    [Theory]
    [InlineData("wrong-secret", ClientId)]
    [InlineData(Secret, "another-client")]
    public async Task ClientSecretBasic_WrongCredentials_Is401InvalidClientWithBasicChallenge(string secret, string id)
    {
        await using var partner = await StartAsync(FakePartnerClientAuthentication.ClientSecretBasic);

        using var response = await PostAsync(partner, [("grant_type", "client_credentials")], BasicCredentials(id, secret));

        await AssertErrorAsync(response, 401, "invalid_client");
        Assert.Equal("Basic realm=\"fake-partner\"", response.Headers.WwwAuthenticate.ToString());
        Assert.Empty(partner.IssuedTokens);
    }

    [Fact]
    public async Task ClientSecretBasic_NoHeader_IsInvalidClient()
    {
        await using var partner = await StartAsync(FakePartnerClientAuthentication.ClientSecretBasic);

        using var response = await PostAsync(partner, [("grant_type", "client_credentials")]);

        Assert.Contains("client_secret_basic is required", await AssertErrorAsync(response, 401, "invalid_client"), StringComparison.Ordinal);
    }

    [Fact]
    public async Task ClientSecretPost_RightSecret_IssuesAToken()
    {
        await using var partner = await StartAsync(FakePartnerClientAuthentication.ClientSecretPost);

        using var response = await PostAsync(partner, [("grant_type", "client_credentials"), ("client_id", ClientId), ("client_secret", Secret)]);

        await AssertTokenAsync(response);
    }

    [Fact]
    public async Task ClientSecretPost_WrongSecretOrNoClientId_IsInvalidClient()
    {
        await using var partner = await StartAsync(FakePartnerClientAuthentication.ClientSecretPost);

        using var wrong = await PostAsync(partner, [("grant_type", "client_credentials"), ("client_id", ClientId), ("client_secret", "nope")]);
        using var noId = await PostAsync(partner, [("grant_type", "client_credentials"), ("client_secret", Secret)]);

        Assert.Contains("secret is wrong", await AssertErrorAsync(wrong, 401, "invalid_client"), StringComparison.Ordinal);
        await AssertErrorAsync(noId, 401, "invalid_client");
    }

    [Fact]
    public async Task ClientAuthentication_TwoMethodsAtOnce_IsInvalidRequest()
    {
        await using var partner = await StartAsync(FakePartnerClientAuthentication.ClientSecretBasic);

        using var response = await PostAsync(partner, [("grant_type", "client_credentials"), ("client_secret", Secret)], BasicCredentials(ClientId, Secret));

        Assert.Contains("more than one client authentication", await AssertErrorAsync(response, 400, "invalid_request"), StringComparison.Ordinal);
    }

    [Fact]
    public async Task None_CredentialsSent_IsInvalidClient()
    {
        await using var partner = await Partners.StartAsync();

        using var response = await PostAsync(partner, [("grant_type", JwtBearer), ("assertion", Assertions.Valid(partner)), ("client_id", ClientId), ("client_secret", "x")]);

        Assert.Contains("takes no client authentication", await AssertErrorAsync(response, 401, "invalid_client"), StringComparison.Ordinal);
    }

    [Fact]
    public async Task PrivateKeyJwt_ValidClientAssertion_IssuesATokenForBothGrants()
    {
        await using var partner = await StartAsync(FakePartnerClientAuthentication.PrivateKeyJwt);

        using var credentials = await PostAsync(partner, [("grant_type", "client_credentials"), ("client_assertion_type", ClientAssertionType), ("client_assertion", ClientAssertion(partner))]);
        using var jwtBearer = await PostAsync(partner, [("grant_type", JwtBearer), ("assertion", Assertions.Valid(partner)), ("client_assertion_type", ClientAssertionType), ("client_assertion", ClientAssertion(partner))]);

        await AssertTokenAsync(credentials);
        await AssertTokenAsync(jwtBearer);
    }

    public static TheoryData<string> BrokenClientAssertions => new() { "aud", "sub", "iss", "type", "replay", "missing", "key" };

    [Theory]
    [MemberData(nameof(BrokenClientAssertions))]
    public async Task PrivateKeyJwt_BrokenClientAssertion_IsInvalidClient(string broken)
    {
        await using var partner = await StartAsync(FakePartnerClientAuthentication.PrivateKeyJwt);
        var type = ClientAssertionType;
        string? assertion = ClientAssertion(partner);
        switch (broken)
        {
            case "aud": assertion = ClientAssertion(partner, c => c["aud"] = "https://other.example/token"); break;
            case "sub": assertion = ClientAssertion(partner, c => c["sub"] = "other"); break;
            case "iss": assertion = ClientAssertion(partner, c => c["iss"] = "other"); break;
            case "type": type = "urn:ietf:params:oauth:client-assertion-type:saml2-bearer"; break;
            case "missing": assertion = null; break;
            case "key": assertion = Assertions.Sign(Assertions.Claims(partner), OtherKey); break;
            default:
                using (var first = await PostAsync(partner, [("grant_type", "client_credentials"), ("client_assertion_type", type), ("client_assertion", assertion)]))
                {
                    await AssertTokenAsync(first);
                }

                break;
        }

        var form = new List<(string, string)> { ("grant_type", "client_credentials"), ("client_assertion_type", type) };
        if (assertion is not null)
        {
            form.Add(("client_assertion", assertion));
        }

        using var response = await PostAsync(partner, form);

        await AssertErrorAsync(response, 401, "invalid_client");
        Assert.Equal("Bearer realm=\"fake-partner\"", response.Headers.WwwAuthenticate.ToString());
    }

    [Fact]
    public async Task PrivateKeyJwt_NoClientAssertion_IsInvalidClient()
    {
        await using var partner = await StartAsync(FakePartnerClientAuthentication.PrivateKeyJwt);

        using var response = await PostAsync(partner, [("grant_type", "client_credentials")]);

        Assert.Contains("private_key_jwt is required", await AssertErrorAsync(response, 401, "invalid_client"), StringComparison.Ordinal);
    }

    [Fact]
    public async Task ClientId_NamingAnotherClient_IsInvalidClient()
    {
        await using var partner = await StartAsync(FakePartnerClientAuthentication.PrivateKeyJwt);

        using var response = await PostAsync(partner, [("grant_type", "client_credentials"), ("client_id", "other"), ("client_assertion_type", ClientAssertionType), ("client_assertion", ClientAssertion(partner))]);

        Assert.Contains("names another client", await AssertErrorAsync(response, 401, "invalid_client"), StringComparison.Ordinal);
    }
}
