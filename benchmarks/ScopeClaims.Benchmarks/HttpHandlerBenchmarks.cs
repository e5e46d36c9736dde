using System.Net;
using System.Text;
using BenchmarkDotNet.Attributes;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.IdentityModel.Tokens;
using ScopeClaims;

namespace ScopeClaims.Benchmarks;

/// <summary>
/// The cost per request of the JWT-bearer grant handler once the partner token is cached, beside a plain HttpClient
/// call through the same in-memory handler (no network on either side: the innermost handler answers at once), and
/// beside an IHttpClientFactory client without the grant, which separates the factory's own handlers (logging) from ours.
/// Category Grants: each grant's handler with its token cached (JWT-bearer, client credentials, token exchange with one
/// subject token) against the same factory client sending a fixed Authorization header.
/// dotnet run -c Release --project benchmarks/ScopeClaims.Benchmarks -- --filter '*HttpHandlerBenchmarks*'
/// dotnet run -c Release --project benchmarks/ScopeClaims.Benchmarks -- --interleaved HttpHandlerBenchmarks Grants 300
/// </summary>
[MemoryDiagnoser]
[GroupBenchmarksBy(BenchmarkDotNet.Configs.BenchmarkLogicalGroupRule.ByCategory)]
public class HttpHandlerBenchmarks
{
    private ServiceProvider _services = null!;
    private HttpClient _plain = null!;
    private HttpClient _factory = null!;
    private HttpClient _granted = null!;
    private HttpClient _fixed = null!;
    private HttpClient _clientCredentials = null!;
    private HttpClient _tokenExchange = null!;

    [GlobalSetup]
    public async Task Setup()
    {
        var services = new ServiceCollection();
        services.AddArrayScopeTokens(o =>
        {
            o.Issuer = "client";
            o.Audiences.Add("https://partner.example/oauth2/token");
            o.SigningKeys = new SigningKeySet(TokenSigningKey.Generate(SecurityAlgorithms.EcdsaSha256));
        });
        services.AddHttpClient("partner", c => c.BaseAddress = new Uri("https://api.partner.example/"))
            .AddJwtBearerGrant(o =>
            {
                o.TokenEndpoint = new Uri("https://partner.example/oauth2/token");
                o.Scopes = ScopeSet.Parse("read:appointments read:msg");
            })
            .ConfigurePrimaryHttpMessageHandler(() => new InMemoryHandler());
        services.AddHttpClient("no-grant", c => c.BaseAddress = new Uri("https://api.partner.example/")).ConfigurePrimaryHttpMessageHandler(() => new InMemoryHandler());
        services.AddHttpClient("fixed", c =>
        {
            c.BaseAddress = new Uri("https://api.partner.example/");
            c.DefaultRequestHeaders.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", "partner-token");
        }).ConfigurePrimaryHttpMessageHandler(() => new InMemoryHandler());
        services.AddHttpClient("client-credentials", c => c.BaseAddress = new Uri("https://api.partner.example/"))
            .AddClientCredentialsGrant(o =>
            {
                o.TokenEndpoint = new Uri("https://partner.example/oauth2/token");
                o.ClientId = "client";
                o.ClientSecret = "secret";
                o.Scopes = ScopeSet.Parse("read:appointments read:msg");
            })
            .ConfigurePrimaryHttpMessageHandler(() => new InMemoryHandler());
        services.AddHttpClient("token-exchange", c => c.BaseAddress = new Uri("https://api.partner.example/"))
            .AddTokenExchangeGrant(o =>
            {
                o.TokenEndpoint = new Uri("https://partner.example/oauth2/token");
                o.ClientId = "client";
                o.ClientSecret = "secret";
                o.Audience = "api";
                o.SubjectTokenProvider = static (_, _, _) => new ValueTask<string?>("the-callers-subject-token");
            })
            .ConfigurePrimaryHttpMessageHandler(() => new InMemoryHandler());
        services.AddHttpClient(ScopeClaims.Http.JwtBearerGrantOptions.DefaultTokenClientName).ConfigurePrimaryHttpMessageHandler(() => new InMemoryHandler());
        _services = services.BuildServiceProvider();

        _plain = new HttpClient(new InMemoryHandler()) { BaseAddress = new Uri("https://api.partner.example/") };
        _factory = _services.GetRequiredService<IHttpClientFactory>().CreateClient("no-grant");
        _granted = _services.GetRequiredService<IHttpClientFactory>().CreateClient("partner");
        _fixed = _services.GetRequiredService<IHttpClientFactory>().CreateClient("fixed");
        _clientCredentials = _services.GetRequiredService<IHttpClientFactory>().CreateClient("client-credentials");
        _tokenExchange = _services.GetRequiredService<IHttpClientFactory>().CreateClient("token-exchange");

        // Note: every client is assigned before the first await: --interleaved calls this without awaiting it.
        (await _granted.GetAsync("warm-up")).Dispose(); // fetches and caches the partner token
        (await _clientCredentials.GetAsync("warm-up")).Dispose();
        (await _tokenExchange.GetAsync("warm-up")).Dispose();
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        _plain.Dispose();
        _services.Dispose();
    }

    [Benchmark(Baseline = true)]
    [BenchmarkCategory("Handler")]
    public async Task<HttpStatusCode> PlainHttpClient()
    {
        using var response = await _plain.GetAsync("appointments");
        return response.StatusCode;
    }

    [Benchmark]
    [BenchmarkCategory("Handler")]
    public async Task<HttpStatusCode> FactoryClient_NoGrant()
    {
        using var response = await _factory.GetAsync("appointments");
        return response.StatusCode;
    }

    [Benchmark]
    [BenchmarkCategory("Handler")]
    public async Task<HttpStatusCode> JwtBearerGrant_CachedToken()
    {
        using var response = await _granted.GetAsync("appointments");
        return response.StatusCode;
    }

    [Benchmark(Baseline = true)]
    [BenchmarkCategory("Grants")]
    public async Task<HttpStatusCode> FactoryClient_FixedAuthorization()
    {
        using var response = await _fixed.GetAsync("appointments");
        return response.StatusCode;
    }

    [Benchmark]
    [BenchmarkCategory("Grants")]
    public async Task<HttpStatusCode> Grants_JwtBearer_CachedToken()
    {
        using var response = await _granted.GetAsync("appointments");
        return response.StatusCode;
    }

    [Benchmark]
    [BenchmarkCategory("Grants")]
    public async Task<HttpStatusCode> Grants_ClientCredentials_CachedToken()
    {
        using var response = await _clientCredentials.GetAsync("appointments");
        return response.StatusCode;
    }

    [Benchmark]
    [BenchmarkCategory("Grants")]
    public async Task<HttpStatusCode> Grants_TokenExchange_CachedToken()
    {
        using var response = await _tokenExchange.GetAsync("appointments");
        return response.StatusCode;
    }

    /// <summary>Answers the token endpoint with a token and every other request with 200, without I/O.</summary>
    private sealed class InMemoryHandler : HttpMessageHandler
    {
        private static readonly byte[] TokenResponse = Encoding.UTF8.GetBytes("""{"access_token":"partner-token","token_type":"Bearer","expires_in":3600}""");

        protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            var response = new HttpResponseMessage(HttpStatusCode.OK) { RequestMessage = request };
            if (request.RequestUri!.AbsolutePath == "/oauth2/token")
            {
                response.Content = new ByteArrayContent(TokenResponse);
                response.Content.Headers.ContentType = new System.Net.Http.Headers.MediaTypeHeaderValue("application/json");
            }

            return Task.FromResult(response);
        }
    }
}
