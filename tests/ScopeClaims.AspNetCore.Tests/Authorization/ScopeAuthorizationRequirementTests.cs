using System.Security.Claims;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;

namespace ScopeClaims.AspNetCore.Tests.Authorization;

public class ScopeAuthorizationRequirementTests
{
    public static ClaimsPrincipal Normalized(params string[] scopes) =>
        new(new ClaimsIdentity(scopes.Select(s => new Claim("scope", s)).Prepend(new Claim("sub", "client-1")), "Bearer"));

    public static TheoryData<ScopeMatch, string[], string[], bool> Decisions => new()
    {
        { ScopeMatch.Any, new[] { "a" }, new[] { "a", "b" }, true },
        { ScopeMatch.Any, new[] { "x", "b" }, new[] { "a", "b" }, true },
        { ScopeMatch.Any, new[] { "x", "y" }, new[] { "a", "b" }, false },
        { ScopeMatch.Any, new[] { "A" }, new[] { "a" }, false },
        { ScopeMatch.Any, new[] { "a" }, Array.Empty<string>(), false },
        { ScopeMatch.All, new[] { "a", "b" }, new[] { "b", "c", "a" }, true },
        { ScopeMatch.All, new[] { "a", "x" }, new[] { "a", "b" }, false },
        { ScopeMatch.All, new[] { "a", "a" }, new[] { "a" }, true },
        { ScopeMatch.All, new[] { "read:A" }, new[] { "read:a" }, false },
    };

    [Theory]
    [MemberData(nameof(Decisions))]
    public async Task Handle_NormalizedPrincipal_DecidesByMatch(ScopeMatch match, string[] required, string[] granted, bool expected)
    {
        var requirement = new ScopeAuthorizationRequirement(match, required);

        Assert.Equal(expected, await HandleAsync(requirement, Normalized(granted)));
        Assert.Equal(expected, requirement.IsSatisfiedBy(Normalized(granted)));
    }

    public static TheoryData<string, Claim[], bool> NotNormalizedPrincipals => new()
    {
        { "Auth0 string claim", new[] { new Claim("scope", "read:a write:b") }, true },
        { "Entra mapped claim", new[] { new Claim(ScopeClaimTypes.MicrosoftScope, "read:a write:b") }, true },
        { "Okta scp claims", new[] { new Claim("scp", "read:a"), new Claim("scp", "write:b") }, true },
        { "JSON array claim", new[] { new Claim("scope", """["read:a","write:b"]""", "JSON_ARRAY") }, true },
        { "only read:a", new[] { new Claim("scp", "read:a") }, false },
        { "hostile: element holding a space", new[] { new Claim("scp", "read:a"), new Claim("scp", "write:b admin") }, false },
        { "hostile: a number", new[] { new Claim("scope", "42", ClaimValueTypes.Integer) }, false },
        { "hostile: scope and scp disagree", new[] { new Claim("scope", "read:a write:b"), new Claim("scp", "admin") }, false },
        { "hostile: SCOPE", new[] { new Claim("SCOPE", "read:a write:b") }, false },
        { "hostile: Scp beside scp", new[] { new Claim("scp", "read:a write:b"), new Claim("Scp", "admin") }, false },
        { "hostile: one scope claim per scope beside a SCOPE claim", new[] { new Claim("scope", "read:a"), new Claim("scope", "write:b"), new Claim("SCOPE", "admin") }, false },
        { "hostile: mapped URI in capitals", new[] { new Claim(ScopeClaimTypes.MicrosoftScope.ToUpperInvariant(), "read:a write:b") }, false },
    };

    [Theory]
    [MemberData(nameof(NotNormalizedPrincipals))]
    public async Task Handle_PrincipalNotNormalized_ReadsItThroughTheNormalizer(string shape, Claim[] claims, bool expected)
    {
        var requirement = new ScopeAuthorizationRequirement(ScopeMatch.All, new[] { "read:a", "write:b" });
        var principal = new ClaimsPrincipal(new ClaimsIdentity(claims, "Cookies"));

        Assert.True(expected == await HandleAsync(requirement, principal), shape);
        Assert.True(expected == principal.HasScope("write:b"), shape);
    }

    [Fact]
    public async Task Handle_PrincipalNotNormalized_UsesTheRequestsNormalizer()
    {
        // Disagreeing scope and scp claims are refused by default, united by this application's normalizer.
        var services = new ServiceCollection().AddScopeNormalizer(o => o.MultipleClaims = MultipleScopeClaimsBehavior.Union).BuildServiceProvider();
        var http = new DefaultHttpContext { RequestServices = services };
        var principal = new ClaimsPrincipal(new ClaimsIdentity(new[] { new Claim("scope", "read:a"), new Claim("scp", "write:b") }, "Cookies"));
        var requirement = new ScopeAuthorizationRequirement(ScopeMatch.All, new[] { "read:a", "write:b" });

        Assert.True(await HandleAsync(requirement, principal, http));
        Assert.False(await HandleAsync(requirement, principal));
    }

    [Theory]
    [InlineData(ScopeMatch.Any)]
    [InlineData(ScopeMatch.All)]
    public async Task Handle_UnauthenticatedIdentityClaims_NeverCount(ScopeMatch match)
    {
        var requirement = new ScopeAuthorizationRequirement(match, new[] { "admin" });
        var normalized = Normalized("read:a");
        normalized.AddIdentity(new ClaimsIdentity(new[] { new Claim("scope", "admin") }));
        var raw = new ClaimsPrincipal(new ClaimsIdentity(new[] { new Claim("scp", "admin") }));

        Assert.False(await HandleAsync(requirement, normalized));
        Assert.False(await HandleAsync(requirement, raw));
        Assert.False(raw.HasScope("admin"));
        Assert.False(new ClaimsPrincipal(new ClaimsIdentity(new[] { new Claim("scope", "admin") })).HasScope("admin"));
    }

    [Fact]
    public async Task Handle_ScopesOfSeveralAuthenticatedIdentities_AreUnited()
    {
        var principal = Normalized("read:a");
        principal.AddIdentity(new ClaimsIdentity(new[] { new Claim("scope", "write:b") }, "Other"));

        Assert.True(await HandleAsync(new ScopeAuthorizationRequirement(ScopeMatch.All, new[] { "read:a", "write:b" }), principal));
    }

    [Fact]
    public void IsSatisfiedBy_NormalizedPrincipal_AllocatesNothing()
    {
        var principal = Normalized("api:one", "api:two", "api:three", "api:four", "api:five");
        var any = new ScopeAuthorizationRequirement(ScopeMatch.Any, new[] { "missing", "api:five" });
        var all = new ScopeAuthorizationRequirement(ScopeMatch.All, new[] { "api:one", "api:five" });
        for (var i = 0; i < 100; i++)
        {
            Check();
        }

        var before = GC.GetAllocatedBytesForCurrentThread();
        for (var i = 0; i < 1000; i++)
        {
            Check();
        }

        Assert.Equal(0, GC.GetAllocatedBytesForCurrentThread() - before);

        void Check()
        {
            Assert.True(any.IsSatisfiedBy(principal));
            Assert.True(all.IsSatisfiedBy(principal));
            Assert.True(principal.HasScope("api:three"));
            Assert.False(principal.HasScope("api:six"));
        }
    }

    [Fact]
    public void Properties_DescribeTheRequirement()
    {
        var requirement = new ScopeAuthorizationRequirement(ScopeMatch.All, new[] { "b", "a", "b" });

        Assert.Equal(ScopeMatch.All, requirement.Match);
        Assert.Equal(new[] { "b", "a" }, requirement.Scopes);
        Assert.Equal("ScopeAuthorizationRequirement:Scope all of (b|a)", requirement.ToString());
    }

    public static TheoryData<string, string[]> InvalidScopeLists => new()
    {
        { "empty list", Array.Empty<string>() },
        { "null element", new[] { "a", null! } },
        { "empty element", new[] { "" } },
        { "space-delimited element", new[] { "read write" } },
        { "tab", new[] { "read\twrite" } },
        { "quote", new[] { "re\"ad" } },
        { "non-ASCII", new[] { "lé" } },
    };

    [Theory]
    [MemberData(nameof(InvalidScopeLists))]
    public void Constructor_InvalidScopes_ThrowsArgumentException(string what, string[] scopes)
    {
        var ex = Assert.Throws<ArgumentException>(() => new ScopeAuthorizationRequirement(ScopeMatch.Any, scopes));

        Assert.Equal("scopes", ex.ParamName);
        Assert.False(string.IsNullOrEmpty(what));
    }

    [Fact]
    public void ConstructorAndIsSatisfiedBy_NullOrUndefinedArguments_Throw()
    {
        Assert.Throws<ArgumentNullException>("scopes", () => new ScopeAuthorizationRequirement(ScopeMatch.Any, null!));
        Assert.Throws<ArgumentOutOfRangeException>("match", () => new ScopeAuthorizationRequirement((ScopeMatch)7, new[] { "a" }));
        Assert.Throws<ArgumentNullException>("user", () => new ScopeAuthorizationRequirement(ScopeMatch.Any, new[] { "a" }).IsSatisfiedBy(null!));
    }

    [Fact]
    public void HasScope_NullArguments_Throw()
    {
        Assert.Throws<ArgumentNullException>("principal", () => ClaimsPrincipalScopeExtensions.HasScope(null!, "a"));
        Assert.Throws<ArgumentNullException>("scope", () => Normalized("a").HasScope(null!));
    }

    private static async Task<bool> HandleAsync(IAuthorizationHandler handler, ClaimsPrincipal user, object? resource = null)
    {
        var context = new AuthorizationHandlerContext(new[] { (IAuthorizationRequirement)handler }, user, resource);
        await handler.HandleAsync(context);
        return context.HasSucceeded;
    }
}
