using static ScopeClaims.Testing.Partner.Tests.Partners;

namespace ScopeClaims.Testing.Partner.Tests;

/// <summary>The token-exchange grant (RFC 8693 §2.1), spoken to in raw HTTP.</summary>
public class TokenExchangeTests
{
    private const string Subject = "subject-token-the-partner-knows";
    private const string TokenExchange = FakePartnerOptions.TokenExchangeGrantType;
    private const string AccessToken = FakePartnerOptions.AccessTokenType;

    private static Task<FakePartner> StartAsync() => Partners.StartAsync(o =>
    {
        o.GrantTypes.Add(TokenExchange);
        o.SubjectTokens.Add(Subject);
        o.ClientAuthentication = FakePartnerClientAuthentication.ClientSecretBasic;
        o.ClientSecret = Secret;
    });

    private static Task<HttpResponseMessage> ExchangeAsync(FakePartner partner, params (string Name, string Value)[] form) =>
        PostAsync(partner, new[] { ("grant_type", TokenExchange) }.Concat(form), BasicCredentials(ClientId, Secret));

    [Fact]
    public async Task Exchange_KnownSubject_IssuesAnAccessTokenTheApiAccepts()
    {
        await using var partner = await StartAsync();

        using var response = await ExchangeAsync(partner, ("subject_token", Subject), ("subject_token_type", AccessToken), ("requested_token_type", AccessToken), ("audience", "orders"));

        var token = await AssertTokenAsync(response);
        Assert.Equal(AccessToken, (await JsonAsync(response)).GetProperty("issued_token_type").GetString());
        var request = Assert.Single(partner.TokenRequests);
        Assert.Equal(Subject, request.Form["subject_token"]);
        Assert.Equal(token, request.IssuedToken);
    }

    [Theory]
    [InlineData("unknown", 400, "invalid_grant", "the subject token is not one this partner accepts")]
    [InlineData("no subject", 400, "invalid_request", "subject_token and subject_token_type are required")]
    [InlineData("no type", 400, "invalid_request", "subject_token and subject_token_type are required")]
    [InlineData("bad type", 400, "invalid_request", "subject_token_type is not a token type identifier")]
    [InlineData("requested jwt", 400, "invalid_request", "this partner issues access tokens only")]
    [InlineData("actor", 400, "invalid_request", "this partner takes no actor token")]
    public async Task Exchange_BadRequest_IsRefusedNamingTheRule(string bad, int status, string error, string description)
    {
        await using var partner = await StartAsync();
        var form = new List<(string, string)> { ("subject_token", Subject), ("subject_token_type", AccessToken) };
        switch (bad)
        {
            case "unknown": form[0] = ("subject_token", "some-other-token"); break;
            case "no subject": form.RemoveAt(0); break;
            case "no type": form.RemoveAt(1); break;
            case "bad type": form[1] = ("subject_token_type", "access token"); break;
            case "requested jwt": form.Add(("requested_token_type", "urn:ietf:params:oauth:token-type:jwt")); break;
            case "actor": form.Add(("actor_token", "actor")); form.Add(("actor_token_type", AccessToken)); break;
        }

        using var response = await ExchangeAsync(partner, form.ToArray());

        Assert.Contains(description, await AssertErrorAsync(response, status, error), StringComparison.Ordinal);
        Assert.Empty(partner.IssuedTokens);
    }

    [Fact]
    public async Task Exchange_NotAmongGrantTypes_IsUnsupported()
    {
        await using var partner = await Partners.StartAsync();

        using var response = await PostAsync(partner, [("grant_type", TokenExchange), ("subject_token", Subject), ("subject_token_type", AccessToken)]);

        await AssertErrorAsync(response, 400, "unsupported_grant_type");
    }
}
