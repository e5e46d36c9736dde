using System.Security.Claims;
using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Configs;
using Microsoft.AspNetCore.Authorization;
using Microsoft.Extensions.DependencyInjection;
using ScopeClaims.AspNetCore;

namespace ScopeClaims.Benchmarks;

/// <summary>
/// Checking scopes on a principal normalized by AddScopeNormalization (a JwtBearer identity's usual claims plus one
/// "scope" claim per scope) beside the framework's claim check: the raw lookup (baseline ClaimsPrincipal.HasClaim), and
/// a whole policy through IAuthorizationService (baseline RequireClaim). The scope sought is the last one.
/// dotnet run -c Release --project benchmarks/ScopeClaims.Benchmarks -- --filter '*AuthorizationBenchmarks*'
/// </summary>
[MemoryDiagnoser]
[GroupBenchmarksBy(BenchmarkLogicalGroupRule.ByCategory)]
[CategoriesColumn]
public class AuthorizationBenchmarks
{
    private readonly ClaimsPrincipal _principal = new(new ClaimsIdentity(
        new[]
        {
            new Claim("iss", "https://idp.example"), new Claim("aud", "https://api.example"), new Claim("sub", "client-1"),
            new Claim("client_id", "client-1"), new Claim("jti", "f3b1c2d4"), new Claim("iat", "1767225600"),
            new Claim("nbf", "1767225600"), new Claim("exp", "1767225900"),
            new Claim("scope", "read:a"), new Claim("scope", "write:b"), new Claim("scope", "read:c"),
            new Claim("scope", "write:d"), new Claim("scope", "admin:e"),
        },
        "AuthenticationTypes.Federation"));

    private readonly ScopeAuthorizationRequirement _any = new(ScopeMatch.Any, new[] { "missing", "admin:e" });
    private readonly ScopeAuthorizationRequirement _all = new(ScopeMatch.All, new[] { "read:a", "admin:e" });
    private readonly AuthorizationPolicy _requireClaim = new AuthorizationPolicyBuilder().RequireClaim("scope", "admin:e").Build();
    private readonly AuthorizationPolicy _requireScope = new AuthorizationPolicyBuilder().RequireScope("admin:e").Build();
    private IAuthorizationService _authorization = null!;

    [GlobalSetup]
    public void Setup() =>
        _authorization = new ServiceCollection().AddLogging().AddAuthorizationCore().BuildServiceProvider().GetRequiredService<IAuthorizationService>();

    [Benchmark(Baseline = true), BenchmarkCategory("Check")]
    public bool HasClaim() => _principal.HasClaim("scope", "admin:e");

    [Benchmark, BenchmarkCategory("Check")]
    public bool HasScope() => _principal.HasScope("admin:e");

    [Benchmark, BenchmarkCategory("Check")]
    public bool Requirement_AnyOf() => _any.IsSatisfiedBy(_principal);

    [Benchmark, BenchmarkCategory("Check")]
    public bool Requirement_AllOf() => _all.IsSatisfiedBy(_principal);

    [Benchmark(Baseline = true), BenchmarkCategory("Policy")]
    public Task<AuthorizationResult> Policy_RequireClaim() => _authorization.AuthorizeAsync(_principal, _requireClaim);

    [Benchmark, BenchmarkCategory("Policy")]
    public Task<AuthorizationResult> Policy_RequireScope() => _authorization.AuthorizeAsync(_principal, _requireScope);
}
