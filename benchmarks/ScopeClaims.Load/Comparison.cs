using System.Globalization;

namespace ScopeClaims.Load;

/// <summary>
/// Interleaved rounds of two variants (A then B, then B then A, ...), so a slow spell of the machine lands on both; prints
/// each variant's median and best requests per second, p50 and p99 over every request, the server's bytes allocated and
/// CPU time per request (medians over the batches), and the ratios B / A.
/// </summary>
internal sealed class Comparison(string title, string baselineName, string candidateName)
{
    private readonly List<LoadRunner.Batch> _baseline = [];
    private readonly List<LoadRunner.Batch> _candidate = [];
    private readonly List<ServerCost> _baselineCosts = [];
    private readonly List<ServerCost> _candidateCosts = [];

    public async Task RunAsync(int rounds, Func<Task<(LoadRunner.Batch Batch, ServerCost? Cost)>> baseline, Func<Task<(LoadRunner.Batch Batch, ServerCost? Cost)>> candidate)
    {
        for (var round = 0; round < rounds; round++)
        {
            var order = round % 2 == 0 ? new[] { true, false } : new[] { false, true };
            foreach (var isBaseline in order)
            {
                var (batch, cost) = await (isBaseline ? baseline() : candidate());
                (isBaseline ? _baseline : _candidate).Add(batch);
                if (cost is { } c)
                {
                    (isBaseline ? _baselineCosts : _candidateCosts).Add(c);
                }
            }
        }
    }

    public void Print()
    {
        Console.WriteLine();
        Console.WriteLine($"## {title}");
        Console.WriteLine();
        Console.WriteLine("| variant | req/s median | req/s best | p50 ms | p99 ms | server bytes/request | server CPU µs/request |");
        Console.WriteLine("|---|---:|---:|---:|---:|---:|---:|");
        Row(baselineName + " (baseline)", _baseline, _baselineCosts);
        Row(candidateName, _candidate, _candidateCosts);
        var median = LoadRunner.Median(_candidate.Select(static b => b.RequestsPerSecond)) / LoadRunner.Median(_baseline.Select(static b => b.RequestsPerSecond));
        var best = _candidate.Max(static b => b.RequestsPerSecond) / _baseline.Max(static b => b.RequestsPerSecond);
        Console.WriteLine();
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"ratio {candidateName} / {baselineName}: median {median:0.000}, best {best:0.000} (requests per second; higher is better)"));
        if (_baselineCosts.Count > 0 && _candidateCosts.Count > 0)
        {
            // Note: CPU time per request moves far less than requests per second when other processes share the cores.
            var cpu = LoadRunner.Median(_baselineCosts.Select(static c => c.CpuMicrosecondsPerRequest)) / LoadRunner.Median(_candidateCosts.Select(static c => c.CpuMicrosecondsPerRequest));
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"ratio of server CPU time per request, {baselineName} / {candidateName}: median {cpu:0.000} (the requests per second the server's CPU allows; higher is better)"));
        }
    }

    private static void Row(string name, List<LoadRunner.Batch> batches, List<ServerCost> costs)
    {
        var all = batches.SelectMany(static b => b.Latencies).ToArray();
        var bytes = costs.Count == 0 ? "-" : LoadRunner.Median(costs.Select(static c => c.BytesPerRequest)).ToString("0", CultureInfo.InvariantCulture);
        var cpu = costs.Count == 0 ? "-" : LoadRunner.Median(costs.Select(static c => c.CpuMicrosecondsPerRequest)).ToString("0.0", CultureInfo.InvariantCulture);
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"| {name} | {LoadRunner.Median(batches.Select(static b => b.RequestsPerSecond)):0} | {batches.Max(static b => b.RequestsPerSecond):0} | {LoadRunner.Percentile(all, 0.5):0.000} | {LoadRunner.Percentile(all, 0.99):0.000} | {bytes} | {cpu} |"));
    }
}

/// <summary>What one batch cost the server process: bytes allocated and CPU time (all its threads), per request.</summary>
internal sealed record ServerCost(double BytesPerRequest, double CpuMicrosecondsPerRequest);
