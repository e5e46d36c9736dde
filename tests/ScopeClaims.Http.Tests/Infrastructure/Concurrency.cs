using System.Net;

namespace ScopeClaims.Http.Tests.Infrastructure;

internal static class Concurrency
{
    /// <summary>Starts <paramref name="count"/> GETs on thread-pool threads, releases them at once, and returns their statuses.</summary>
    public static async Task<HttpStatusCode[]> GetAllAtOnceAsync(HttpClient client, int count)
    {
        using var start = new ManualResetEventSlim();
        var calls = Enumerable.Range(0, count).Select(i => Task.Run(async () =>
        {
            start.Wait();
            using var response = await client.GetAsync($"item/{i}");
            return response.StatusCode;
        })).ToArray();
        start.Set();
        return await Task.WhenAll(calls);
    }
}
