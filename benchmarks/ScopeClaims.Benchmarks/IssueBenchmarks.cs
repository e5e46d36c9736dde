using System.Security.Cryptography;
using System.Text;
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
    private static readonly System.Collections.Concurrent.ConcurrentDictionary<string, TokenSigningKey> SharedKeys = new();
    private static readonly ScopeSet Scopes = ScopeSet.Parse("read:a write:b read:c write:d admin:e");
    private readonly JsonWebTokenHandler _handler = new() { SetDefaultTimesOnTokenCreation = false };
    private readonly Dictionary<string, ScopeTokenIssuer> _issuers = new();
    private readonly Dictionary<string, TokenSigningKey> _keys = new();
    private readonly System.IdentityModel.Tokens.Jwt.JwtSecurityTokenHandler _legacy = new() { SetDefaultTimesOnTokenCreation = false };
    private RSA _rsa = null!;
    private ECDsa _ecdsa = null!;
    private HMACSHA256 _hmac = null!;
    private byte[] _input = Array.Empty<byte>();
    private byte[] _payload = Array.Empty<byte>();
    private string _header = string.Empty;

    [GlobalSetup]
    public void Setup()
    {
        foreach (var alg in new[] { "HS256", "RS256", "ES256" })
        {
            // Note: one key per algorithm per process, so that an in-process run (--inProcess) signs with the very same
            // key object in every benchmark of a category.
            var key = SharedKeys.GetOrAdd(alg, static a => TokenSigningKey.Generate(a));
            var options = new ScopeTokenOptions { Issuer = "https://issuer.example", SigningKeys = new SigningKeySet(key) };
            options.Audiences.Add("https://partner.example");
            _keys[alg] = key;
            _issuers[alg] = new ScopeTokenIssuer(options);
        }

        _rsa = ((RsaSecurityKey)_keys["RS256"].Key).Rsa;
        _ecdsa = ((ECDsaSecurityKey)_keys["ES256"].Key).ECDsa;
        _hmac = new HMACSHA256(((SymmetricSecurityKey)_keys["HS256"].Key).Key);
        var token = _issuers["HS256"].Issue(Scopes);
        _header = token[..token.IndexOf('.')];
        _payload = Base64UrlEncoder.DecodeBytes(token.Split('.')[1]);
        _input = Encoding.ASCII.GetBytes(token[..token.LastIndexOf('.')]);
    }

    private string Floor()
    {
        var payload = Base64UrlEncoder.Encode(_payload);
        var input = _header + "." + payload;
        var signature = _hmac.ComputeHash(Encoding.ASCII.GetBytes(input));
        return input + "." + Base64UrlEncoder.Encode(signature);
    }

    [Benchmark(Baseline = true), BenchmarkCategory("HS256")]
    public string JsonWebTokenHandler_HS256() => Raw("HS256");

    [Benchmark, BenchmarkCategory("HS256")]
    public string ScopeClaims_HS256() => _issuers["HS256"].Issue(Scopes);

    /// <summary>The irreducible work: a reused HMAC-SHA256 over a prebuilt signing input, plus base64url of the payload and signature.</summary>
    [Benchmark, BenchmarkCategory("HS256")]
    public string Floor_HS256() => Floor();

    [Benchmark, BenchmarkCategory("HS256")]
    public string JwtSecurityTokenHandler_HS256() => _legacy.WriteToken(_legacy.CreateJwtSecurityToken(new SecurityTokenDescriptor
    {
        Issuer = "https://issuer.example",
        Audience = "https://partner.example",
        IssuedAt = DateTime.UtcNow,
        NotBefore = DateTime.UtcNow,
        Expires = DateTime.UtcNow.AddMinutes(5),
        SigningCredentials = _keys["HS256"].Credentials,
        Claims = new Dictionary<string, object> { ["jti"] = Guid.NewGuid().ToString("N"), ["scope"] = new List<string>(Scopes) },
    }));

    [Benchmark(Baseline = true), BenchmarkCategory("RS256")]
    public string JsonWebTokenHandler_RS256() => Raw("RS256");

    [Benchmark, BenchmarkCategory("RS256")]
    public string ScopeClaims_RS256() => _issuers["RS256"].Issue(Scopes);

    [Benchmark, BenchmarkCategory("RS256")]
    public byte[] RsaSignData_RS256() => _rsa.SignData(_input, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);

    [Benchmark(Baseline = true), BenchmarkCategory("ES256")]
    public string JsonWebTokenHandler_ES256() => Raw("ES256");

    [Benchmark, BenchmarkCategory("ES256")]
    public string ScopeClaims_ES256() => _issuers["ES256"].Issue(Scopes);

    [Benchmark, BenchmarkCategory("ES256")]
    public byte[] EcdsaSignData_ES256() => _ecdsa.SignData(_input, HashAlgorithmName.SHA256);

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
