using BenchmarkDotNet.Attributes;
using ScopeClaims;

namespace ScopeClaims.Benchmarks;

/// <summary>
/// Parsing a space-delimited scope string (grammar check and de-duplication included) beside a bare
/// <c>string.Split(' ')</c>, which checks nothing.
/// dotnet run -c Release --project benchmarks/ScopeClaims.Benchmarks -- --filter '*NormalizeBenchmarks*'
/// </summary>
[MemoryDiagnoser]
public class NormalizeBenchmarks
{
    private string _value = string.Empty;
    private string _payload = string.Empty;

    [Params(5, 50)]
    public int Scopes { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        _value = string.Join(' ', Enumerable.Range(0, Scopes).Select(i => $"api:resource{i}.read"));
        _payload = "{\"scope\":\"" + _value + "\"}";
    }

    [Benchmark(Baseline = true)]
    public string[] StringSplit() => _value.Split(' ');

    [Benchmark]
    public ScopeSet ScopeSet_Parse() => ScopeSet.Parse(_value);

    [Benchmark]
    public ScopeSet Normalizer_ReadPayloadJson() => ScopeNormalizer.Default.ReadPayloadJson(_payload);
}
