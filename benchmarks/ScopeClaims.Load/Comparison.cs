using System.Globalization;

namespace ScopeClaims.Load;

/// <summary>
/// Interleaved rounds of two variants (A then B, then B then A, ...), so a slow spell of the machine lands on both; prints
/// each variant's median and best requests per second, p50 and p99 over every request, and the ratio B / A.
/// </summary>
internal sealed class Comparison(string title, string baselineName, string candidateName)
{
    private readonly List<LoadRunner.Batch> _baseline = [];
    private readonly List<LoadRunner.Batch> _candidate = [];
    private readonly List<double> _baselineAllocations = [];
    private readonly List<double> _candidateAllocations = [];

    public async Task RunAsync(int rounds, Func<Task<(LoadRunner.Batch Batch, double? BytesPerRequest)>> baseline, Func<Task<(LoadRunner.Batch Batch, double? BytesPerRequest)>> candidate)
    {
        for (var round = 0; round < rounds; round++)
        {
            var order = round % 2 == 0 ? new[] { true, false } : new[] { false, true };
            foreach (var isBaseline in order)
            {
                var (batch, bytes) = await (isBaseline ? baseline() : candidate());
                (isBaseline ? _baseline : _candidate).Add(batch);
                if (bytes is { } b)
                {
                    (isBaseline ? _baselineAllocations : _candidateAllocations).Add(b);
                }
            }
        }
    }

    public void Print()
    {
        Console.WriteLine();
        Console.WriteLine($"## {title}");
        Console.WriteLine();
        Console.WriteLine("| variant | req/s median | req/s best | p50 ms | p99 ms | server bytes/request |");
        Console.WriteLine("|---|---:|---:|---:|---:|---:|");
        Row(baselineName + " (baseline)", _baseline, _baselineAllocations);
        Row(candidateName, _candidate, _candidateAllocations);
        var median = LoadRunner.Median(_candidate.Select(static b => b.RequestsPerSecond)) / LoadRunner.Median(_baseline.Select(static b => b.RequestsPerSecond));
        var best = _candidate.Max(static b => b.RequestsPerSecond) / _baseline.Max(static b => b.RequestsPerSecond);
        Console.WriteLine();
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"ratio {candidateName} / {baselineName}: median {median:0.000}, best {best:0.000} (requests per second; higher is better)"));
    }

    private static void Row(string name, List<LoadRunner.Batch> batches, List<double> allocations)
    {
        var all = batches.SelectMany(static b => b.Latencies).ToArray();
        var bytes = allocations.Count == 0 ? "-" : LoadRunner.Median(allocations).ToString("0", CultureInfo.InvariantCulture);
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"| {name} | {LoadRunner.Median(batches.Select(static b => b.RequestsPerSecond)):0} | {batches.Max(static b => b.RequestsPerSecond):0} | {LoadRunner.Percentile(all, 0.5):0.000} | {LoadRunner.Percentile(all, 0.99):0.000} | {bytes} |"));
    }
}
