using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace ScopeClaims.AspNetCore.Tests.TokenExchange;

/// <summary>
/// A host serving the token-exchange endpoint at /oauth2/token and its discovery and JWKS, on Kestrel at 127.0.0.1,
/// with a secret client, a key client and the converter of TestTokens' issuer re-issuing through the "partner"
/// profile (array shape). Requests are built by hand: form bodies as strings or bytes, headers set directly.
/// </summary>
internal sealed class ExchangeHost : IAsyncDisposable
{
    public const string OurIssuer = "https://issuer.test";
    public const string Partner = "https://partner.test";
    public const string PartnerSecondAudience = "https://partner.test/second";
    public const string Reports = "https://reports.test";
    public const string SecretClient = "billing-service";
    public const string Secret = "billing-secret-0123456789abcdef0123456789abcdef";
    public const string KeyClient = "jwt-service";
    public const string EndpointPath = "/oauth2/token";
    public const string TokenExchangeGrant = "urn:ietf:params:oauth:grant-type:token-exchange";
    public const string AccessTokenType = "urn:ietf:params:oauth:token-type:access_token";
    public const string JwtTokenType = "urn:ietf:params:oauth:token-type:jwt";
    public const string AssertionType = "urn:ietf:params:oauth:client-assertion-type:jwt-bearer";

    public static readonly TokenSigningKey OurKey = TokenSigningKey.Generate(SecurityAlgorithms.EcdsaSha256, "ours-1");
    public static readonly TokenSigningKey ClientKey = TokenSigningKey.Generate(SecurityAlgorithms.RsaSha256, "client-1");
    public static readonly TokenSigningKey OtherClientKey = TokenSigningKey.Generate(SecurityAlgorithms.RsaSha256, "client-1");

    private static readonly Lazy<string> s_secretHash = new(() => TokenExchangeClientSecret.Hash(Secret));
    private static readonly JsonWebTokenHandler s_handler = new() { SetDefaultTimesOnTokenCreation = false };

    private readonly KestrelApp _app;

    private ExchangeHost(KestrelApp app) => _app = app;

    public HttpClient Client => _app.Client;

    public CapturedLogs Logs => _app.Logs;

    public Uri Address => _app.Address;

    public Uri Endpoint => new(_app.Address, EndpointPath.TrimStart('/'));

    public IServiceProvider Services => _app.Services;

    /// <summary>Starts a host; <paramref name="configure"/> changes the endpoint's options after the defaults.</summary>
    public static async Task<ExchangeHost> StartAsync(
        Action<TokenExchangeOptions>? configure = null,
        bool twoTargets = false,
        Action<WebApplicationBuilder>? services = null,
        Action<WebApplication>? map = null)
    {
        var app = await KestrelApp.StartAsync(
            builder =>
            {
                builder.Services.AddArrayScopeTokens("partner", o =>
                {
                    o.Issuer = OurIssuer;
                    o.Audiences.Add(Partner);
                    o.Audiences.Add(PartnerSecondAudience);
                    o.SigningKeys = new SigningKeySet(OurKey);
                });
                builder.Services.AddScopeTokenConverter(o =>
                {
                    o.ProfileName = "partner";
                    o.Issuers.Add(Inbound());
                });
                if (twoTargets)
                {
                    builder.Services.AddScopeTokens("reports", ScopeFormat.SpaceDelimited, o =>
                    {
                        o.Issuer = OurIssuer + "/reports";
                        o.Audiences.Add(Reports);
                        o.SigningKeys = new SigningKeySet(OurKey);
                    });
                    builder.Services.AddScopeTokenConverter("reports", o =>
                    {
                        o.ProfileName = "reports";
                        o.Issuers.Add(Inbound());
                    });
                }

                builder.Services.AddTokenExchange(o =>
                {
                    var secretClient = new TokenExchangeClient { ClientId = SecretClient, SecretHash = s_secretHash.Value };
                    secretClient.AllowedAudiences.Add(Partner);
                    secretClient.AllowedAudiences.Add(PartnerSecondAudience);
                    secretClient.AllowedScopes.Add("read");
                    secretClient.AllowedScopes.Add("write");
                    o.Clients.Add(secretClient);

                    var keyClient = new TokenExchangeClient { ClientId = KeyClient, JwksJson = new SigningKeySet(ClientKey).ExportPublicJwks() };
                    keyClient.AllowedAudiences.Add(Partner);
                    keyClient.AllowedScopes.Add("read");
                    o.Clients.Add(keyClient);
                    if (twoTargets)
                    {
                        o.Converters.Add(string.Empty);
                        o.Converters.Add("reports");
                        secretClient.AllowedAudiences.Add(Reports);
                    }

                    configure?.Invoke(o);
                });
                services?.Invoke(builder);
            },
            app =>
            {
                map?.Invoke(app);
                app.MapTokenExchange(EndpointPath);
                app.MapScopeTokenMetadata("partner");
            });
        return new ExchangeHost(app);
    }

    public static InboundIssuerOptions Inbound()
    {
        var inbound = new InboundIssuerOptions { Issuer = TestTokens.Issuer };
        inbound.Audiences.Add(TestTokens.Audience);
        inbound.Algorithms.Add(SecurityAlgorithms.EcdsaSha256);
        inbound.SigningKeys.Add(TestTokens.Key.Key);
        return inbound;
    }

    /// <summary>A subject token of TestTokens' issuer with <c>"scope":"read write"</c>.</summary>
    public static string Subject(string scope = "read write") => TestTokens.Create($"\"scope\":\"{scope}\"");

    /// <summary>A form body built by hand: each name and value percent-encoded, joined by &amp;.</summary>
    public static string Form(params (string Name, string Value)[] pairs) =>
        string.Join('&', pairs.Select(p => Uri.EscapeDataString(p.Name) + "=" + Uri.EscapeDataString(p.Value)));

    /// <summary>The parameters of an exchange of <paramref name="subject"/> with nothing else.</summary>
    public static (string, string)[] Exchange(string subject, params (string, string)[] more) =>
        [("grant_type", TokenExchangeGrant), ("subject_token", subject), ("subject_token_type", AccessTokenType), .. more];

    public static string BasicHeader(string clientId = SecretClient, string secret = Secret) =>
        "Basic " + Convert.ToBase64String(Encoding.UTF8.GetBytes(Uri.EscapeDataString(clientId) + ":" + Uri.EscapeDataString(secret)));

    /// <summary>A client assertion (RFC 7523 §2.2) built from exact payload JSON members after iss and sub.</summary>
    public static string Assertion(string audience, string? jti = null, long? expiresIn = 60, TokenSigningKey? key = null, string clientId = KeyClient, string? extra = null, string? subject = null)
    {
        var now = DateTimeOffset.UtcNow.ToUnixTimeSeconds();
        var members = new List<string>
        {
            $"\"iss\":\"{clientId}\"",
            $"\"sub\":\"{subject ?? clientId}\"",
            $"\"aud\":\"{audience}\"",
            string.Create(CultureInfo.InvariantCulture, $"\"iat\":{now}"),
        };
        if (expiresIn is { } seconds)
        {
            members.Add(string.Create(CultureInfo.InvariantCulture, $"\"exp\":{now + seconds}"));
        }

        if (jti is not "")
        {
            members.Add($"\"jti\":\"{jti ?? Guid.NewGuid().ToString("N")}\"");
        }

        if (extra is not null)
        {
            members.Add(extra);
        }

        return s_handler.CreateToken("{" + string.Join(',', members) + "}", (key ?? ClientKey).Credentials);
    }

    public Task<HttpResponseMessage> PostAsync(string body, string? authorization = null, string contentType = "application/x-www-form-urlencoded") =>
        PostAsync(Encoding.UTF8.GetBytes(body), authorization, contentType);

    public Task<HttpResponseMessage> PostAsync(byte[] body, string? authorization = null, string contentType = "application/x-www-form-urlencoded")
    {
        var request = new HttpRequestMessage(HttpMethod.Post, EndpointPath.TrimStart('/')) { Content = new ByteArrayContent(body) };
        request.Content.Headers.ContentType = MediaTypeHeaderValue.Parse(contentType);
        if (authorization is not null)
        {
            request.Headers.TryAddWithoutValidation("Authorization", authorization);
        }

        return Client.SendAsync(request);
    }

    /// <summary>
    /// Posts <paramref name="body"/> once to the endpoint at each of <paramref name="addresses"/>, each from its own
    /// client and connection, all started together, so the servers handle them in parallel; the statuses, in order.
    /// </summary>
    public static async Task<HttpStatusCode[]> PostConcurrentlyAsync(IReadOnlyList<Uri> addresses, string body)
    {
        var clients = addresses.Select(a => new HttpClient { BaseAddress = a }).ToArray();
        try
        {
            var responses = await Task.WhenAll(clients.Select(c => c.PostAsync(EndpointPath.TrimStart('/'), new StringContent(body, Encoding.UTF8, "application/x-www-form-urlencoded"))));
            var statuses = responses.Select(r => r.StatusCode).ToArray();
            foreach (var response in responses)
            {
                response.Dispose();
            }

            return statuses;
        }
        finally
        {
            foreach (var client in clients)
            {
                client.Dispose();
            }
        }
    }

    /// <summary>
    /// Sends a POST to the endpoint over a raw socket, with <paramref name="headers"/> (CRLF-terminated lines) written
    /// exactly as given, so nothing folds, reorders or drops them; the whole raw answer.
    /// </summary>
    public async Task<string> PostRawAsync(string headers, string body)
    {
        var request = $"POST {EndpointPath} HTTP/1.1\r\nHost: {Address.Authority}\r\n{headers}Content-Type: application/x-www-form-urlencoded\r\nContent-Length: {Encoding.ASCII.GetByteCount(body)}\r\nConnection: close\r\n\r\n{body}";
        using var socket = new System.Net.Sockets.TcpClient();
        await socket.ConnectAsync(IPAddress.Loopback, Address.Port);
        var stream = socket.GetStream();
        await stream.WriteAsync(Encoding.ASCII.GetBytes(request));
        using var reader = new StreamReader(stream, Encoding.ASCII);
        return await reader.ReadToEndAsync();
    }

    /// <summary>Posts an exchange authenticated with client_secret_basic.</summary>
    public Task<HttpResponseMessage> ExchangeAsync(params (string, string)[] pairs) => PostAsync(Form(pairs), BasicHeader());

    public async Task<SecurityKey[]> PublishedKeysAsync()
    {
        var jwks = await Client.GetStringAsync(new Uri(".well-known/jwks.json", UriKind.Relative));
        return new JsonWebKeySet(jwks).GetSigningKeys().ToArray();
    }

    public ValueTask DisposeAsync() => _app.DisposeAsync();

    /// <summary>Asserts the exact RFC 6749 §5.2 body, the status, no-store, and for 401 the Basic challenge.</summary>
    public static async Task AssertErrorAsync(HttpResponseMessage response, HttpStatusCode status, string error, string description)
    {
        var body = await response.Content.ReadAsStringAsync();
        Assert.Equal(status, response.StatusCode);
        var expected = $$"""{"error":"{{error}}","error_description":"{{description}}"}""";
        Assert.True(expected == body, $"expected {expected}\n  actual {body}");
        Assert.Equal("application/json", response.Content.Headers.ContentType?.MediaType);
        Assert.True(response.Headers.CacheControl?.NoStore, "Cache-Control: no-store");
        if (status == HttpStatusCode.Unauthorized)
        {
            Assert.Equal("Basic", Assert.Single(response.Headers.WwwAuthenticate).Scheme);
        }
    }

    public static async Task<JsonElement> AssertSuccessAsync(HttpResponseMessage response)
    {
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.OK, $"{(int)response.StatusCode}: {body}");
        Assert.True(response.Headers.CacheControl?.NoStore, "Cache-Control: no-store");
        Assert.Equal("application/json", response.Content.Headers.ContentType?.MediaType);
        return JsonDocument.Parse(body).RootElement.Clone();
    }

    /// <summary>Validates an issued token under Microsoft.IdentityModel with the keys this host publishes.</summary>
    public async Task<JsonWebToken> VerifyIssuedAsync(string token, string audience = Partner, string issuer = OurIssuer)
    {
        var result = await new JsonWebTokenHandler { MapInboundClaims = false }.ValidateTokenAsync(token, new TokenValidationParameters
        {
            ValidIssuer = issuer,
            ValidAudience = audience,
            IssuerSigningKeys = await PublishedKeysAsync(),
            ValidAlgorithms = [SecurityAlgorithms.EcdsaSha256],
        });
        Assert.True(result.IsValid, result.Exception?.Message);
        return (JsonWebToken)result.SecurityToken;
    }

    /// <summary>The raw JSON of a token's <c>scope</c> claim.</summary>
    public static string ScopeJson(JsonWebToken token) =>
        JsonDocument.Parse(Base64UrlEncoder.Decode(token.EncodedPayload)).RootElement.GetProperty("scope").GetRawText();

    /// <summary>Asserts that no log line holds any of the given secrets.</summary>
    public void AssertLogsHoldNone(params string[] secrets)
    {
        foreach (var entry in Logs.Entries)
        {
            foreach (var secret in secrets)
            {
                Assert.DoesNotContain(secret, entry.Text, StringComparison.Ordinal);
            }
        }
    }

    public int RefusalLogs(string error) => Logs.Entries.Count(e => e.Event.Name == "TokenExchangeRefused" && e.Text.Contains(error, StringComparison.Ordinal));
}
