using BenchmarkDotNet.Running;
using ScopeClaims.Benchmarks;

// Run all: dotnet run -c Release --project benchmarks/ScopeClaims.Benchmarks -- --filter '*'
// One class: dotnet run -c Release --project benchmarks/ScopeClaims.Benchmarks -- --filter '*IssueBenchmarks*'
// Interleaved cross-check: dotnet run -c Release --project benchmarks/ScopeClaims.Benchmarks -- --interleaved ConvertBenchmarks [category] [rounds]
if (args.Length >= 2 && args[0] == "--interleaved")
{
    Interleaved.Run(args[1], args.Length >= 3 && !int.TryParse(args[2], out _) ? args[2] : null, args.Length >= 3 && int.TryParse(args[^1], out var rounds) ? rounds : 100);
    return;
}

BenchmarkSwitcher.FromAssembly(typeof(Program).Assembly).Run(args);
