using System.Net.Http.Headers;
using System.Security.Cryptography;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace ScopeClaims.Load;

/// <summary>
/// The API under load: a Kestrel app with JwtBearer (local HS256 key) and one endpoint, in four variants, two pairs:
/// bare JwtBearer + <c>RequireClaim("scope", "read:a")</c> against <c>AddScopeNormalization()</c> +
/// <c>RequireScope("read:a")</c> on a single-scope token; and the sample <c>HasScope</c> handler against
/// <c>AddScopeNormalization()</c> + <c>RequireScope("read:c")</c> on a 5-scope space-delimited token.
/// </summary>
internal static class ApiLoad
{
    public static async Task<int> RunAsync(int requests, int concurrency, int rounds)
    {
        var secret = RandomNumberGenerator.GetBytes(32);
        var keyBase64 = Convert.ToBase64String(secret);
        var singleScope = Token(secret, "read:a");
        var fiveScopes = Token(secret, "read:a write:b read:c write:d admin:e");
        Console.WriteLine($"# API under load: {requests} requests per batch, concurrency {concurrency}, {rounds} interleaved rounds, {Environment.ProcessorCount} cores, {DateTime.UtcNow:yyyy-MM-dd}");

        using var bare = await ServerProcess.StartAsync("bare", keyBase64);
        using var normalized = await ServerProcess.StartAsync("scopeclaims", keyBase64);
        using var hasScope = await ServerProcess.StartAsync("hasscope", keyBase64);
        using var normalized5 = await ServerProcess.StartAsync("scopeclaims5", keyBase64);
        using var one = Client(concurrency, singleScope);
        using var five = Client(concurrency, fiveScopes);

        foreach (var (server, client) in new[] { (bare, one), (normalized, one), (hasScope, five), (normalized5, five) })
        {
            await LoadRunner.RunAsync(client, new Uri(server.Address, "api/items"), Math.Min(requests, 5000), concurrency);
        }

        var first = new Comparison("Single-scope token: bare JwtBearer + RequireClaim vs AddScopeNormalization + RequireScope", "RequireClaim", "RequireScope");
        await first.RunAsync(rounds, () => BatchAsync(bare, one, requests, concurrency), () => BatchAsync(normalized, one, requests, concurrency));
        first.Print();

        var second = new Comparison("5-scope string token: the HasScope sample handler vs AddScopeNormalization + RequireScope", "HasScope", "RequireScope");
        await second.RunAsync(rounds, () => BatchAsync(hasScope, five, requests, concurrency), () => BatchAsync(normalized5, five, requests, concurrency));
        second.Print();
        return 0;
    }

    internal static HttpClient Client(int concurrency, string? token)
    {
        var client = new HttpClient(new SocketsHttpHandler { MaxConnectionsPerServer = concurrency, PooledConnectionLifetime = Timeout.InfiniteTimeSpan });
        if (token is not null)
        {
            client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        }

        return client;
    }

    private static async Task<(LoadRunner.Batch, ServerCost?)> BatchAsync(ServerProcess server, HttpClient client, int requests, int concurrency)
    {
        var before = await server.StatsAsync(client);
        var batch = await LoadRunner.RunAsync(client, new Uri(server.Address, "api/items"), requests, concurrency);
        var after = await server.StatsAsync(client);
        return (batch, new ServerCost((after[0] - before[0]) / (double)requests, TimeSpan.FromTicks(after[4] - before[4]).TotalMicroseconds / requests));
    }

    private static string Token(byte[] secret, string scope)
    {
        var now = DateTime.UtcNow;
        return new JsonWebTokenHandler { SetDefaultTimesOnTokenCreation = false }.CreateToken(new SecurityTokenDescriptor
        {
            Issuer = Servers.Issuer,
            Audience = Servers.Audience,
            IssuedAt = now,
            NotBefore = now,
            Expires = now.AddHours(2),
            SigningCredentials = new SigningCredentials(new SymmetricSecurityKey(secret) { KeyId = "load" }, SecurityAlgorithms.HmacSha256),
            Claims = new Dictionary<string, object> { ["sub"] = "client-1@clients", ["azp"] = "client-1", ["scope"] = scope },
        });
    }
}
