using System.Security.Claims;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.JwtBearer;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Microsoft.IdentityModel.JsonWebTokens;
using ScopeClaims.AspNetCore.Internal;

namespace ScopeClaims.AspNetCore.Tests.Authentication;

/// <summary>
/// Scope claims already in the normalized form are kept as they are, not rewritten: the principal and every
/// authorization decision are the same as after the rewrite, and a value not in that form is still rewritten.
/// </summary>
public class JwtBearerScopeNormalizerNormalFormTests
{
    private const string ClaimIssuer = "https://claims-issuer.test";
    private const string OtherIssuer = "https://other-issuer.test";

    private static readonly string[] Required = ["read:a", "write:b", "admin", "read:a write:b", "READ:A", "read"];

    public static TheoryData<string, string[], bool> Shapes => new()
    {
        // payload scope members, the identity's scope claims (one "scope" claim each), whether they are kept
        { "\"scope\":\"read:a\"", ["read:a"], true },
        { "\"scope\":[\"read:a\",\"write:b\"]", ["read:a", "write:b"], true },
        { "\"scope\":[\"write:b\",\"read:a\"]", ["write:b", "read:a"], true },
        { "\"scope\":\"read:a read:a\"", ["read:a read:a"], false },
        { "\"scope\":\" read:a \"", [" read:a "], false },
        { "\"scope\":\"read:a  write:b\"", ["read:a  write:b"], false },
        { "\"scope\":\"read:a write:b\"", ["read:a write:b"], false },
        { "\"scope\":[\"read:a\",\"read:a\"]", ["read:a", "read:a"], false },
        { "\"scope\":[\"write:b\",\"read:a\"]", ["read:a", "write:b"], false },
        { "\"scope\":\"read:a\"", ["read:a", "read:a"], false },
        { "\"scope\":\"read:a\"", [], false },
        { "\"scope\":[\"read:a\",\"write:b\"]", ["read:a"], false },
        { string.Empty, [], true },
    };

    [Theory]
    [MemberData(nameof(Shapes))]
    public void Normalize_ScopeClaims_GiveThePrincipalAndDecisionsOfTheRewrite(string payload, string[] scopeClaims, bool kept)
    {
        var normalized = Context(payload, Claims(scopeClaims, ClaimIssuer, ClaimIssuer));
        var scopeOriginals = normalized.Principal!.Claims.Where(c => c.Type == "scope").ToArray();

        // The same identity with each scope claim's original issuer changed, which takes it through the rewrite.
        var rewritten = Context(payload, Claims(scopeClaims, ClaimIssuer, OtherIssuer));

        Assert.True(Normalizer().Normalize(normalized));
        Assert.True(Normalizer().Normalize(rewritten));

        Assert.Equal(Describe(rewritten.Principal!), Describe(normalized.Principal!));
        Assert.Equal(ScopeValues(rewritten.Principal!), ScopeValues(normalized.Principal!));
        Assert.Equal(new ScopeNormalizer().Read((JsonWebToken)normalized.SecurityToken), ScopeValues(normalized.Principal!));
        Assert.Equal(Decisions(rewritten.Principal!), Decisions(normalized.Principal!));
        Assert.True(ScopeClaimsMatcher.IsNormalized(normalized.Principal!));

        var after = normalized.Principal!.Claims.Where(c => c.Type == "scope").ToArray();
        if (kept)
        {
            Assert.Equal(scopeOriginals, after, ReferenceEqualityComparer.Instance);
        }
        else
        {
            Assert.DoesNotContain(after, c => scopeOriginals.Contains(c, ReferenceEqualityComparer.Instance));
        }
    }

    [Fact]
    public void Normalize_ValueNotInNormalForm_IsRewrittenOneClaimPerScope()
    {
        var context = Context("\"scope\":\"  read:a read:a   write:b \"", Claims(["  read:a read:a   write:b "], ClaimIssuer, ClaimIssuer));

        Assert.True(Normalizer().Normalize(context));

        var scopes = context.Principal!.Claims.Where(c => c.Type == "scope").ToArray();
        Assert.Equal(["read:a", "write:b"], scopes.Select(c => c.Value));
        Assert.All(scopes, c => Assert.Equal((ClaimIssuer, ClaimIssuer, ClaimValueTypes.String), (c.Issuer, c.OriginalIssuer, c.ValueType)));
        Assert.False(context.Principal.HasClaim("scope", "  read:a read:a   write:b "));
    }

    [Theory]
    [InlineData("custom-value-type", ClaimIssuer, ClaimIssuer)]
    [InlineData(ClaimValueTypes.String, ClaimIssuer, OtherIssuer)]
    public void Normalize_OneScopeClaimOfAnotherValueTypeOrOriginalIssuer_IsRewrittenAsAString(string valueType, string issuer, string originalIssuer)
    {
        var context = Context("\"scope\":\"read:a\"", [new Claim("scope", "read:a", valueType, issuer, originalIssuer)]);
        var claim = context.Principal!.Claims.Single();

        Assert.True(Normalizer().Normalize(context));

        var scope = Assert.Single(context.Principal!.Claims, c => c.Type == "scope");
        Assert.NotSame(claim, scope);
        Assert.Equal(("read:a", ClaimValueTypes.String, ClaimIssuer, ClaimIssuer), (scope.Value, scope.ValueType, scope.Issuer, scope.OriginalIssuer));
    }

    [Fact]
    public void Normalize_ScopeClaimsOfTwoIssuers_AreRewrittenWithTheFirstOnesIssuer()
    {
        var context = Context("\"scope\":[\"read:a\",\"write:b\"]", [new Claim("scope", "read:a", ClaimValueTypes.String, ClaimIssuer), new Claim("scope", "write:b", ClaimValueTypes.String, OtherIssuer)]);

        Assert.True(Normalizer().Normalize(context));

        Assert.Equal([("read:a", ClaimIssuer), ("write:b", ClaimIssuer)], context.Principal!.Claims.Where(c => c.Type == "scope").Select(c => (c.Value, c.Issuer)));
    }

    [Fact]
    public void Normalize_NormalScopeClaimBesideScp_IsRewrittenAndScpRemoved()
    {
        var context = Context("\"scope\":\"read:a\",\"scp\":\"read:a\"", [new Claim("scope", "read:a", ClaimValueTypes.String, ClaimIssuer), new Claim("scp", "read:a", ClaimValueTypes.String, ClaimIssuer)]);

        Assert.True(Normalizer().Normalize(context));

        Assert.Equal(["scope"], context.Principal!.Claims.Where(c => ScopeClaimTypes.All.Contains(c.Type)).Select(c => c.Type));
    }

    [Theory]
    [InlineData("Scope", true)]
    [InlineData("SCP", false)]
    public void Normalize_NormalScopeClaimWithACaseVariantBeforeOrAfterIt_Fails(string variant, bool variantFirst)
    {
        var scope = new Claim("scope", "read:a", ClaimValueTypes.String, ClaimIssuer);
        var imitation = new Claim(variant, "admin", ClaimValueTypes.String, ClaimIssuer);
        var context = Context("\"scope\":\"read:a\"", variantFirst ? [imitation, scope] : [scope, imitation]);

        Assert.False(Normalizer().Normalize(context));

        var failure = Assert.IsType<ScopeFormatException>(context.Result!.Failure);
        Assert.Equal(ScopeErrorReason.ConflictingClaims, failure.Reason);
        Assert.Equal(variant.ToLowerInvariant(), failure.ClaimName);
    }

    [Theory]
    [InlineData("\"scope\":\"read:a\",\"SCOPE\":\"admin\"", ScopeErrorReason.ConflictingClaims)]
    [InlineData("\"scope\":\"read:a\",\"scope\":\"read:a\"", ScopeErrorReason.MalformedJson)]
    public void Normalize_NormalScopeClaimButAHostilePayload_Fails(string payload, ScopeErrorReason reason)
    {
        var context = Context(payload, [new Claim("scope", "read:a", ClaimValueTypes.String, ClaimIssuer)]);

        Assert.False(Normalizer().Normalize(context));

        Assert.Equal(reason, Assert.IsType<ScopeFormatException>(context.Result!.Failure).Reason);
    }

    [Theory]
    [InlineData("\"scope\":\"read:a\"", new[] { "read:a" }, true)]
    [InlineData("\"scope\":[\"read:a\",\"write:b\"]", new[] { "read:a", "write:b" }, true)]
    [InlineData("\"scope\":\"read:a read:a\"", new[] { "read:a" }, false)]
    [InlineData("\"scope\":\"read:a  write:b \"", new[] { "read:a", "write:b" }, false)]
    public async Task Normalize_IdentityOfTheTokenHandler_KeepsOrRewritesItsScopeClaims(string payload, string[] expected, bool kept)
    {
        var token = TestTokens.Create(payload);
        var result = await new JsonWebTokenHandler { MapInboundClaims = false }.ValidateTokenAsync(token, TestTokens.ValidationParameters());
        Assert.True(result.IsValid, result.Exception?.Message);
        var before = result.ClaimsIdentity.Claims.Where(c => c.Type == "scope").ToArray();
        var context = Context(result.ClaimsIdentity, result.SecurityToken);

        Assert.True(Normalizer().Normalize(context));

        var after = context.Principal!.Claims.Where(c => c.Type == "scope").ToArray();
        Assert.Equal(expected, after.Select(c => c.Value));
        Assert.All(after, c => Assert.Equal((TestTokens.Issuer, TestTokens.Issuer, ClaimValueTypes.String), (c.Issuer, c.OriginalIssuer, c.ValueType)));
        Assert.Equal(kept, Enumerable.SequenceEqual(before, after, ReferenceEqualityComparer.Instance));
        Assert.True(new ScopeAuthorizationRequirement(ScopeMatch.All, expected).IsSatisfiedBy(context.Principal));
    }

    private static Claim[] Claims(string[] scopes, string issuer, string originalIssuer) =>
        [new Claim("sub", "client-1", ClaimValueTypes.String, ClaimIssuer), .. scopes.Select(s => new Claim("scope", s, ClaimValueTypes.String, issuer, originalIssuer))];

    private static string[] Describe(ClaimsPrincipal principal) =>
        principal.Claims.Select(c => $"{c.Type}|{c.Value}|{c.ValueType}|{c.Issuer}|{c.OriginalIssuer}|{ReferenceEquals(c.Subject, principal.Identity)}").Order(StringComparer.Ordinal).ToArray();

    private static string[] ScopeValues(ClaimsPrincipal principal) => principal.FindAll("scope").Select(c => c.Value).ToArray();

    private static bool[] Decisions(ClaimsPrincipal principal) =>
    [
        .. Required.Select(s => ScopeSet.IsValidScope(s) && new ScopeAuthorizationRequirement(ScopeMatch.Any, [s]).IsSatisfiedBy(principal)),
        .. Required.Select(s => principal.HasClaim("scope", s)),
        .. Required.Select(s => principal.HasScope(s)),
    ];

    private static JwtBearerScopeNormalizer Normalizer()
    {
        var options = new ScopeNormalizerOptions();
        return new JwtBearerScopeNormalizer(new ScopeNormalizer(options), Options.Create(options), NullLoggerFactory.Instance, new ScopeClaimsAspNetCoreMetrics(null));
    }

    private static TokenValidatedContext Context(string scopeMembers, Claim[] claims) =>
        Context(new ClaimsIdentity(claims, "Bearer"), new JsonWebToken(TestTokens.Create(scopeMembers)));

    private static TokenValidatedContext Context(ClaimsIdentity identity, Microsoft.IdentityModel.Tokens.SecurityToken token)
    {
        var http = new DefaultHttpContext { RequestServices = new ServiceCollection().BuildServiceProvider() };
        var scheme = new AuthenticationScheme(JwtBearerDefaults.AuthenticationScheme, null, typeof(JwtBearerHandler));
        return new TokenValidatedContext(http, scheme, new JwtBearerOptions())
        {
            Principal = new ClaimsPrincipal(identity),
            SecurityToken = token,
        };
    }
}
