using System.Net.Http.Headers;
using System.Security.Cryptography;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using ScopeClaims.Http;

namespace ScopeClaims.Load;

/// <summary>
/// Partner calls under load: one client app calling a loopback API through ScopeClaims.Http's JWT-bearer handler with a
/// cached partner token, against the same IHttpClientFactory client with a fixed Authorization header.
/// </summary>
internal static class PartnerLoad
{
    public static async Task<int> RunAsync(int requests, int concurrency, int rounds)
    {
        Console.WriteLine($"# Partner calls under load: {requests} requests per batch, concurrency {concurrency}, {rounds} interleaved rounds, {Environment.ProcessorCount} cores, {DateTime.UtcNow:yyyy-MM-dd}");
        using var partner = await ServerProcess.StartAsync("partner-api", Convert.ToBase64String(RandomNumberGenerator.GetBytes(32)));

        var builder = Host.CreateApplicationBuilder();
        builder.Logging.ClearProviders();
        builder.Services.AddArrayScopeTokens(options =>
        {
            options.Issuer = "load-client";
            options.Audiences.Add(new Uri(partner.Address, "oauth2/token").AbsoluteUri);
            options.SigningKey.Jwk = TokenSigningKey.Generate("ES256").ExportPrivateJwk();
        });
        builder.Services.AddHttpClient("fixed", client =>
            {
                client.BaseAddress = partner.Address;
                client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", "partner-token");
            })
            .ConfigurePrimaryHttpMessageHandler(() => Handler(concurrency));
        builder.Services.AddHttpClient("grant", client => client.BaseAddress = partner.Address)
            .ConfigurePrimaryHttpMessageHandler(() => Handler(concurrency))
            .AddJwtBearerGrant(options =>
            {
                options.TokenEndpoint = new Uri(partner.Address, "oauth2/token");
                options.Scopes = ScopeSet.Parse("read:a write:b");
            });
        using var host = builder.Build();
        await host.StartAsync();
        var factory = host.Services.GetRequiredService<IHttpClientFactory>();
        var fixedClient = factory.CreateClient("fixed");
        var grantClient = factory.CreateClient("grant");
        var target = new Uri(partner.Address, "api/items");

        await LoadRunner.RunAsync(fixedClient, target, Math.Min(requests, 5000), concurrency);
        await LoadRunner.RunAsync(grantClient, target, Math.Min(requests, 5000), concurrency);

        var comparison = new Comparison("A client calling a loopback API: fixed Authorization header vs the JWT-bearer grant handler with a cached token", "fixed header", "JWT-bearer grant");
        await comparison.RunAsync(
            rounds,
            async () => (await LoadRunner.RunAsync(fixedClient, target, requests, concurrency), null),
            async () => (await LoadRunner.RunAsync(grantClient, target, requests, concurrency), null));
        comparison.Print();
        await host.StopAsync();
        return 0;
    }

    private static SocketsHttpHandler Handler(int concurrency) =>
        new() { MaxConnectionsPerServer = concurrency, PooledConnectionLifetime = Timeout.InfiniteTimeSpan };
}
