using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Configs;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.Extensions.DependencyInjection;
using ScopeClaims;

namespace ScopeClaims.Benchmarks;

/// <summary>
/// Issuing with a managed key (ScopeClaims.KeyManagement, file-system store) beside issuing with a key file holding the
/// very same key, per algorithm: the difference is the managed set's signing-window lookup.
/// dotnet run -c Release --project benchmarks/ScopeClaims.Benchmarks -- --interleaved ManagedKeyBenchmarks ES256 300
/// </summary>
[MemoryDiagnoser]
[GroupBenchmarksBy(BenchmarkLogicalGroupRule.ByCategory)]
[CategoriesColumn]
public class ManagedKeyBenchmarks : IDisposable
{
    private static readonly ScopeSet Scopes = ScopeSet.Parse("read:a write:b read:c write:d admin:e");
    private readonly Dictionary<string, IScopeTokenIssuer> _managed = new();
    private readonly Dictionary<string, IScopeTokenIssuer> _file = new();
    private readonly List<ServiceProvider> _providers = new();
    private readonly string _directory = Directory.CreateTempSubdirectory("scopeclaims-bench-keys-").FullName;

    [GlobalSetup]
    public void Setup()
    {
        foreach (var alg in new[] { "ES256", "RS256" })
        {
            var services = new ServiceCollection();
            services.AddDataProtection().SetApplicationName("bench").PersistKeysToFileSystem(new DirectoryInfo(Path.Combine(_directory, alg, "dp")));
            services.AddArrayScopeTokens(o =>
            {
                o.Issuer = "https://issuer.example";
                o.Audiences.Add("https://partner.example");
                o.SigningKey.Managed = true;
            });
            services.AddScopeTokenKeyManagement(o => o.Algorithm = alg).PersistKeysToFileSystem(Path.Combine(_directory, alg, "keys"));
            var provider = services.BuildServiceProvider();
            _providers.Add(provider);
            var managed = provider.GetRequiredService<IScopeTokenIssuer>();
            _managed[alg] = managed;

            // The same key, from a key file.
            var file = Path.Combine(_directory, alg, "signing.jwk");
            File.WriteAllText(file, managed.Keys.Active.ExportPrivateJwk());
            var options = new ScopeTokenOptions { Issuer = "https://issuer.example" };
            options.Audiences.Add("https://partner.example");
            options.SigningKey.Path = file;
            _file[alg] = new ScopeTokenIssuer(options);
        }
    }

    [Benchmark(Baseline = true), BenchmarkCategory("ES256")]
    public string FileKey_ES256() => _file["ES256"].Issue(Scopes);

    [Benchmark, BenchmarkCategory("ES256")]
    public string ManagedKey_ES256() => _managed["ES256"].Issue(Scopes);

    [Benchmark(Baseline = true), BenchmarkCategory("RS256")]
    public string FileKey_RS256() => _file["RS256"].Issue(Scopes);

    [Benchmark, BenchmarkCategory("RS256")]
    public string ManagedKey_RS256() => _managed["RS256"].Issue(Scopes);

    [GlobalCleanup]
    public void Dispose()
    {
        foreach (var provider in _providers)
        {
            provider.Dispose();
        }

        _providers.Clear();
        if (Directory.Exists(_directory))
        {
            Directory.Delete(_directory, recursive: true);
        }

        GC.SuppressFinalize(this);
    }
}
