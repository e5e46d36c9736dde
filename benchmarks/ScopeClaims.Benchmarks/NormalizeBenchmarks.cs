using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Configs;
using ScopeClaims;

namespace ScopeClaims.Benchmarks;

/// <summary>
/// Parsing a space-delimited scope string (grammar check and de-duplication included) beside a bare
/// <c>string.Split(' ')</c>, which checks nothing. "Repeated": the same value every call, as a service sees the same
/// scopes in every token (ScopeSet reuses the strings it made for them). "Distinct": a new set of never-seen scopes
/// every call, so nothing can be reused.
/// dotnet run -c Release --project benchmarks/ScopeClaims.Benchmarks -- --filter '*NormalizeBenchmarks*'
/// </summary>
[MemoryDiagnoser]
[GroupBenchmarksBy(BenchmarkLogicalGroupRule.ByCategory, BenchmarkLogicalGroupRule.ByParams)]
[CategoriesColumn]
public class NormalizeBenchmarks
{
    private const int DistinctValues = 8192;
    private string _value = string.Empty;
    private string _payload = string.Empty;
    private string[] _distinct = Array.Empty<string>();
    private int _next;

    [Params(5, 50)]
    public int Scopes { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        _value = string.Join(' ', Enumerable.Range(0, Scopes).Select(i => $"api:resource{i}.read"));
        _payload = "{\"scope\":\"" + _value + "\"}";
        _distinct = Enumerable.Range(0, DistinctValues)
            .Select(v => string.Join(' ', Enumerable.Range(0, Scopes).Select(i => $"api:r{v}x{i}.read")))
            .ToArray();
    }

    [Benchmark(Baseline = true), BenchmarkCategory("Repeated")]
    public string[] StringSplit() => _value.Split(' ');

    [Benchmark, BenchmarkCategory("Repeated")]
    public ScopeSet ScopeSet_Parse() => ScopeSet.Parse(_value);

    [Benchmark, BenchmarkCategory("Repeated")]
    public ScopeSet Normalizer_ReadPayloadJson() => ScopeNormalizer.Default.ReadPayloadJson(_payload);

    [Benchmark(Baseline = true), BenchmarkCategory("Distinct")]
    public string[] StringSplit_Distinct() => Next().Split(' ');

    [Benchmark, BenchmarkCategory("Distinct")]
    public ScopeSet ScopeSet_Parse_Distinct() => ScopeSet.Parse(Next());

    private string Next() => _distinct[_next++ & (DistinctValues - 1)];
}
