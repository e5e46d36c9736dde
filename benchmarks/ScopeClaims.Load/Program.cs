using ScopeClaims.Load;

// dotnet run -c Release --project benchmarks/ScopeClaims.Load -- api [requests per batch] [concurrency] [rounds]
// dotnet run -c Release --project benchmarks/ScopeClaims.Load -- partner [requests per batch] [concurrency] [rounds]
// dotnet run -c Release --project benchmarks/ScopeClaims.Load -- scaling [milliseconds per batch] [rounds]
// (serve VARIANT is how the driver starts its servers; it is not run by hand.)
return args.FirstOrDefault() switch
{
    "serve" => await Servers.ServeAsync(args[1], Environment.GetEnvironmentVariable(Servers.KeyVariable)!),
    "api" => await ApiLoad.RunAsync(Int(args, 1, 20_000), Int(args, 2, 32), Int(args, 3, 5)),
    "partner" => await PartnerLoad.RunAsync(Int(args, 1, 20_000), Int(args, 2, 32), Int(args, 3, 5)),
    "scaling" => await ThreadScaling.RunAsync(Int(args, 1, 1000), Int(args, 2, 5)),
    _ => Usage(),
};

static int Int(string[] args, int index, int fallback) => args.Length > index ? int.Parse(args[index], System.Globalization.CultureInfo.InvariantCulture) : fallback;

static int Usage()
{
    Console.Error.WriteLine("usage: ScopeClaims.Load api|partner [requests] [concurrency] [rounds] | scaling [ms] [rounds]");
    return 2;
}
