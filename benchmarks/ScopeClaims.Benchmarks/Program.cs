using BenchmarkDotNet.Running;

// Run all: dotnet run -c Release --project benchmarks/ScopeClaims.Benchmarks -- --filter '*'
// One class: dotnet run -c Release --project benchmarks/ScopeClaims.Benchmarks -- --filter '*IssueBenchmarks*'
BenchmarkSwitcher.FromAssembly(typeof(Program).Assembly).Run(args);
