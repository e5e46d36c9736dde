using System.Net;
using ScopeClaims.Http.Tests.Infrastructure;

namespace ScopeClaims.Http.Tests.Grant;

/// <summary>What a token response must be to be used: anything else is refused and nothing is cached.</summary>
public class TokenResponseTests
{
    private const string Token = """{"access_token":"abc","token_type":"Bearer","expires_in":3600}""";

    [Theory]
    [InlineData("""{"access_token":"abc","token_type":"Bearer","token_type":"DPoP"}""")]
    [InlineData("""{"access_token":"abc","token_type":"Bearer","token_type":"Bearer"}""")]
    [InlineData("""{"access_token":"abc","\u0061ccess_token":"evil","token_type":"Bearer"}""")]
    [InlineData("""{"\u0061ccess_token":"evil","access_token":"abc"}""")]
    [InlineData("""{"access_token":"abc","expires_in":3600,"expires_in":1}""")]
    [InlineData("""{"access_token":"abc","token_type":"Bearer","details":{"k":1,"\u006b":2}}""")]
    [InlineData("""{"access_token":"abc","token_type":"Bearer","details":[{"k":1},{"k":1,"k":2}]}""")]
    public async Task GetAsync_DuplicateMember_IsRefusedAndNothingCached(string body)
    {
        await AssertRefusedThenRecoversAsync((200, "application/json", body), "more than once");
    }

    [Fact]
    public async Task GetAsync_NestedDeeperThan64Levels_IsRefused()
    {
        var body = """{"access_token":"abc","x":""" + new string('[', 64) + new string(']', 64) + "}";
        await AssertRefusedThenRecoversAsync((200, "application/json", body), "deeper than 64 levels");
    }

    [Fact]
    public async Task GetAsync_Nested64LevelsDeep_IsUsed()
    {
        await using var partner = await GrantClient.StartPartnerAsync();
        partner.Accept("pt-deep");
        partner.CannedTokenResponse = (200, "application/json", """{"access_token":"pt-deep","token_type":"Bearer","x":""" + new string('[', 63) + new string(']', 63) + "}");
        await using var provider = GrantClient.Build(partner);

        using var response = await provider.Client().GetAsync("a");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    [Theory]
    [InlineData("""{"access_token":"abc"} {"access_token":"evil"}""")]
    [InlineData("""{"access_token":"abc"}x""")]
    [InlineData("""{"access_token":"abc",}""")]
    [InlineData("""{"access_token":'abc'}""")]
    public async Task GetAsync_NotOneJsonObject_IsRefused(string body)
    {
        await AssertRefusedThenRecoversAsync((200, "application/json", body), "the body is not JSON");
    }

    [Fact]
    public async Task GetAsync_DuplicateMemberInAnErrorResponse_IsRefusedAsInvalid()
    {
        await AssertRefusedThenRecoversAsync((400, "application/json", """{"error":"invalid_grant","error":"invalid_client"}"""), "more than once");
    }

    [Theory]
    [InlineData("text/html", "Content-Type is 'text/html'")]
    [InlineData("text/plain; charset=utf-8", "Content-Type is 'text/plain'")]
    [InlineData("text/json", "Content-Type is 'text/json'")]
    [InlineData("application/jsonp", "Content-Type is 'application/jsonp'")]
    [InlineData("application/x-www-form-urlencoded", "Content-Type is 'application/x-www-form-urlencoded'")]
    [InlineData("application/json+xml", "Content-Type is 'application/json+xml'")]
    [InlineData("text/vnd.partner.token+json", "Content-Type is 'text/vnd.partner.token+json'")]
    [InlineData("application/json; charset=iso-8859-1", "charset is 'iso-8859-1'")]
    [InlineData("application/json; charset=utf-16", "charset is 'utf-16'")]
    [InlineData(null, "no (valid) Content-Type")]
    [InlineData("json", "no (valid) Content-Type")]
    public async Task GetAsync_TokenJsonWithoutAJsonContentType_IsRefusedAndNothingCached(string? contentType, string problem)
    {
        await AssertRefusedThenRecoversAsync((200, contentType, Token), problem);
    }

    [Theory]
    [InlineData("text/html")]
    [InlineData(null)]
    public async Task GetAsync_ErrorJsonWithoutAJsonContentType_IsRefusedAsInvalid(string? contentType)
    {
        await AssertRefusedThenRecoversAsync((400, contentType, """{"error":"invalid_grant"}"""), "Content-Type");
    }

    [Theory]
    [InlineData("application/json")]
    [InlineData("APPLICATION/JSON")]
    [InlineData("application/json; charset=utf-8")]
    [InlineData("application/json;charset=UTF-8")]
    [InlineData("application/json; charset=\"utf-8\"")]
    [InlineData("application/vnd.partner.token+json")]
    [InlineData("application/json; odata.metadata=minimal")]
    public async Task GetAsync_JsonContentType_IsAccepted(string contentType)
    {
        await using var partner = await GrantClient.StartPartnerAsync();
        partner.TokenResponder = (_, _) => (200, contentType, Issue(partner));
        await using var provider = GrantClient.Build(partner);

        using var response = await provider.Client().GetAsync("a");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    [Theory]
    [InlineData(201)]
    [InlineData(299)]
    public async Task GetAsync_TokenInAnotherSuccessStatus_IsRefusedAsNot200(int status)
    {
        await AssertRefusedThenRecoversAsync((status, "application/json", Token), "a token response is sent with HTTP 200");
    }

    [Theory]
    [InlineData(200, "!edge-of-visible-ascii~", 3600)]   // RFC 6750 §2.1: '!' and '~' are the ends of what a Bearer credential may hold
    [InlineData(200, "pt-one-second", 1)]                // the shortest expires_in: used once, not cached
    public async Task GetAsync_TokenResponseAtTheEdgeOfWhatIsAllowed_IsUsed(int status, string token, int expiresIn)
    {
        await using var partner = await GrantClient.StartPartnerAsync();
        partner.Accept(token);
        partner.CannedTokenResponse = (status, "application/json", $$"""{"access_token":"{{token}}","token_type":"Bearer","expires_in":{{expiresIn}}}""");
        await using var provider = GrantClient.Build(partner);

        using var response = await provider.Client().GetAsync("a");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(1, partner.ApiRequests);
    }

    [Theory]
    [InlineData("""{"access_token":"abc","token_type":"Bearer","expires_in":3600,"error":"invalid_grant"}""")]
    [InlineData("""{"error":"server_error","access_token":"abc"}""")]
    [InlineData("""{"access_token":"abc","error":42}""")]
    [InlineData("""{"access_token":"abc","error":""}""")]
    public async Task GetAsync_200WithBothErrorAndAccessToken_IsRefusedAndNothingCached(string body)
    {
        await AssertRefusedThenRecoversAsync((200, "application/json", body), "both error and access_token");
    }

    [Fact]
    public async Task GetAsync_ErrorNullBesideTheToken_IsTheAbsenceOfAnError()
    {
        await using var partner = await GrantClient.StartPartnerAsync();
        partner.TokenResponder = (_, _) => (200, "application/json", Issue(partner).TrimEnd('}') + ""","error":null,"error_description":null}""");
        await using var provider = GrantClient.Build(partner);

        using var response = await provider.Client().GetAsync("a");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    [Theory]
    [InlineData(201)]
    [InlineData(203)]
    [InlineData(206)]
    public async Task GetAsync_TokenWithA2xxOtherThan200_IsRefused(int status)
    {
        await AssertRefusedThenRecoversAsync((status, "application/json", Token), "HTTP 200 (RFC 6749 §5.1)");
    }

    [Theory]
    [InlineData("3600", 1)]
    [InlineData("3600.0", 1)]
    [InlineData("3600.000", 1)]
    [InlineData("3.6e3", 1)]
    [InlineData("36000E-1", 1)]
    [InlineData("2147483647", 1)]
    [InlineData("\"3600\"", 1)]
    [InlineData("\"03600\"", 1)]
    [InlineData("60.0", 2)]       // read as 60 s: not longer than RefreshBeforeExpiry, used once
    [InlineData("\"60\"", 2)]
    [InlineData("null", 1)]       // absent: DefaultTokenLifetime (5 minutes)
    public async Task GetAsync_ExpiresInAWholeNumberOfSeconds_IsRead(string expiresIn, int tokenRequests)
    {
        await using var partner = await GrantClient.StartPartnerAsync();
        partner.TokenResponder = (_, _) => (200, "application/json", Issue(partner, expiresIn));
        await using var provider = GrantClient.Build(partner);
        var client = provider.Client();

        using var first = await client.GetAsync("a");
        using var second = await client.GetAsync("b");

        Assert.Equal(HttpStatusCode.OK, first.StatusCode);
        Assert.Equal(HttpStatusCode.OK, second.StatusCode);
        Assert.Equal(tokenRequests, partner.TokenRequests);
    }

    [Theory]
    [InlineData("3600.5")]
    [InlineData("0.5")]
    [InlineData("0")]
    [InlineData("0.0")]
    [InlineData("-0.0")]
    [InlineData("-1")]
    [InlineData("-3600.0")]
    [InlineData("2147483648")]
    [InlineData("1e12")]
    [InlineData("1e400")]
    [InlineData("123456789012345678901234567890")]
    [InlineData("\"3600.0\"")]
    [InlineData("\" 3600\"")]
    [InlineData("\"3600 \"")]
    [InlineData("\"+3600\"")]
    [InlineData("\"-5\"")]
    [InlineData("\"0\"")]
    [InlineData("\"\"")]
    [InlineData("\"3.6e3\"")]
    [InlineData("\"2147483648\"")]
    [InlineData("\"٣٦٠٠\"")]
    [InlineData("true")]
    [InlineData("[3600]")]
    [InlineData("{\"seconds\":3600}")]
    public async Task GetAsync_ExpiresInNotAWholePositiveNumberOfSeconds_IsRefusedAndNothingCached(string expiresIn)
    {
        await AssertRefusedThenRecoversAsync((200, "application/json", $$"""{"access_token":"abc","token_type":"Bearer","expires_in":{{expiresIn}}}"""), "expires_in is not a whole number of seconds");
    }

    private static string Issue(PartnerServer partner, string expiresIn = "3600")
    {
        var token = "pt_" + Guid.NewGuid().ToString("N");
        partner.Accept(token);
        return $$"""{"access_token":"{{token}}","token_type":"Bearer","expires_in":{{expiresIn}}}""";
    }

    private static async Task AssertRefusedThenRecoversAsync((int Status, string? ContentType, string Body) answer, string problem)
    {
        await using var partner = await GrantClient.StartPartnerAsync();
        partner.CannedTokenResponse = answer;
        await using var provider = GrantClient.Build(partner);
        var client = provider.Client();

        var ex = await Assert.ThrowsAsync<InvalidTokenResponseException>(() => client.GetAsync("a"));

        Assert.Contains(problem, ex.Message, StringComparison.Ordinal);
        Assert.Equal((HttpStatusCode)answer.Status, ex.StatusCode);
        Assert.Null(ex.InnerException);
        Assert.Equal(0, partner.ApiRequests);

        // Nothing was cached: the next call asks the token endpoint again.
        partner.CannedTokenResponse = null;
        using var response = await client.GetAsync("b");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(2, partner.TokenRequests);
    }
}
