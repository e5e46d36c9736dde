using System.Reflection;
using System.Security.Claims;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using ScopeClaims.AspNetCore.Internal;

namespace ScopeClaims.AspNetCore.Tests.Authorization;

/// <summary>
/// The matcher's paths that the endpoint tests do not reach: principals and identities that are not the platform's
/// List-backed ones, claims typed other than string, an unauthenticated identity beside a normalized one, an explicit
/// fallback normalizer.
/// </summary>
public class ScopeClaimsMatcherTests
{
    [Fact]
    public void IsSatisfied_IdentitiesNotAList_AreReadAllTheSame()
    {
        var principal = new ArrayPrincipal(Authenticated(new Claim("scope", "read:a")), Authenticated(new Claim("scope", "write:b")));

        Assert.True(ScopeClaimsMatcher.IsNormalized(principal));
        Assert.True(ScopeClaimsMatcher.IsSatisfied(principal, new[] { "read:a", "write:b" }, ScopeMatch.All, null, null));
        Assert.True(ScopeClaimsMatcher.HasScope(principal, "write:b"));
        Assert.False(ScopeClaimsMatcher.HasScope(principal, "admin"));
        Assert.False(ScopeClaimsMatcher.IsNormalized(new ArrayPrincipal(Authenticated(new Claim("scope", "read:a")), Authenticated(new Claim("scp", "admin")))));
    }

    [Fact]
    public void IsSatisfied_ClaimsNotAList_AreReadAllTheSame()
    {
        var principal = new ClaimsPrincipal(new ArrayIdentity(new Claim("scope", "read:a"), new Claim("scope", "write:b")));

        Assert.True(ScopeClaimsMatcher.IsNormalized(principal));
        Assert.True(ScopeClaimsMatcher.HasScope(principal, "write:b"));
        Assert.False(ScopeClaimsMatcher.HasScope(principal, "admin"));
        Assert.False(ScopeClaimsMatcher.IsNormalized(new ClaimsPrincipal(new ArrayIdentity(new Claim("scope", "read:a"), new Claim("SCOPE", "admin")))));
    }

    [Fact]
    public void IsNormalized_UnauthenticatedIdentityWithOtherScopeClaims_IsIgnored()
    {
        var principal = new ClaimsPrincipal(Authenticated(new Claim("scope", "read:a")));
        principal.AddIdentity(new ClaimsIdentity(new[] { new Claim("scp", "admin"), new Claim("scope", "a b") }));

        Assert.True(ScopeClaimsMatcher.IsNormalized(principal));
        Assert.False(ScopeClaimsMatcher.HasScope(principal, "admin"));
    }

    [Theory]
    [InlineData(ClaimValueTypes.String, true)]
    [InlineData(ClaimValueTypes.Integer, false)]
    [InlineData("JSON_ARRAY", false)]
    public void IsNormalized_ScopeClaimTypedOtherThanString_IsNot(string valueType, bool normalized)
    {
        var principal = new ClaimsPrincipal(Authenticated(new Claim("scope", "read:a", valueType)));

        Assert.Equal(normalized, ScopeClaimsMatcher.IsNormalized(principal));
    }

    [Fact]
    public void IsSatisfiedBy_ExplicitNormalizer_IsTheOneThatReadsAPrincipalNotNormalized()
    {
        var perms = new ScopeNormalizerOptions();
        perms.ClaimTypes.Clear();
        perms.ClaimTypes.Add("perms");
        var principal = new ClaimsPrincipal(Authenticated(new Claim("perms", "read:a write:b"), new Claim("scp", "admin")));
        var requirement = new ScopeAuthorizationRequirement(ScopeMatch.All, new[] { "read:a", "write:b" });

        Assert.True(requirement.IsSatisfiedBy(principal, new ScopeNormalizer(perms)));
        Assert.False(requirement.IsSatisfiedBy(principal));   // the default normalizer reads scp, not perms
    }

    [Fact]
    public async Task Handle_ExplicitFallbackNull_UsesTheRequestsNormalizer()
    {
        var perms = new ScopeNormalizerOptions();
        perms.ClaimTypes.Clear();
        perms.ClaimTypes.Add("perms");
        var http = new DefaultHttpContext { RequestServices = new ServiceCollection().AddSingleton(new ScopeNormalizer(perms)).BuildServiceProvider() };
        var principal = new ClaimsPrincipal(Authenticated(new Claim("perms", "read:a"), new Claim("scp", "admin")));
        var requirement = new ScopeAuthorizationRequirement(ScopeMatch.Any, new[] { "read:a" });

        var context = new AuthorizationHandlerContext(new[] { requirement }, principal, http);
        await ((IAuthorizationHandler)requirement).HandleAsync(context);

        Assert.True(context.HasSucceeded);
    }

    [Fact]
    public void ToString_AnyOrAll_SaysWhich()
    {
        Assert.Equal("ScopeAuthorizationRequirement:Scope one of (a|b)", new ScopeAuthorizationRequirement(ScopeMatch.Any, new[] { "a", "b" }).ToString());
        Assert.Equal("ScopeAuthorizationRequirement:Scope all of (a)", new ScopeAuthorizationRequirement(ScopeMatch.All, new[] { "a" }).ToString());
    }

    [Fact]
    public void HandleRequirementAsync_NullArguments_ThrowArgumentNullException()
    {
        // Protected: reached by a derived handler or by reflection only; the guard names the argument.
        var requirement = new ScopeAuthorizationRequirement(ScopeMatch.Any, new[] { "a" });
        var handle = typeof(ScopeAuthorizationRequirement).GetMethod("HandleRequirementAsync", BindingFlags.Instance | BindingFlags.NonPublic)!;
        var context = new AuthorizationHandlerContext(new[] { requirement }, new ClaimsPrincipal(), null);

        var noContext = Assert.Throws<TargetInvocationException>(() => handle.Invoke(requirement, new object?[] { null, requirement }));
        var noRequirement = Assert.Throws<TargetInvocationException>(() => handle.Invoke(requirement, new object?[] { context, null }));

        Assert.Equal("context", Assert.IsType<ArgumentNullException>(noContext.InnerException).ParamName);
        Assert.Equal("requirement", Assert.IsType<ArgumentNullException>(noRequirement.InnerException).ParamName);
    }

    private static ClaimsIdentity Authenticated(params Claim[] claims) => new(claims, "Bearer");

    /// <summary>A principal whose identities are an array, as a custom principal's may be.</summary>
    private sealed class ArrayPrincipal(params ClaimsIdentity[] identities) : ClaimsPrincipal
    {
        public override IEnumerable<ClaimsIdentity> Identities => identities;
    }

    /// <summary>An authenticated identity whose claims are an array, as a custom identity's may be.</summary>
    private sealed class ArrayIdentity(params Claim[] claims) : ClaimsIdentity("Bearer")
    {
        public override IEnumerable<Claim> Claims => claims;
    }
}
