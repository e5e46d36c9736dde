using System.Diagnostics;
using System.Globalization;
using System.Linq.Expressions;
using System.Reflection;
using BenchmarkDotNet.Attributes;

namespace ScopeClaims.Benchmarks;

/// <summary>
/// A cross-check for a noisy machine, beside BenchmarkDotNet (whose runs remain the record): every [Benchmark] method
/// of one class runs in one process in interleaved rounds, each round timing one batch of each method in turn, so a
/// burst of noise from the host lands on all of them alike. Reports each method's best and median batch and both as
/// ratios to its category's baseline; a class with a [Params] property runs once per value.
/// dotnet run -c Release --project benchmarks/ScopeClaims.Benchmarks -- --interleaved ConvertBenchmarks [category] [rounds]
/// </summary>
internal static class Interleaved
{
    private static readonly TimeSpan BatchTarget = TimeSpan.FromMilliseconds(5);

    public static void Run(string className, string? category, int rounds)
    {
        var type = typeof(Interleaved).Assembly.GetTypes().SingleOrDefault(t => t.Name == className)
            ?? throw new ArgumentException($"No benchmark class named '{className}'.", nameof(className));

        // Note: a class with [Params] runs once per value (one [Params] property at most, as the classes here have).
        var parameter = type.GetProperties().SingleOrDefault(p => p.GetCustomAttribute<ParamsAttribute>() is not null);
        foreach (var value in parameter?.GetCustomAttribute<ParamsAttribute>()!.Values ?? [null])
        {
            var instance = Activator.CreateInstance(type)!;
            parameter?.SetValue(instance, value);
            foreach (var setup in type.GetMethods().Where(m => m.GetCustomAttribute<GlobalSetupAttribute>() is not null))
            {
                setup.Invoke(instance, null);
            }

            Run(type, instance, parameter is null ? string.Empty : $", {parameter.Name} = {value}", category, rounds);
        }
    }

    private static void Run(Type type, object instance, string parameter, string? category, int rounds)
    {

        var cases = type.GetMethods()
            .Select(m => (Method: m, Benchmark: m.GetCustomAttribute<BenchmarkAttribute>()))
            .Where(c => c.Benchmark is not null)
            .Select(c => new Case(c.Method.Name, CategoryOf(c.Method), c.Benchmark!.Baseline, Compile(instance, c.Method)))
            .Where(c => category is null || string.Equals(c.Category, category, StringComparison.OrdinalIgnoreCase))
            .ToArray();

        // Warm-up (tiering and caches), then a batch size per method that takes about BatchTarget.
        foreach (var c in cases)
        {
            var watch = Stopwatch.StartNew();
            var calls = 0;
            while (watch.Elapsed < TimeSpan.FromSeconds(2))
            {
                c.Call();
                calls++;
            }

            c.Batch = Math.Max(1, (int)(calls * BatchTarget.TotalSeconds / watch.Elapsed.TotalSeconds));
        }

        for (var round = 0; round < rounds; round++)
        {
            foreach (var c in cases)
            {
                var watch = Stopwatch.StartNew();
                for (var i = 0; i < c.Batch; i++)
                {
                    c.Call();
                }

                c.Times.Add(watch.Elapsed.TotalMicroseconds / c.Batch);
            }
        }

        Console.WriteLine($"Interleaved: {type.Name}{parameter}, {rounds} rounds, batches of about {BatchTarget.TotalMilliseconds} ms");
        Console.WriteLine();
        Console.WriteLine("| method | category | best µs | median µs | ratio (best) | ratio (median) |");
        Console.WriteLine("|---|---|---:|---:|---:|---:|");
        foreach (var c in cases)
        {
            var baseline = cases.FirstOrDefault(b => b.Baseline && b.Category == c.Category) ?? c;
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"| {c.Name} | {c.Category} | {c.Best:F3} | {c.Median:F3} | {c.Best / baseline.Best:F2} | {c.Median / baseline.Median:F2} |"));
        }

        Console.WriteLine();
    }

    private static string CategoryOf(MethodInfo method) =>
        method.GetCustomAttribute<BenchmarkCategoryAttribute>()?.Categories.FirstOrDefault() ?? string.Empty;

    private static Action Compile(object instance, MethodInfo method)
    {
        // Note: a compiled call rather than MethodInfo.Invoke, whose own cost would blur short benchmarks.
        var call = Expression.Lambda<Func<object?>>(Expression.Convert(Expression.Call(Expression.Constant(instance), method), typeof(object))).Compile();
        return () =>
        {
            if (call() is Task task)
            {
                task.GetAwaiter().GetResult();
            }
        };
    }

    private sealed class Case(string name, string category, bool baseline, Action call)
    {
        public string Name => name;

        public string Category => category;

        public bool Baseline => baseline;

        public Action Call => call;

        public int Batch { get; set; }

        public List<double> Times { get; } = [];

        public double Best => Times.Min();

        public double Median => Times.Order().ElementAt(Times.Count / 2);
    }
}
