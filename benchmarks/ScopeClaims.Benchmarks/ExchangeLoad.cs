using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Text;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;
using ScopeClaims.AspNetCore;

namespace ScopeClaims.Benchmarks;

/// <summary>
/// A load generator for the token-exchange endpoint on loopback: requests per second, p50 and p99 through
/// <c>MapTokenExchange</c> (anonymous, client_secret_basic, private_key_jwt) against a minimal API that calls the same
/// converter directly (the floor: Kestrel, HTTP and the conversion, without the endpoint's own work). One Kestrel host
/// on 127.0.0.1, an HttpClient driver in the same process; scenarios alternate in rounds so a slow spell of the VM
/// hits them alike. Bounded: <c>requests</c> per scenario and round (a twentieth of that for wrong secrets: PBKDF2).
/// </summary>
/// <remarks>dotnet run -c Release --project benchmarks/ScopeClaims.Benchmarks -- --exchange-load [requests] [concurrency] [rounds]</remarks>
internal static class ExchangeLoad
{
    private const string Secret = "bench-secret-0123456789abcdef0123456789abcdef";
    private const string Grant = "urn:ietf:params:oauth:grant-type:token-exchange";
    private const string AccessTokenType = "urn:ietf:params:oauth:token-type:access_token";

    public static async Task RunAsync(int requests, int concurrency, int rounds)
    {
        var inboundKey = TokenSigningKey.Generate(SecurityAlgorithms.EcdsaSha256, "idp-1");
        var clientKey = TokenSigningKey.Generate(SecurityAlgorithms.EcdsaSha256, "client-1");
        var subject = Subject(inboundKey);
        await using var app = await StartAsync(inboundKey, clientKey, anonymous: false);
        await using var anonymousApp = await StartAsync(inboundKey, clientKey, anonymous: true);
        using var client = Client(app, concurrency);
        using var anonymousClient = Client(anonymousApp, concurrency);
        var basic = "Basic " + Convert.ToBase64String(Encoding.UTF8.GetBytes("bench-client:" + Secret));
        var exchangeBody = $"grant_type={Uri.EscapeDataString(Grant)}&subject_token={subject}&subject_token_type={Uri.EscapeDataString(AccessTokenType)}&audience={Uri.EscapeDataString("https://partner.example")}";

        // Note: client assertions are signed before a scenario's timing starts (each is used once), so the driver's
        // signing does not share the measured window with the endpoint.
        string[] assertions = [];
        var wrong = "Basic " + Convert.ToBase64String(Encoding.UTF8.GetBytes("bench-client:" + Secret + "-wrong"));
        var scenarios = new (string Name, HttpClient Client, int Count, HttpStatusCode Expected, Func<int, HttpRequestMessage> Request)[]
        {
            ("minimal API calling IScopeTokenConverter (floor)", client, requests, HttpStatusCode.OK, _ => Post("/direct", subject, "text/plain")),
            ("MapTokenExchange, anonymous", anonymousClient, requests, HttpStatusCode.OK, _ => Post("/oauth2/token", exchangeBody)),
            ("MapTokenExchange, private_key_jwt", client, requests, HttpStatusCode.OK, i => Post("/oauth2/token", exchangeBody + "&client_assertion_type=urn%3Aietf%3Aparams%3Aoauth%3Aclient-assertion-type%3Ajwt-bearer&client_assertion=" + assertions[i])),
            ("MapTokenExchange, client_secret_basic (verified secret remembered)", client, requests, HttpStatusCode.OK, _ => Post("/oauth2/token", exchangeBody, authorization: basic)),
            ("MapTokenExchange, wrong secret (a PBKDF2 derivation each, 401)", client, Math.Max(1, requests / 20), HttpStatusCode.Unauthorized, _ => Post("/oauth2/token", exchangeBody, authorization: wrong)),
        };

        var latencies = scenarios.Select(_ => new List<double>()).ToArray();
        var rates = scenarios.Select(_ => new List<double>()).ToArray();
        for (var round = -1; round < rounds; round++)
        {
            for (var s = 0; s < scenarios.Length; s++)
            {
                // Note: round -1 warms every path up (JIT, connections, caches) and is not recorded.
                var count = round < 0 ? Math.Min(50, scenarios[s].Count) : scenarios[s].Count;
                assertions = Enumerable.Range(0, count).Select(_ => Assertion(clientKey)).ToArray();
                var watch = Stopwatch.StartNew();
                await DriveAsync(scenarios[s].Client, count, concurrency, scenarios[s].Expected, scenarios[s].Request, round < 0 ? [] : latencies[s]);
                if (round < 0)
                {
                    continue;
                }

                rates[s].Add(scenarios[s].Count / watch.Elapsed.TotalSeconds);
            }
        }

        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{requests} requests per scenario and round ({Math.Max(1, requests / 20)} for the wrong secret), {concurrency} concurrent, {rounds} rounds, loopback, .NET {Environment.Version}"));
        Console.WriteLine();
        Console.WriteLine("| scenario | requests/s (median round) | p50 ms | p99 ms |");
        Console.WriteLine("|---|---:|---:|---:|");
        for (var s = 0; s < scenarios.Length; s++)
        {
            var sorted = latencies[s].Order().ToArray();
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"| {scenarios[s].Name} | {Median(rates[s]):0} | {Percentile(sorted, 0.50):0.00} | {Percentile(sorted, 0.99):0.00} |"));
        }

        HttpRequestMessage Post(string path, string body, string contentType = "application/x-www-form-urlencoded", string? authorization = null)
        {
            var message = new HttpRequestMessage(HttpMethod.Post, path) { Content = new ByteArrayContent(Encoding.UTF8.GetBytes(body)) };
            message.Content.Headers.ContentType = MediaTypeHeaderValue.Parse(contentType);
            if (authorization is not null)
            {
                message.Headers.TryAddWithoutValidation("Authorization", authorization);
            }

            return message;
        }
    }

    private static async Task DriveAsync(HttpClient client, int count, int concurrency, HttpStatusCode expected, Func<int, HttpRequestMessage> request, List<double> latencies)
    {
        var next = -1;
        var results = new List<double>[concurrency];
        await Task.WhenAll(Enumerable.Range(0, concurrency).Select(async worker =>
        {
            var mine = results[worker] = [];
            int i;
            while ((i = Interlocked.Increment(ref next)) < count)
            {
                using var message = request(i);
                var start = Stopwatch.GetTimestamp();
                using var response = await client.SendAsync(message);
                await response.Content.ReadAsByteArrayAsync();
                mine.Add(Stopwatch.GetElapsedTime(start).TotalMilliseconds);
                if (response.StatusCode != expected)
                {
                    throw new InvalidOperationException($"HTTP {(int)response.StatusCode} from {message.RequestUri}: {await response.Content.ReadAsStringAsync()}");
                }
            }
        }));
        foreach (var list in results)
        {
            latencies.AddRange(list);
        }
    }

    private static HttpClient Client(WebApplication app, int concurrency) => new(new SocketsHttpHandler { MaxConnectionsPerServer = concurrency, UseCookies = false })
    {
        BaseAddress = new Uri(app.Services.GetRequiredService<IServer>().Features.GetRequiredFeature<IServerAddressesFeature>().Addresses.Single()),
    };

    private static async Task<WebApplication> StartAsync(TokenSigningKey inboundKey, TokenSigningKey clientKey, bool anonymous)
    {
        var builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions { EnvironmentName = "Benchmark" });
        builder.WebHost.ConfigureKestrel(k => k.Listen(IPAddress.Loopback, 0));
        builder.Logging.ClearProviders();
        builder.Services.AddArrayScopeTokens("partner", o =>
        {
            o.Issuer = "https://issuer.example";
            o.Audiences.Add("https://partner.example");
            o.SigningKeys = new SigningKeySet(TokenSigningKey.Generate(SecurityAlgorithms.EcdsaSha256, "ours-1"));
        });
        builder.Services.AddScopeTokenConverter(o =>
        {
            o.ProfileName = "partner";
            var inbound = new InboundIssuerOptions { Issuer = "https://idp.example" };
            inbound.Audiences.Add("https://api.example");
            inbound.Algorithms.Add("ES256");
            inbound.SigningKeys.Add(inboundKey.Key);
            o.Issuers.Add(inbound);
        });
        builder.Services.AddTokenExchange(o =>
        {
            var secretClient = new TokenExchangeClient { ClientId = "bench-client", SecretHash = TokenExchangeClientSecret.Hash(Secret) };
            secretClient.AllowedAudiences.Add("https://partner.example");
            secretClient.AllowedScopes.Add("read");
            secretClient.AllowedScopes.Add("write");
            o.Clients.Add(secretClient);
            var keyClient = new TokenExchangeClient { ClientId = "bench-key-client", JwksJson = new SigningKeySet(clientKey).ExportPublicJwks() };
            keyClient.AllowedAudiences.Add("https://partner.example");
            keyClient.AllowedScopes.Add("read");
            keyClient.AllowedScopes.Add("write");
            o.Clients.Add(keyClient);
            o.AllowAnonymousClients = anonymous;
            if (anonymous)
            {
                o.AnonymousAllowedAudiences.Add("https://partner.example");
                o.AnonymousAllowedScopes.Add("read");
                o.AnonymousAllowedScopes.Add("write");
            }
        });

        var app = builder.Build();
        app.MapTokenExchange("/oauth2/token");
        app.MapPost("/direct", async (HttpContext context, IScopeTokenConverter converter) =>
        {
            using var reader = new StreamReader(context.Request.Body);
            var result = await converter.ConvertAsync(await reader.ReadToEndAsync(context.RequestAborted), context.RequestAborted);
            return Results.Json(new Dictionary<string, object> { ["access_token"] = result.Token, ["token_type"] = "Bearer" });
        });
        await app.StartAsync();
        return app;
    }

    private static string Subject(TokenSigningKey key)
    {
        var now = DateTimeOffset.UtcNow.ToUnixTimeSeconds();
        return new JsonWebTokenHandler { SetDefaultTimesOnTokenCreation = false }.CreateToken(
            string.Create(CultureInfo.InvariantCulture, $$"""{"iss":"https://idp.example","aud":"https://api.example","sub":"client-1","iat":{{now}},"exp":{{now + 3600}},"scope":"read write"}"""),
            key.Credentials);
    }

    private static string Assertion(TokenSigningKey key)
    {
        var now = DateTimeOffset.UtcNow.ToUnixTimeSeconds();
        return new JsonWebTokenHandler { SetDefaultTimesOnTokenCreation = false }.CreateToken(
            string.Create(CultureInfo.InvariantCulture, $$"""{"iss":"bench-key-client","sub":"bench-key-client","aud":"https://issuer.example","iat":{{now}},"exp":{{now + 120}},"jti":"{{Guid.NewGuid():N}}"}"""),
            key.Credentials);
    }

    private static double Median(List<double> values) => Percentile(values.Order().ToArray(), 0.5);

    private static double Percentile(double[] sorted, double p) => sorted.Length == 0 ? double.NaN : sorted[Math.Min(sorted.Length - 1, (int)Math.Ceiling(p * sorted.Length) - 1)];
}
