using BenchmarkDotNet.Running;
using ScopeClaims.Benchmarks;

// Run all: dotnet run -c Release --project benchmarks/ScopeClaims.Benchmarks -- --filter '*'
// One class: dotnet run -c Release --project benchmarks/ScopeClaims.Benchmarks -- --filter '*IssueBenchmarks*'
// Interleaved cross-check: dotnet run -c Release --project benchmarks/ScopeClaims.Benchmarks -- --interleaved ConvertBenchmarks [category] [rounds]
// With OpenTelemetry listening to every ScopeClaims meter and source: put --listen first (see TelemetryListeners).
using var listeners = args.Length > 0 && args[0] == "--listen" ? TelemetryListeners.Start() : null;
args = args.Length > 0 && args[0] == "--listen" ? args[1..] : args;
if (args.Length >= 2 && args[0] == "--interleaved")
{
    Interleaved.Run(args[1], args.Length >= 3 && !int.TryParse(args[2], out _) ? args[2] : null, args.Length >= 3 && int.TryParse(args[^1], out var rounds) ? rounds : 100);
    return;
}

// Token-exchange load on loopback: dotnet run -c Release --project benchmarks/ScopeClaims.Benchmarks -- --exchange-load [requests] [concurrency] [rounds]
if (args.Length >= 1 && args[0] == "--exchange-load")
{
    int Arg(int index, int fallback) => args.Length > index && int.TryParse(args[index], out var value) && value > 0 ? value : fallback;
    await ExchangeLoad.RunAsync(Arg(1, 2000), Arg(2, 8), Arg(3, 3));
    return;
}

// The conversion or its floor in a plain loop, for a profiler: dotnet run -c Release --project benchmarks/ScopeClaims.Benchmarks -- --convert-loop [operations] [convert|floor|baseline]
if (args.Length >= 1 && args[0] == "--convert-loop")
{
    await ConvertLoop.RunAsync(args.Length > 1 ? int.Parse(args[1], System.Globalization.CultureInfo.InvariantCulture) : 1_000_000, args.Length > 2 ? args[2] : "convert");
    return;
}

BenchmarkSwitcher.FromAssembly(typeof(Program).Assembly).Run(args);
