using BenchmarkDotNet.Attributes;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;
using ScopeClaims;

namespace ScopeClaims.Benchmarks;

/// <summary>
/// Converting an HS256 token whose scope is a string into an array token, beside the baseline "JsonWebTokenHandler
/// validate + JsonWebTokenHandler issue" with the same checks, claims and keys.
/// dotnet run -c Release --project benchmarks/ScopeClaims.Benchmarks -- --filter '*ConvertBenchmarks*'
/// </summary>
[MemoryDiagnoser]
public class ConvertBenchmarks
{
    private const string Inbound = "https://tenant.auth0.example/";
    private const string Api = "https://api.example";
    private readonly JsonWebTokenHandler _handler = new() { MapInboundClaims = false, SetDefaultTimesOnTokenCreation = false };
    private TokenSigningKey _inboundKey = null!;
    private TokenSigningKey _ourKey = null!;
    private ScopeTokenConverter _converter = null!;
    private ScopeTokenIssuer _ourIssuer = null!;
    private TokenValidationParameters _parameters = null!;
    private string _source = string.Empty;

    [GlobalSetup]
    public void Setup()
    {
        _inboundKey = TokenSigningKey.Generate("HS256", "in-1");
        _ourKey = TokenSigningKey.Generate("HS256", "out-1");
        var profile = new ScopeTokenOptions { Issuer = "https://issuer.example", SigningKeys = new SigningKeySet(_ourKey) };
        profile.Audiences.Add("https://partner.example");
        var options = new ScopeTokenConverterOptions();
        var issuer = new InboundIssuerOptions { Issuer = Inbound };
        issuer.Audiences.Add(Api);
        issuer.Algorithms.Add("HS256");
        issuer.SigningKeys.Add(_inboundKey.Key);
        options.Issuers.Add(issuer);
        _ourIssuer = new ScopeTokenIssuer(profile);
        _converter = new ScopeTokenConverter(options, _ourIssuer);
        _parameters = new TokenValidationParameters
        {
            ValidIssuer = Inbound,
            ValidAudience = Api,
            ValidAlgorithms = new[] { "HS256" },
            IssuerSigningKeys = new[] { _inboundKey.Key },
            RequireExpirationTime = true,
            RequireSignedTokens = true,
            ClockSkew = TimeSpan.FromSeconds(30),
        };

        var now = DateTime.UtcNow;
        _source = _handler.CreateToken(new SecurityTokenDescriptor
        {
            Issuer = Inbound,
            Audience = Api,
            IssuedAt = now,
            NotBefore = now,
            Expires = now.AddHours(1),
            SigningCredentials = _inboundKey.Credentials,
            Claims = new Dictionary<string, object>
            {
                ["sub"] = "client-1@clients",
                ["azp"] = "client-1",
                ["scope"] = "read:a write:b read:c write:d admin:e",
            },
        });
    }

    [Benchmark(Baseline = true)]
    public async Task<string> JsonWebTokenHandler_ValidateThenIssue()
    {
        var result = await _handler.ValidateTokenAsync(_source, _parameters);
        if (!result.IsValid)
        {
            throw result.Exception;
        }

        var source = (JsonWebToken)result.SecurityToken;
        var now = DateTime.UtcNow;
        var expires = now.AddMinutes(5) < source.ValidTo ? now.AddMinutes(5) : source.ValidTo;
        return _handler.CreateToken(new SecurityTokenDescriptor
        {
            Issuer = "https://issuer.example",
            Audience = "https://partner.example",
            IssuedAt = now,
            NotBefore = now,
            Expires = expires,
            SigningCredentials = _ourKey.Credentials,
            Claims = new Dictionary<string, object>
            {
                ["sub"] = source.Subject,
                ["azp"] = source.GetPayloadValue<string>("azp"),
                ["jti"] = Guid.NewGuid().ToString("N"),
                ["scope"] = source.GetPayloadValue<string>("scope").Split(' ').ToList(),
            },
        });
    }

    [Benchmark]
    public async Task<string> ScopeClaims_Convert() => (await _converter.ConvertAsync(_source)).Token;

    /// <summary>Floor: validation alone, which every conversion does through Microsoft.IdentityModel.</summary>
    [Benchmark]
    public async Task<bool> Floor_JsonWebTokenHandler_ValidateOnly() => (await _handler.ValidateTokenAsync(_source, _parameters)).IsValid;

    /// <summary>
    /// Floor: validation, then our issuer on the same claims, with none of the converter's own checks (duplicate names,
    /// crit, key references, issuer routing). What is left between this and <see cref="ScopeClaims_Convert"/> is their cost.
    /// </summary>
    [Benchmark]
    public async Task<string> Floor_ValidateThenScopeClaimsIssue()
    {
        var result = await _handler.ValidateTokenAsync(_source, _parameters);
        if (!result.IsValid)
        {
            throw result.Exception;
        }

        var source = (JsonWebToken)result.SecurityToken;
        return _ourIssuer.Issue(new ScopeTokenRequest(ScopeSet.Parse(source.GetPayloadValue<string>("scope")))
        {
            Subject = source.Subject,
            NotAfter = source.ValidTo,
            Claims = new Dictionary<string, object> { ["azp"] = source.GetPayloadValue<string>("azp") },
        });
    }
}
