using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;

namespace ScopeClaims.Testing.Partner.Tests;

/// <summary>Starts partners and speaks raw HTTP to them: form bodies built by hand, no ScopeClaims client.</summary>
internal static class Partners
{
    public const string ClientId = "client-1";
    public const string Secret = "s3cret-value-for-tests";
    public const string JwtBearer = FakePartnerOptions.JwtBearerGrantType;
    public const string ClientAssertionType = "urn:ietf:params:oauth:client-assertion-type:jwt-bearer";

    public static readonly TokenSigningKey ClientKey = TestSigningKeys.Create("ES256", "client-key");
    public static readonly TokenSigningKey OtherKey = TestSigningKeys.Create("ES256", "client-key");

    public static readonly HttpClient Web = new(new SocketsHttpHandler { AllowAutoRedirect = false }) { Timeout = TimeSpan.FromSeconds(30) };

    public static FakePartnerOptions Options(Action<FakePartnerOptions>? configure = null)
    {
        var options = new FakePartnerOptions { ClientId = ClientId, ClientJwks = TestSigningKeys.ExportPublicJwks(ClientKey) };
        configure?.Invoke(options);
        return options;
    }

    public static Task<FakePartner> StartAsync(Action<FakePartnerOptions>? configure = null) => FakePartner.StartAsync(Options(configure));

    /// <summary>Posts <c>name=value&amp;...</c>, each part form-encoded, with the Content-Type given.</summary>
    public static Task<HttpResponseMessage> PostAsync(FakePartner partner, IEnumerable<(string Name, string Value)> form, string? basic = null, string contentType = "application/x-www-form-urlencoded")
    {
        var body = string.Join('&', form.Select(static p => Uri.EscapeDataString(p.Name) + "=" + Uri.EscapeDataString(p.Value)));
        return PostRawAsync(partner, Encoding.UTF8.GetBytes(body), contentType, basic);
    }

    public static Task<HttpResponseMessage> PostRawAsync(FakePartner partner, byte[] body, string contentType, string? basic = null)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, partner.TokenEndpoint) { Content = new ByteArrayContent(body) };
        request.Content.Headers.ContentType = MediaTypeHeaderValue.Parse(contentType);
        if (basic is not null)
        {
            request.Headers.Authorization = new AuthenticationHeaderValue("Basic", basic);
        }

        return Web.SendAsync(request);
    }

    public static Task<HttpResponseMessage> JwtBearerAsync(FakePartner partner, string assertion, params (string Name, string Value)[] more) =>
        PostAsync(partner, new[] { ("grant_type", JwtBearer), ("assertion", assertion) }.Concat(more));

    public static string BasicCredentials(string id, string secret) =>
        Convert.ToBase64String(Encoding.UTF8.GetBytes(Uri.EscapeDataString(id) + ":" + Uri.EscapeDataString(secret)));

    public static async Task<JsonElement> JsonAsync(HttpResponseMessage response)
    {
        using var document = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        return document.RootElement.Clone();
    }

    /// <summary>Asserts an RFC 6749 §5.2 error with its status and code; returns the description.</summary>
    public static async Task<string> AssertErrorAsync(HttpResponseMessage response, int status, string error)
    {
        var json = await JsonAsync(response);
        Assert.Equal(status, (int)response.StatusCode);
        Assert.Equal(error, json.GetProperty("error").GetString());
        Assert.Equal("application/json", response.Content.Headers.ContentType?.MediaType);
        Assert.Equal("no-store", response.Headers.CacheControl?.ToString());
        return json.GetProperty("error_description").GetString()!;
    }

    public static async Task<string> AssertTokenAsync(HttpResponseMessage response)
    {
        var json = await JsonAsync(response);
        Assert.True(response.StatusCode == System.Net.HttpStatusCode.OK, json.ToString());
        Assert.Equal("Bearer", json.GetProperty("token_type").GetString());
        return json.GetProperty("access_token").GetString()!;
    }
}
