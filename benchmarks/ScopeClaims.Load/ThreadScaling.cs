using System.Diagnostics;
using System.Globalization;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace ScopeClaims.Load;

/// <summary>
/// Issuing (HS256, ES256) and converting (HS256 string to array) from 1 and from 2 threads: operations per second of
/// each, in interleaved rounds (1 thread, then 2, then 2, then 1, ...), and the ratio 2 / 1.
/// </summary>
internal static class ThreadScaling
{
    public static Task<int> RunAsync(int milliseconds, int rounds)
    {
        Console.WriteLine($"# Thread scaling: {milliseconds} ms per batch, {rounds} interleaved rounds, {Environment.ProcessorCount} cores, {DateTime.UtcNow:yyyy-MM-dd}");
        Console.WriteLine();
        Console.WriteLine("| operation | 1 thread, ops/s (median) | 2 threads, ops/s (median) | 2 / 1, median | 2 / 1, best |");
        Console.WriteLine("|---|---:|---:|---:|---:|");
        var scopes = ScopeSet.Parse("read:a write:b read:c write:d admin:e");
        foreach (var algorithm in new[] { "HS256", "ES256" })
        {
            var issuer = Issuer(TokenSigningKey.Generate(algorithm));
            var request = new ScopeTokenRequest(scopes) { Subject = "client-1" };
            Measure($"issue {algorithm}", milliseconds, rounds, () => issuer.Issue(request));
        }

        var converter = Converter(out var source);
        Measure("convert HS256 string to array", milliseconds, rounds, () => converter.ConvertAsync(source).GetAwaiter().GetResult());
        return Task.FromResult(0);
    }

    private static ScopeTokenIssuer Issuer(TokenSigningKey key)
    {
        var options = new ScopeTokenOptions { Issuer = "https://issuer.example", SigningKeys = new SigningKeySet(key) };
        options.Audiences.Add("https://partner.example");
        return new ScopeTokenIssuer(options);
    }

    private static ScopeTokenConverter Converter(out string source)
    {
        const string Inbound = "https://tenant.auth0.example/";
        var inboundKey = TokenSigningKey.Generate("HS256", "in-1");
        var options = new ScopeTokenConverterOptions();
        var issuer = new InboundIssuerOptions { Issuer = Inbound };
        issuer.Audiences.Add("https://api.example");
        issuer.Algorithms.Add("HS256");
        issuer.SigningKeys.Add(inboundKey.Key);
        options.Issuers.Add(issuer);
        var now = DateTime.UtcNow;
        source = new JsonWebTokenHandler { SetDefaultTimesOnTokenCreation = false }.CreateToken(new SecurityTokenDescriptor
        {
            Issuer = Inbound,
            Audience = "https://api.example",
            IssuedAt = now,
            NotBefore = now,
            Expires = now.AddHours(2),
            SigningCredentials = inboundKey.Credentials,
            Claims = new Dictionary<string, object> { ["sub"] = "client-1@clients", ["azp"] = "client-1", ["scope"] = "read:a write:b read:c write:d admin:e" },
        });
        return new ScopeTokenConverter(options, Issuer(TokenSigningKey.Generate("HS256", "out-1")));
    }

    private static void Measure(string name, int milliseconds, int rounds, Action operation)
    {
        Run(operation, 1, milliseconds / 2);
        Run(operation, 2, milliseconds / 2);
        var one = new List<double>();
        var two = new List<double>();
        for (var round = 0; round < rounds; round++)
        {
            foreach (var threads in round % 2 == 0 ? new[] { 1, 2 } : new[] { 2, 1 })
            {
                (threads == 1 ? one : two).Add(Run(operation, threads, milliseconds));
            }
        }

        var median = LoadRunner.Median(two) / LoadRunner.Median(one);
        var best = two.Max() / one.Max();
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"| {name} | {LoadRunner.Median(one):0} | {LoadRunner.Median(two):0} | {median:0.00} | {best:0.00} |"));
    }

    /// <summary>Runs the operation on <paramref name="threads"/> dedicated threads for a fixed time; returns operations per second.</summary>
    private static double Run(Action operation, int threads, int milliseconds)
    {
        long total = 0;
        using var start = new Barrier(threads + 1);
        var stop = 0;
        var workers = Enumerable.Range(0, threads).Select(_ => new Thread(() =>
        {
            long count = 0;
            start.SignalAndWait();
            while (Volatile.Read(ref stop) == 0)
            {
                operation();
                count++;
            }

            Interlocked.Add(ref total, count);
        }) { IsBackground = true }).ToArray();
        foreach (var worker in workers)
        {
            worker.Start();
        }

        start.SignalAndWait();
        var clock = Stopwatch.StartNew();
        Thread.Sleep(milliseconds);
        Volatile.Write(ref stop, 1);
        foreach (var worker in workers)
        {
            worker.Join();
        }

        return total / clock.Elapsed.TotalSeconds;
    }
}
