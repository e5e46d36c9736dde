using System.Globalization;
using System.Net;
using Microsoft.IdentityModel.JsonWebTokens;
using static ScopeClaims.AspNetCore.Tests.TokenExchange.ExchangeHost;

namespace ScopeClaims.AspNetCore.Tests.TokenExchange;

/// <summary>
/// The claims of a client assertion read exactly: <c>aud</c> one string equal to one configured identifier (no array,
/// no trailing-slash leniency), and <c>iat</c>/<c>exp</c>/<c>nbf</c> NumericDates in range (any other number is
/// <c>401 invalid_client</c>, never a 500).
/// </summary>
public class ClientAssertionClaimTests
{
    private const string AudienceDescription = "The client assertion's 'aud' must be one string: this token endpoint's URL (TokenEndpoint) or a target profile's issuer, exactly.";
    private static readonly JsonWebTokenHandler s_handler = new() { SetDefaultTimesOnTokenCreation = false };

    private static long Now => DateTimeOffset.UtcNow.ToUnixTimeSeconds();

    public static TheoryData<string> RefusedAudiences => new()
    {
        $"[\"{OurIssuer}\"]",
        $"[\"{OurIssuer}\",\"https://elsewhere.test\"]",
        $"[\"https://elsewhere.test\",\"{OurIssuer}\"]",
        "[]",
        $"\"{OurIssuer}/\"",
        $"\"{OurIssuer.ToUpperInvariant()}\"",
        $"\"{OurIssuer} \"",
        "\"https://elsewhere.test\"",
        "42",
        "null",
        $"{{\"aud\":\"{OurIssuer}\"}}",
    };

    [Theory]
    [MemberData(nameof(RefusedAudiences))]
    public async Task Post_AssertionAudNotExactlyOneConfiguredString_401(string audJson)
    {
        await using var host = await StartAsync();
        var assertion = Signed($"\"aud\":{audJson},\"iat\":{Now},\"exp\":{Now + 60}");

        using var response = await host.PostAsync(Form(WithAssertion(assertion)));

        await AssertErrorAsync(response, HttpStatusCode.Unauthorized, "invalid_client", AudienceDescription);
    }

    [Fact]
    public async Task Post_AssertionAudEndpointUrlWithTrailingSlash_401()
    {
        await using var host = await StartAsync(o => o.TokenEndpoint = new Uri("https://issuer.test/oauth2/token"));

        using var exact = await host.PostAsync(Form(WithAssertion(Signed($"\"aud\":\"https://issuer.test/oauth2/token\",\"iat\":{Now},\"exp\":{Now + 60}"))));
        using var slash = await host.PostAsync(Form(WithAssertion(Signed($"\"aud\":\"https://issuer.test/oauth2/token/\",\"iat\":{Now},\"exp\":{Now + 60}"))));

        await AssertSuccessAsync(exact);
        await AssertErrorAsync(slash, HttpStatusCode.Unauthorized, "invalid_client", AudienceDescription);
    }

    [Fact]
    public async Task Post_AssertionAudIsTheUrlThisRequestReached_401WhenTokenEndpointIsNotConfigured()
    {
        await using var host = await StartAsync();

        // The URL built from this very request (scheme, Host with its port, path) is never an accepted aud.
        using var response = await host.PostAsync(Form(WithAssertion(Signed($"\"aud\":\"{host.Endpoint.AbsoluteUri}\",\"iat\":{Now},\"exp\":{Now + 60}"))));

        await AssertErrorAsync(response, HttpStatusCode.Unauthorized, "invalid_client", AudienceDescription);
    }

    public static TheoryData<string, string> OutOfRangeDates
    {
        get
        {
            var data = new TheoryData<string, string>();
            string[] values = ["253402300800", "9223372036854775807", "9223372036854775808", "-1", "-62135596801", "1e300", "-1e300", "1.5e19", "\"1700000000\"", "true", "null"];
            foreach (var name in (string[])["iat", "exp", "nbf"])
            {
                foreach (var value in values)
                {
                    data.Add(name, value);
                }
            }

            return data;
        }
    }

    [Theory]
    [MemberData(nameof(OutOfRangeDates))]
    public async Task Post_AssertionDateOutOfRangeOrNotANumber_401NeverA500(string name, string value)
    {
        await using var host = await StartAsync();
        var members = new Dictionary<string, string>
        {
            ["iat"] = Now.ToString(CultureInfo.InvariantCulture),
            ["exp"] = (Now + 60).ToString(CultureInfo.InvariantCulture),
        };
        members[name] = value;
        var assertion = Signed($"\"aud\":\"{OurIssuer}\"," + string.Join(',', members.Select(m => $"\"{m.Key}\":{m.Value}")));

        using var response = await host.PostAsync(Form(WithAssertion(assertion)));

        await AssertErrorAsync(response, HttpStatusCode.Unauthorized, "invalid_client", $"The client assertion's '{name}' is not a NumericDate between 0 and 253402300799 (RFC 7519 section 2).");
    }

    [Fact]
    public async Task Post_AssertionFractionalDatesInRange_Issues()
    {
        await using var host = await StartAsync();
        var assertion = Signed($"\"aud\":\"{OurIssuer}\",\"iat\":{Now - 1}.5,\"nbf\":{Now - 1}.25,\"exp\":{Now + 60}.75");

        using var response = await host.PostAsync(Form(WithAssertion(assertion)));

        await AssertSuccessAsync(response);
    }

    private static (string, string)[] WithAssertion(string assertion) =>
        Exchange(Subject(), ("client_assertion_type", AssertionType), ("client_assertion", assertion));

    /// <summary>An assertion of the key client with <paramref name="members"/> after iss, sub and a fresh jti.</summary>
    private static string Signed(string members) =>
        s_handler.CreateToken($"{{\"iss\":\"{KeyClient}\",\"sub\":\"{KeyClient}\",\"jti\":\"{Guid.NewGuid():N}\",{members}}}", ClientKey.Credentials);
}
