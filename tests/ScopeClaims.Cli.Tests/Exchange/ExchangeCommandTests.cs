using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;
using ScopeClaims.AspNetCore;
using ScopeClaims.Tests.Shared;

namespace ScopeClaims.Cli.Tests.Exchange;

/// <summary><c>scopeclaims exchange</c> against the real token-exchange endpoint on 127.0.0.1, and against endpoints that misbehave.</summary>
public sealed class ExchangeCommandTests : IAsyncLifetime, IDisposable
{
    private const string OurIssuer = "https://exchange.test";
    private const string Partner = "https://partner.test";
    private const string Secret = "cli-secret-0123456789abcdef0123456789abcdef01";

    private static readonly TokenSigningKey OurKey = TokenSigningKey.Generate(SecurityAlgorithms.EcdsaSha256, "exchange-1");
    private static readonly Lazy<string> s_secretHash = new(() => TokenExchangeClientSecret.Hash(Secret));

    private readonly TempDirectory _dir = new();
    private readonly string _secretVariable = "SCOPECLAIMS_TEST_SECRET_" + Guid.NewGuid().ToString("N");
    private (string Key, string Jwks) _source;
    private (string Key, string Jwks) _client;
    private LoopbackServer? _server;

    private string Endpoint => new Uri(_server!.Address, "oauth2/token").AbsoluteUri;

    public async Task InitializeAsync()
    {
        _source = TestTokens.NewKey(_dir, "source");
        _client = TestTokens.NewKey(_dir, "client", "RS256");
        Environment.SetEnvironmentVariable(_secretVariable, Secret);
        var sourceJwks = File.ReadAllText(_source.Jwks);
        var clientJwks = File.ReadAllText(_client.Jwks);
        _server = await LoopbackServer.StartAsync(
            app => app.MapTokenExchange(),
            builder =>
            {
                builder.Services.AddArrayScopeTokens(o =>
                {
                    o.Issuer = OurIssuer;
                    o.Audiences.Add(Partner);
                    o.SigningKeys = new SigningKeySet(OurKey);
                });
                builder.Services.AddScopeTokenConverter(o =>
                {
                    var inbound = new InboundIssuerOptions { Issuer = TestTokens.Issuer, JwksJson = sourceJwks };
                    inbound.Audiences.Add(TestTokens.Audience);
                    inbound.Algorithms.Add("ES256");
                    o.Issuers.Add(inbound);
                });
                builder.Services.AddTokenExchange(o =>
                {
                    var secretClient = new TokenExchangeClient { ClientId = "billing-service", SecretHash = s_secretHash.Value };
                    secretClient.AllowedAudiences.Add(Partner);
                    secretClient.AllowedScopes.Add("read");
                    secretClient.AllowedScopes.Add("write");
                    o.Clients.Add(secretClient);
                    var keyClient = new TokenExchangeClient { ClientId = "jwt-service", JwksJson = clientJwks };
                    keyClient.AllowedAudiences.Add(Partner);
                    keyClient.AllowedScopes.Add("read");
                    o.Clients.Add(keyClient);
                });
            });
    }

    public async Task DisposeAsync()
    {
        Environment.SetEnvironmentVariable(_secretVariable, null);
        if (_server is not null)
        {
            await _server.DisposeAsync();
        }
    }

    public void Dispose() => _dir.Dispose();

    [Fact]
    public async Task Exchange_SecretFromEnvironment_PrintsTheIssuedTokenAloneThatVerifies()
    {
        var subject = Subject("read write");

        var result = await RunAsync(subject, "--endpoint", Endpoint, "--client-id", "billing-service", "--client-secret-env", _secretVariable, "--audience", Partner);

        var token = result.Token;
        Assert.Equal(string.Empty, result.Error);
        Assert.True(await VerifiesAsync(token));
        Assert.Equal("""["read","write"]""", TestTokens.Payload(token).GetProperty("scope").GetRawText());
    }

    [Fact]
    public async Task Exchange_PrivateKeyJwt_WithScope_PrintsADownScopedToken()
    {
        var result = await RunAsync(Subject("read write"), "--endpoint", Endpoint, "--client-id", "jwt-service", "--key", _client.Key, "--assertion-audience", OurIssuer, "--scope", "read");

        var token = result.Token;
        Assert.True(await VerifiesAsync(token));
        Assert.Equal("""["read"]""", TestTokens.Payload(token).GetProperty("scope").GetRawText());
    }

    [Fact]
    public async Task Exchange_PrivateKeyJwt_SendsAFreshAssertionForTheEndpointUrlByDefault()
    {
        var seen = new List<IFormCollection>();
        await using var recorder = await LoopbackServer.StartAsync(app => app.MapPost("/oauth2/token", async (HttpContext c) =>
        {
            seen.Add(await c.Request.ReadFormAsync());
            return Results.Text("""{"access_token":"a.b.c","token_type":"Bearer","issued_token_type":"urn:ietf:params:oauth:token-type:access_token"}""", "application/json");
        }));
        var endpoint = new Uri(recorder.Address, "oauth2/token").AbsoluteUri;

        var first = await RunAsync(Subject("read"), "--endpoint", endpoint, "--client-id", "jwt-service", "--key", _client.Key, "--audience", Partner, "--scope", "read");
        var second = await RunAsync(Subject("read"), "--endpoint", endpoint, "--client-id", "jwt-service", "--key", _client.Key);

        Assert.Equal("a.b.c\n", first.Out);
        Assert.Equal(0, second.ExitCode);
        var form = seen[0];
        Assert.Equal("urn:ietf:params:oauth:grant-type:token-exchange", form["grant_type"]);
        Assert.Equal("urn:ietf:params:oauth:token-type:access_token", form["subject_token_type"]);
        Assert.Equal(Partner, form["audience"]);
        Assert.Equal("read", form["scope"]);
        Assert.Equal("urn:ietf:params:oauth:client-assertion-type:jwt-bearer", form["client_assertion_type"]);
        var assertion = new JsonWebToken(form["client_assertion"]!);
        Assert.Equal("jwt-service", assertion.Issuer);
        Assert.Equal("jwt-service", assertion.Subject);
        Assert.Equal([endpoint], assertion.Audiences);
        Assert.InRange((assertion.ValidTo - assertion.IssuedAt).TotalSeconds, 60, 60);
        Assert.Matches("^[0-9A-F]{32}$", assertion.Id);
        Assert.NotEqual(assertion.Id, new JsonWebToken(seen[1]["client_assertion"]!).Id);
        Assert.False(form.ContainsKey("client_secret"));
        var keys = new JsonWebKeySet(File.ReadAllText(_client.Jwks)).GetSigningKeys();
        Assert.True((await new JsonWebTokenHandler().ValidateTokenAsync(form["client_assertion"]!, new TokenValidationParameters { ValidIssuer = "jwt-service", ValidAudience = endpoint, IssuerSigningKeys = keys })).IsValid);
    }

    [Fact]
    public async Task Exchange_TokenOnStandardInput_Issues()
    {
        var result = await Task.Run(() => CliRunner.RunWithInput(Subject("read") + "\n", "exchange", "--endpoint", Endpoint, "--client-id", "billing-service", "--client-secret-env", _secretVariable));

        Assert.True(await VerifiesAsync(result.Token));
    }

    [Fact]
    public async Task Exchange_WrongSecret_Exit1WithTheEndpointsErrorAndNoSecret()
    {
        Environment.SetEnvironmentVariable(_secretVariable, Secret + "-wrong");
        var subject = Subject("read");

        var result = await RunAsync(subject, "--endpoint", Endpoint, "--client-id", "billing-service", "--client-secret-env", _secretVariable);

        Assert.Equal(ExitCodesOf.Refused, result.ExitCode);
        Assert.Equal(string.Empty, result.Out);
        Assert.Equal("error: the endpoint refused the exchange: invalid_client (HTTP 401): Client authentication failed.\n", result.Error);
        Assert.DoesNotContain(Secret, result.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Exchange_ExpiredSubject_Exit1InvalidGrantWithoutTheToken()
    {
        var expired = TestTokens.Expired(_source.Key, "read");

        var result = await RunAsync(expired, "--endpoint", Endpoint, "--client-id", "billing-service", "--client-secret-env", _secretVariable);

        Assert.Equal(ExitCodesOf.Refused, result.ExitCode);
        Assert.StartsWith("error: the endpoint refused the exchange: invalid_grant (HTTP 400): The subject token was refused (Expired)", result.Error, StringComparison.Ordinal);
        Assert.DoesNotContain(expired, result.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Exchange_NothingListening_Exit3()
    {
        var port = _server!.Address.Port;
        await _server.DisposeAsync();
        _server = null;

        var result = await RunAsync(Subject("read"), "--endpoint", $"http://127.0.0.1:{port}/oauth2/token", "--client-id", "billing-service", "--client-secret-env", _secretVariable);

        Assert.Equal(ExitCodesOf.Unavailable, result.ExitCode);
        Assert.Equal("error: The endpoint could not be reached (ConnectionError).\n", result.Error);
    }

    [Theory]
    [InlineData(500, "text/html", "<html>oops</html>", "error: The endpoint answered HTTP 500 without an OAuth error.\n")]
    [InlineData(200, "application/json", """{"access_token":"a","access_token":"b","token_type":"Bearer"}""", "error: The endpoint answered 200 with a body that is not one well-formed JSON object (invalid UTF-8, a member named twice, or nesting too deep).\n")]
    [InlineData(200, "application/json", """{"access_token":"a.b.c","token_type":"DPoP"}""", "error: The endpoint answered HTTP 200 without an access_token of token_type Bearer.\n")]
    [InlineData(200, "application/json", """{"access_token":"a.b.c\nforged","token_type":"Bearer"}""", "error: The endpoint's access_token holds whitespace or characters outside printable ASCII.\n")]
    [InlineData(307, "text/plain", "", "error: The endpoint answered HTTP 307 without an OAuth error.\n")]
    public async Task Exchange_EndpointMisbehaves_Exit3(int status, string contentType, string body, string error)
    {
        await using var fake = await LoopbackServer.StartAsync(app => app.MapPost("/oauth2/token", (HttpContext c) =>
        {
            if (status == 307)
            {
                c.Response.Headers.Location = "http://127.0.0.1:9/elsewhere";
            }

            return Results.Text(body, contentType, statusCode: status);
        }));

        var result = await RunAsync(Subject("read"), "--endpoint", new Uri(fake.Address, "oauth2/token").AbsoluteUri, "--client-id", "billing-service", "--client-secret-env", _secretVariable);

        Assert.Equal(ExitCodesOf.Unavailable, result.ExitCode);
        Assert.Equal(string.Empty, result.Out);
        Assert.Equal(error, result.Error);
    }

    [Fact]
    public async Task Exchange_EndpointTricklesItsBody_Exit3AtTheDeadline()
    {
        // The headers come at once, then one byte every 200 ms (for at most 10 s, or until the client goes away).
        await using var fake = await LoopbackServer.StartAsync(app => app.MapPost("/oauth2/token", async (HttpContext c) =>
        {
            c.Response.ContentType = "application/json";
            await c.Response.StartAsync(c.RequestAborted);
            await c.Response.Body.WriteAsync("{"u8.ToArray(), c.RequestAborted);
            await c.Response.Body.FlushAsync(c.RequestAborted);
            for (var i = 0; i < 50 && !c.RequestAborted.IsCancellationRequested; i++)
            {
                await Task.Delay(200, c.RequestAborted);
                await c.Response.Body.WriteAsync(" "u8.ToArray(), c.RequestAborted);
                await c.Response.Body.FlushAsync(c.RequestAborted);
            }
        }));

        var result = await RunAsync(Subject("read"), "--endpoint", new Uri(fake.Address, "oauth2/token").AbsoluteUri, "--client-id", "billing-service", "--client-secret-env", _secretVariable, "--timeout", "1");

        Assert.Equal(ExitCodesOf.Unavailable, result.ExitCode);
        Assert.Equal(string.Empty, result.Out);
        Assert.Equal("error: The endpoint did not answer in full within 1 seconds.\n", result.Error);
    }

    [Theory]
    [InlineData("0")]
    [InlineData("301")]
    public async Task Exchange_TimeoutOutOfRange_Exit2(string seconds)
    {
        var result = await RunAsync(Subject("read"), "--endpoint", Endpoint, "--client-id", "billing-service", "--client-secret-env", _secretVariable, "--timeout", seconds);

        Assert.Equal(ExitCodesOf.Usage, result.ExitCode);
        Assert.Equal("error: --timeout must be between 1 and 300 seconds.\n", result.Error);
    }

    [Fact]
    public async Task Exchange_EndpointEchoesTheSecretInItsError_DescriptionIsDropped()
    {
        await using var fake = await LoopbackServer.StartAsync(app => app.MapPost("/oauth2/token", () =>
            Results.Text($$"""{"error":"invalid_client","error_description":"bad secret {{Secret}}"}""", "application/json", statusCode: 401)));

        var result = await RunAsync(Subject("read"), "--endpoint", new Uri(fake.Address, "oauth2/token").AbsoluteUri, "--client-id", "billing-service", "--client-secret-env", _secretVariable);

        Assert.Equal(ExitCodesOf.Refused, result.ExitCode);
        Assert.Equal("error: the endpoint refused the exchange: invalid_client (HTTP 401).\n", result.Error);
    }

    [Theory]
    [InlineData(true, true, "error: Pass exactly one of --client-secret-env VAR (client_secret_basic) and --key FILE (private_key_jwt).\n")]
    [InlineData(false, false, "error: Pass exactly one of --client-secret-env VAR (client_secret_basic) and --key FILE (private_key_jwt).\n")]
    public async Task Exchange_NotExactlyOneCredential_Exit2(bool secret, bool key, string error)
    {
        var args = new List<string> { "--endpoint", Endpoint, "--client-id", "billing-service" };
        if (secret)
        {
            args.AddRange(["--client-secret-env", _secretVariable]);
        }

        if (key)
        {
            args.AddRange(["--key", _client.Key]);
        }

        var result = await RunAsync(Subject("read"), [.. args]);

        Assert.Equal(ExitCodesOf.Usage, result.ExitCode);
        Assert.Equal(error, result.Error);
    }

    [Fact]
    public async Task Exchange_SecretVariableUnset_Exit2NamingTheVariableOnly()
    {
        var result = await RunAsync(Subject("read"), "--endpoint", Endpoint, "--client-id", "billing-service", "--client-secret-env", "SCOPECLAIMS_TEST_UNSET_" + Guid.NewGuid().ToString("N"));

        Assert.Equal(ExitCodesOf.Usage, result.ExitCode);
        Assert.Matches("^error: The environment variable 'SCOPECLAIMS_TEST_UNSET_[0-9a-f]{32}' named by --client-secret-env is not set or empty.\n$", result.Error);
    }

    [Theory]
    [InlineData("http://example.com/oauth2/token", "error: --endpoint must use https (http is accepted on loopback addresses only).\n")]
    [InlineData("ftp://127.0.0.1/token", "error: --endpoint is not an absolute http(s) URL without user info or fragment.\n")]
    [InlineData("https://user:pass@example.com/token", "error: --endpoint is not an absolute http(s) URL without user info or fragment.\n")]
    [InlineData("/oauth2/token", "error: --endpoint is not an absolute http(s) URL without user info or fragment.\n")]
    public async Task Exchange_BadEndpoint_Exit2(string endpoint, string error)
    {
        var result = await RunAsync(Subject("read"), "--endpoint", endpoint, "--client-id", "billing-service", "--client-secret-env", _secretVariable);

        Assert.Equal(ExitCodesOf.Usage, result.ExitCode);
        Assert.Equal(error, result.Error);
    }

    private static Task<CliResult> RunAsync(string subject, params string[] args) =>
        Task.Run(() => CliRunner.Run(["exchange", subject, .. args]));

    private string Subject(string scope) => CliRunner.Run("issue", "--scope", scope, "--key", _source.Key).Token;

    private static async Task<bool> VerifiesAsync(string token)
    {
        var result = await new JsonWebTokenHandler().ValidateTokenAsync(token, new TokenValidationParameters
        {
            ValidIssuer = OurIssuer,
            ValidAudience = Partner,
            IssuerSigningKeys = new JsonWebKeySet(new SigningKeySet(OurKey).ExportPublicJwks()).GetSigningKeys(),
        });
        return result.IsValid;
    }

    /// <summary>The tool's documented exit codes, as scripts read them.</summary>
    private static class ExitCodesOf
    {
        public const int Refused = 1;
        public const int Usage = 2;
        public const int Unavailable = 3;
    }
}
