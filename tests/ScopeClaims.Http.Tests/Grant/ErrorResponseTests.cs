using System.Net;
using System.Text.Json;
using Microsoft.IdentityModel.Tokens;
using ScopeClaims.Http.Tests.Infrastructure;

namespace ScopeClaims.Http.Tests.Grant;

/// <summary>
/// Text from the token endpoint (error, error_description, error_uri) reaches exceptions and logs bounded, in the
/// RFC 6749 §5.2 character set, and without anything the request sent.
/// </summary>
public class ErrorResponseTests
{
    private const string Secret = "Kq7-vLm2.Zr9xW4_pT8sNc3Hb6Jy0FdA";

    public static TheoryData<string, ClientAuthenticationMethod> Echoes() => new()
    {
        { "secret", ClientAuthenticationMethod.ClientSecretPost },
        { "secret", ClientAuthenticationMethod.ClientSecretBasic },
        { "secret-upper", ClientAuthenticationMethod.ClientSecretPost },
        { "secret-part", ClientAuthenticationMethod.ClientSecretPost },
        { "secret-halves", ClientAuthenticationMethod.ClientSecretPost },
        { "secret-interleaved", ClientAuthenticationMethod.ClientSecretPost },
        { "authorization", ClientAuthenticationMethod.ClientSecretBasic },
        { "body", ClientAuthenticationMethod.ClientSecretPost },
        { "body", ClientAuthenticationMethod.None },
        { "assertion", ClientAuthenticationMethod.None },
        { "assertion-signature", ClientAuthenticationMethod.None },
        { "assertion-payload", ClientAuthenticationMethod.None },
        { "assertion-part", ClientAuthenticationMethod.None },
    };

    [Theory]
    [MemberData(nameof(Echoes))]
    public async Task GetAsync_ErrorDescriptionEchoesTheRequest_NoneOfItReachesTheExceptionOrTheLogs(string echo, ClientAuthenticationMethod method)
    {
        await using var partner = await GrantClient.StartPartnerAsync();
        var logs = new LogSink();
        string? assertion = null;
        string? basic = null;
        partner.TokenResponder = (form, authorization) =>
        {
            assertion = form["assertion"];
            basic = authorization.Length > 0 ? authorization["Basic ".Length..] : null;
            var description = echo switch
            {
                "secret" => $"client_secret {Secret} is wrong",
                "secret-upper" => $"client_secret {Secret.ToUpperInvariant()} is wrong",
                "secret-part" => $"secret starts {Secret[..10]} and ends {Secret[^10..]}",
                "secret-halves" => $"secret {Secret[..16]}\n{Secret[16..]}",
                "secret-interleaved" => "secret " + string.Join('\u0001', Secret.ToCharArray()),
                "authorization" => $"got Authorization: {authorization}",
                "body" => "got " + new FormUrlEncodedContent(form).ReadAsStringAsync().Result,
                "assertion" => $"assertion {assertion} refused",
                "assertion-signature" => $"bad signature {assertion.Split('.')[2]}",
                "assertion-payload" => $"bad claims {assertion.Split('.')[1]}",
                _ => $"bad part {assertion.Substring(40, 12)}",
            };
            return (400, "application/json", JsonSerializer.Serialize(new Dictionary<string, string> { ["error"] = "invalid_grant", ["error_description"] = description }));
        };
        await using var provider = GrantClient.Build(partner, o =>
        {
            o.ClientAuthentication = method;
            o.ClientSecret = method == ClientAuthenticationMethod.None ? null : Secret;
        }, logs: logs);

        var ex = await Assert.ThrowsAsync<TokenEndpointErrorException>(() => provider.Client().GetAsync("a"));

        Assert.Equal("invalid_grant", ex.Error);
        if (echo != "secret-interleaved")
        {
            Assert.Contains("[redacted]", ex.ErrorDescription, StringComparison.Ordinal);
        }

        var leaks = Leaks(assertion!, method == ClientAuthenticationMethod.None ? null : Secret, basic);
        AssertNoLeak(ex, leaks);
        foreach (var entry in logs.Entries)
        {
            foreach (var leak in leaks)
            {
                Assert.DoesNotContain(leak, entry.Text, StringComparison.OrdinalIgnoreCase);
            }
        }
    }

    [Fact]
    public async Task GetAsync_ErrorDescriptionNamesAFormValue_IsRedactedThere()
    {
        await using var partner = await GrantClient.StartPartnerAsync();
        partner.CannedTokenResponse = (400, "application/json", $$"""{"error":"invalid_scope","error_description":"scope '{{GrantClient.Scopes}}' for https://api.partner.example is not allowed"}""");
        await using var provider = GrantClient.Build(partner, o => o.Parameters["resource"] = "https://api.partner.example");

        var ex = await Assert.ThrowsAsync<TokenEndpointErrorException>(() => provider.Client().GetAsync("a"));

        Assert.Equal("scope '[redacted]' for [redacted] is not allowed", ex.ErrorDescription);
    }

    [Theory]
    [InlineData("line one\nline two\r\n\tend", "line one line two   end")]
    [InlineData("quote \" backslash \\ done", "quote ? backslash ? done")]
    [InlineData("caf\u00e9 \u2028 \u0000 \u007f \ud83d\ude00!", "caf? ? ? ? ?!")]
    [InlineData("[brackets] {braces} ~tilde~ !bang#", "[brackets] {braces} ~tilde~ !bang#")]
    public async Task GetAsync_ErrorDescriptionOutsideTheRfc6749CharacterSet_IsReplaced(string description, string expected)
    {
        await using var partner = await GrantClient.StartPartnerAsync();
        partner.CannedTokenResponse = (400, "application/json", JsonSerializer.Serialize(new Dictionary<string, string> { ["error"] = "invalid_grant", ["error_description"] = description }));
        await using var provider = GrantClient.Build(partner);

        var ex = await Assert.ThrowsAsync<TokenEndpointErrorException>(() => provider.Client().GetAsync("a"));

        Assert.Equal(expected, ex.ErrorDescription);
        Assert.Contains(expected, ex.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(200, 200)]
    [InlineData(201, 203)]
    [InlineData(100_000, 203)]
    public async Task GetAsync_LongErrorDescription_IsCutTo200Characters(int length, int expected)
    {
        await using var partner = await GrantClient.StartPartnerAsync();
        partner.CannedTokenResponse = (400, "application/json", $$"""{"error":"invalid_grant","error_description":"{{new string('d', Math.Min(length, 60_000))}}"}""");
        await using var provider = GrantClient.Build(partner);

        var ex = await Assert.ThrowsAsync<TokenEndpointErrorException>(() => provider.Client().GetAsync("a"));

        Assert.Equal(expected, ex.ErrorDescription!.Length);
        Assert.Equal(expected > 200, ex.ErrorDescription.EndsWith("...", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData(199, "\ud83d\ude00", "?")]           // a pair as the 200th character: one '?', nothing cut
    [InlineData(199, "\ud83d\ude00x", "?...")]       // the cut falls after the pair
    [InlineData(198, "\ud83d\ude00\ud83d\ude00", "??")]
    [InlineData(200, "\ud83d\ude00", "...")]         // the cut falls before the pair
    public async Task GetAsync_SurrogatePairAtThe200CharacterCut_CountsAsOneCharacter(int prefix, string tail, string expectedTail)
    {
        await using var partner = await GrantClient.StartPartnerAsync();
        var description = new string('d', prefix) + tail;
        partner.CannedTokenResponse = (400, "application/json", JsonSerializer.Serialize(new Dictionary<string, string> { ["error"] = "invalid_grant", ["error_description"] = description }));
        await using var provider = GrantClient.Build(partner);

        var ex = await Assert.ThrowsAsync<TokenEndpointErrorException>(() => provider.Client().GetAsync("a"));

        Assert.Equal(new string('d', prefix) + expectedTail, ex.ErrorDescription);
    }

    [Theory]
    [InlineData("\"invalid\\ngrant\"")]
    [InlineData("\"invalid_grant\\u00e9\"")]
    [InlineData("\"invalid\\\"grant\"")]
    [InlineData("\"invalid\\\\grant\"")]
    [InlineData("\"\"")]
    [InlineData("42")]
    [InlineData("{\"code\":\"invalid_grant\"}")]
    [InlineData("[\"invalid_grant\"]")]
    [InlineData("true")]
    public async Task GetAsync_ErrorOutsideTheRfc6749Grammar_IsRefusedAsInvalid(string error)
    {
        await using var partner = await GrantClient.StartPartnerAsync();
        partner.CannedTokenResponse = (400, "application/json", $$"""{"error":{{error}},"error_description":"x"}""");
        await using var provider = GrantClient.Build(partner);

        var ex = await Assert.ThrowsAsync<InvalidTokenResponseException>(() => provider.Client().GetAsync("a"));

        Assert.Contains("error is not an RFC 6749 §5.2 error code", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task GetAsync_ErrorOfExactly200Characters_IsThePartnersError()
    {
        await using var partner = await GrantClient.StartPartnerAsync();
        partner.CannedTokenResponse = (400, "application/json", $$"""{"error":"{{new string('e', 200)}}"}""");
        await using var provider = GrantClient.Build(partner);

        var ex = await Assert.ThrowsAsync<TokenEndpointErrorException>(() => provider.Client().GetAsync("a"));

        Assert.Equal(new string('e', 200), ex.Error);
    }

    [Fact]
    public async Task GetAsync_ErrorLongerThan200Characters_IsRefusedAsInvalid()
    {
        await using var partner = await GrantClient.StartPartnerAsync();
        partner.CannedTokenResponse = (400, "application/json", $$"""{"error":"{{new string('e', 201)}}"}""");
        await using var provider = GrantClient.Build(partner);

        var ex = await Assert.ThrowsAsync<InvalidTokenResponseException>(() => provider.Client().GetAsync("a"));

        Assert.Contains("error is not an RFC 6749 §5.2 error code", ex.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("eeee", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task GetAsync_ErrorEchoesTheSecret_IsRedactedInErrorMessageAndLogs()
    {
        await using var partner = await GrantClient.StartPartnerAsync();
        var logs = new LogSink();
        partner.CannedTokenResponse = (401, "application/json", $$"""{"error":"bad_{{Secret}}","error_uri":"https://partner.example/errors"}""");
        await using var provider = GrantClient.Build(partner, o =>
        {
            o.ClientAuthentication = ClientAuthenticationMethod.ClientSecretBasic;
            o.ClientSecret = Secret;
        }, logs: logs);

        var ex = await Assert.ThrowsAsync<TokenEndpointErrorException>(() => provider.Client().GetAsync("a"));

        Assert.Equal("bad_[redacted]", ex.Error);
        AssertNoLeak(ex, new[] { Secret[..8], Secret[^8..] });
        Assert.Contains(logs.Entries, e => e.Id.Name == "TokenEndpointError" && e.Text.Contains("bad_[redacted]", StringComparison.Ordinal));
        Assert.DoesNotContain(logs.Entries, e => e.Text.Contains(Secret[..8], StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("https://partner.example/errors/invalid_grant", true)]
    [InlineData("http://partner.example/errors?code=1#top", true)]
    [InlineData("javascript:alert(1)", false)]
    [InlineData("data:text/html,<b>x</b>", false)]
    [InlineData("/errors/invalid_grant", false)]
    [InlineData("https://partner.example/a b", false)]
    [InlineData("https://partner.example/\"x\"", false)]
    [InlineData("https://partner.example/\nx", false)]
    [InlineData("https://partner.example/caf\u00e9", false)]
    [InlineData("https://partner.example/?s=SECRET", false)]
    [InlineData("https://partner.example/?s=SECRET-PART", false)]
    public async Task GetAsync_ErrorUri_IsKeptOnlyWhenAnHttpUriInTheRfc6749CharacterSetWithNothingSent(string uri, bool kept)
    {
        var value = uri.Replace("SECRET-PART", Secret[5..15], StringComparison.Ordinal).Replace("SECRET", Secret, StringComparison.Ordinal);
        await using var partner = await GrantClient.StartPartnerAsync();
        partner.CannedTokenResponse = (400, "application/json", JsonSerializer.Serialize(new Dictionary<string, string> { ["error"] = "invalid_grant", ["error_uri"] = value }));
        await using var provider = GrantClient.Build(partner, o =>
        {
            o.ClientAuthentication = ClientAuthenticationMethod.ClientSecretPost;
            o.ClientSecret = Secret;
        });

        var ex = await Assert.ThrowsAsync<TokenEndpointErrorException>(() => provider.Client().GetAsync("a"));

        Assert.Equal(kept ? value : null, ex.ErrorUri);
    }

    /// <summary>The secret, the assertion, and the 8-character runs of each: none may appear.</summary>
    private static string[] Leaks(string assertion, string? secret, string? basic = null)
    {
        var leaks = new List<string> { assertion, assertion.Split('.')[1], assertion.Split('.')[2] };
        if (basic is not null)
        {
            leaks.Add(basic);
        }

        for (var i = 0; i + 8 <= assertion.Length; i += 8)
        {
            leaks.Add(assertion.Substring(i, 8));
        }

        if (secret is not null)
        {
            leaks.Add(Base64UrlEncoder.Encode(secret));
            for (var i = 0; i + 8 <= secret.Length; i++)
            {
                leaks.Add(secret.Substring(i, 8));
            }
        }

        return leaks.ToArray();
    }

    private static void AssertNoLeak(TokenEndpointErrorException ex, IEnumerable<string> leaks)
    {
        foreach (var leak in leaks)
        {
            Assert.DoesNotContain(leak, ex.ErrorDescription ?? string.Empty, StringComparison.OrdinalIgnoreCase);
            Assert.DoesNotContain(leak, ex.Error, StringComparison.OrdinalIgnoreCase);
            Assert.DoesNotContain(leak, ex.ErrorUri ?? string.Empty, StringComparison.OrdinalIgnoreCase);
            for (Exception? e = ex; e is not null; e = e.InnerException)
            {
                Assert.DoesNotContain(leak, e.Message, StringComparison.OrdinalIgnoreCase);
            }
        }
    }
}
