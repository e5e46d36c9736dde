using System.Diagnostics;
using System.Net;

namespace ScopeClaims.Load;

/// <summary>
/// Sends a fixed number of GET requests at a fixed concurrency (that many workers, each sending its next request when
/// the last one answered) and records each request's latency. Every response must be 200.
/// </summary>
internal static class LoadRunner
{
    public static async Task<Batch> RunAsync(HttpClient client, Uri target, int requests, int concurrency)
    {
        var latencies = new double[requests];
        var next = -1;
        var started = Stopwatch.GetTimestamp();
        var workers = Enumerable.Range(0, concurrency).Select(async _ =>
        {
            int i;
            while ((i = Interlocked.Increment(ref next)) < requests)
            {
                var begin = Stopwatch.GetTimestamp();
                using var response = await client.GetAsync(target, HttpCompletionOption.ResponseContentRead);
                latencies[i] = Stopwatch.GetElapsedTime(begin).TotalMilliseconds;
                if (response.StatusCode != HttpStatusCode.OK)
                {
                    throw new InvalidOperationException($"{target} answered {(int)response.StatusCode}");
                }
            }
        }).ToArray();
        await Task.WhenAll(workers);
        return new Batch(requests, Stopwatch.GetElapsedTime(started), latencies);
    }

    public static double Percentile(IEnumerable<double> values, double p)
    {
        var sorted = values.Order().ToArray();
        return sorted[Math.Clamp((int)Math.Ceiling(p * sorted.Length) - 1, 0, sorted.Length - 1)];
    }

    public static double Median(IEnumerable<double> values) => Percentile(values, 0.5);

    internal sealed record Batch(int Requests, TimeSpan Elapsed, double[] Latencies)
    {
        public double RequestsPerSecond => Requests / Elapsed.TotalSeconds;
    }
}
