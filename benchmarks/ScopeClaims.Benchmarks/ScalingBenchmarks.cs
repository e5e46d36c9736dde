using BenchmarkDotNet.Attributes;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;
using ScopeClaims;

namespace ScopeClaims.Benchmarks;

/// <summary>
/// Issue time (HS256, array) against the number of scopes, beside JsonWebTokenHandler with the same payload: the
/// per-scope cost should stay roughly constant.
/// dotnet run -c Release --project benchmarks/ScopeClaims.Benchmarks -- --filter '*ScalingBenchmarks*'
/// </summary>
[MemoryDiagnoser]
public class ScalingBenchmarks
{
    private readonly JsonWebTokenHandler _handler = new() { SetDefaultTimesOnTokenCreation = false };
    private ScopeTokenIssuer _issuer = null!;
    private TokenSigningKey _key = null!;
    private ScopeSet _scopes = ScopeSet.Empty;

    [Params(1, 10, 100, 1000)]
    public int Scopes { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        _key = TokenSigningKey.Generate("HS256");
        var options = new ScopeTokenOptions { Issuer = "https://issuer.example", SigningKeys = new SigningKeySet(_key) };
        options.Audiences.Add("https://partner.example");
        _issuer = new ScopeTokenIssuer(options);
        _scopes = ScopeSet.Create(Enumerable.Range(0, Scopes).Select(i => $"api:resource{i}.read"), new ScopeLimits { MaxScopes = 1000, MaxTotalLength = 100_000 });
    }

    [Benchmark(Baseline = true)]
    public string JsonWebTokenHandler() => _handler.CreateToken(new SecurityTokenDescriptor
    {
        Issuer = "https://issuer.example",
        Audience = "https://partner.example",
        IssuedAt = DateTime.UtcNow,
        NotBefore = DateTime.UtcNow,
        Expires = DateTime.UtcNow.AddMinutes(5),
        SigningCredentials = _key.Credentials,
        Claims = new Dictionary<string, object> { ["jti"] = Guid.NewGuid().ToString("N"), ["scope"] = new List<string>(_scopes) },
    });

    [Benchmark]
    public string ScopeClaims() => _issuer.Issue(_scopes);
}
