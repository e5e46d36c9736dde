using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Configs;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;
using ScopeClaims;

namespace ScopeClaims.Benchmarks;

/// <summary>
/// Issuing a 5-scope array token through ScopeClaims beside the raw JsonWebTokenHandler call it wraps, with the same
/// payload (iss, aud, iat, nbf, exp, jti, scope array) and key.
/// dotnet run -c Release --project benchmarks/ScopeClaims.Benchmarks -- --filter '*IssueBenchmarks*'
/// </summary>
[MemoryDiagnoser]
[GroupBenchmarksBy(BenchmarkLogicalGroupRule.ByCategory)]
[CategoriesColumn]
public class IssueBenchmarks
{
    private static readonly ScopeSet Scopes = ScopeSet.Parse("read:a write:b read:c write:d admin:e");
    private readonly JsonWebTokenHandler _handler = new() { SetDefaultTimesOnTokenCreation = false };
    private readonly Dictionary<string, ScopeTokenIssuer> _issuers = new();
    private readonly Dictionary<string, TokenSigningKey> _keys = new();

    [GlobalSetup]
    public void Setup()
    {
        foreach (var alg in new[] { "HS256", "RS256", "ES256" })
        {
            var key = TokenSigningKey.Generate(alg);
            var options = new ScopeTokenOptions { Issuer = "https://issuer.example", SigningKeys = new SigningKeySet(key) };
            options.Audiences.Add("https://partner.example");
            _keys[alg] = key;
            _issuers[alg] = new ScopeTokenIssuer(options);
        }
    }

    [Benchmark(Baseline = true), BenchmarkCategory("HS256")]
    public string JsonWebTokenHandler_HS256() => Raw("HS256");

    [Benchmark, BenchmarkCategory("HS256")]
    public string ScopeClaims_HS256() => _issuers["HS256"].Issue(Scopes);

    [Benchmark(Baseline = true), BenchmarkCategory("RS256")]
    public string JsonWebTokenHandler_RS256() => Raw("RS256");

    [Benchmark, BenchmarkCategory("RS256")]
    public string ScopeClaims_RS256() => _issuers["RS256"].Issue(Scopes);

    [Benchmark(Baseline = true), BenchmarkCategory("ES256")]
    public string JsonWebTokenHandler_ES256() => Raw("ES256");

    [Benchmark, BenchmarkCategory("ES256")]
    public string ScopeClaims_ES256() => _issuers["ES256"].Issue(Scopes);

    private string Raw(string alg)
    {
        var now = DateTime.UtcNow;
        return _handler.CreateToken(new SecurityTokenDescriptor
        {
            Issuer = "https://issuer.example",
            Audience = "https://partner.example",
            IssuedAt = now,
            NotBefore = now,
            Expires = now.AddMinutes(5),
            TokenType = "JWT",
            SigningCredentials = _keys[alg].Credentials,
            Claims = new Dictionary<string, object>
            {
                ["jti"] = Guid.NewGuid().ToString("N"),
                ["scope"] = new List<string>(Scopes),
            },
        });
    }
}
