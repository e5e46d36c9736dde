using System.Diagnostics;
using System.Globalization;

namespace ScopeClaims.Benchmarks;

/// <summary>
/// The conversion, or its floor, in a plain loop for a profiler to attach to (nothing of BenchmarkDotNet around it),
/// with the time and the bytes allocated per operation on the calling thread.
/// dotnet run -c Release --project benchmarks/ScopeClaims.Benchmarks -- --convert-loop 2000000 convert|floor|baseline
/// </summary>
internal static class ConvertLoop
{
    public static async Task RunAsync(int iterations, string operation)
    {
        var benchmarks = new ConvertBenchmarks();
        benchmarks.Setup();
        var run = operation switch
        {
            "convert" => (Func<Task>)(async () => await benchmarks.ScopeClaims_Convert()),
            "floor" => async () => await benchmarks.Floor_ValidateThenScopeClaimsIssue(),
            "baseline" => async () => await benchmarks.JsonWebTokenHandler_ValidateThenIssue(),
            _ => throw new ArgumentException($"unknown operation '{operation}' (convert, floor or baseline)", nameof(operation)),
        };

        for (var i = 0; i < Math.Min(iterations / 10, 50_000); i++)
        {
            await run();
        }

        var allocated = GC.GetAllocatedBytesForCurrentThread();
        var started = Stopwatch.GetTimestamp();
        for (var i = 0; i < iterations; i++)
        {
            await run();
        }

        var elapsed = Stopwatch.GetElapsedTime(started);
        var bytes = GC.GetAllocatedBytesForCurrentThread() - allocated;
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{operation}: {iterations} operations, {elapsed.TotalMicroseconds / iterations:F3} µs and {bytes / (double)iterations:F0} bytes each (pid {Environment.ProcessId})"));
    }
}
