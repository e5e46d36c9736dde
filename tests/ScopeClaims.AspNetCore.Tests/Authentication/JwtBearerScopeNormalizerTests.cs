using System.IdentityModel.Tokens.Jwt;
using System.Security.Claims;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.JwtBearer;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;
using ScopeClaims.AspNetCore.Internal;

namespace ScopeClaims.AspNetCore.Tests.Authentication;

/// <summary>
/// The normalizing events on a <see cref="TokenValidatedContext"/> built by hand: what reaches the application's own
/// <c>OnTokenValidated</c>, and the claims written, exactly.
/// </summary>
public class JwtBearerScopeNormalizerTests
{
    private const string ClaimIssuer = "https://claims-issuer.test";

    [Fact]
    public async Task TokenValidated_HostileScopeClaim_FailsAndTheApplicationsOnTokenValidatedNeverRuns()
    {
        var applicationRan = false;
        var events = Events(new JwtBearerEvents { OnTokenValidated = _ => { applicationRan = true; return Task.CompletedTask; } });
        var context = Context("\"scope\":42", new Claim("scope", "42", ClaimValueTypes.Integer, ClaimIssuer));

        await events.TokenValidated(context);

        Assert.False(applicationRan);
        Assert.NotNull(context.Result);
        var failure = Assert.IsType<ScopeFormatException>(context.Result.Failure);
        Assert.Equal(ScopeErrorReason.InvalidShape, failure.Reason);
    }

    [Fact]
    public async Task TokenValidated_GoodScopes_TheApplicationsOnTokenValidatedSeesThemNormalized()
    {
        string[]? seen = null;
        var events = Events(new JwtBearerEvents { OnTokenValidated = c => { seen = c.Principal!.FindAll("scope").Select(s => s.Value).ToArray(); return Task.CompletedTask; } });
        var context = Context("\"scp\":[\"read:a\",\"write:b\"]", new Claim("scp", "read:a", ClaimValueTypes.String, ClaimIssuer), new Claim("scp", "write:b", ClaimValueTypes.String, ClaimIssuer));

        await events.TokenValidated(context);

        Assert.Null(context.Result);
        Assert.Equal(new[] { "read:a", "write:b" }, seen);
    }

    [Fact]
    public async Task TokenValidated_NoClaimsIdentity_LeavesThePrincipalAloneAndRunsTheApplicationsEvent()
    {
        var applicationRan = false;
        var events = Events(new JwtBearerEvents { OnTokenValidated = _ => { applicationRan = true; return Task.CompletedTask; } });
        var context = Context("\"scope\":42");
        context.Principal = null;

        await events.TokenValidated(context);

        Assert.True(applicationRan);
        Assert.Null(context.Result);
    }

    [Fact]
    public void Normalize_ScopeClaims_AreRewrittenWithTheIssuerOfTheClaimsTheyReplace()
    {
        var context = Context("\"scope\":\"read:a write:b\"", new Claim("scope", "read:a write:b", ClaimValueTypes.String, ClaimIssuer), new Claim("sub", "client-1", ClaimValueTypes.String, ClaimIssuer));

        Assert.True(Normalizer().Normalize(context));

        var scopes = context.Principal!.Claims.Where(c => c.Type == "scope").ToArray();
        Assert.Equal(new[] { "read:a", "write:b" }, scopes.Select(c => c.Value));
        Assert.All(scopes, c => Assert.Equal(ClaimIssuer, c.Issuer));
        Assert.All(scopes, c => Assert.Equal(ClaimValueTypes.String, c.ValueType));
        Assert.Single(context.Principal.Claims, c => c.Type == "sub");
    }

    [Fact]
    public void Normalize_ScopesOnlyInThePayload_TakeTheTokensIssuer()
    {
        // No scope claim on the identity (an application mapped them away): the scopes come from the payload, and their
        // issuer from the token.
        var context = Context("\"scope\":\"read:a\"", new Claim("sub", "client-1", ClaimValueTypes.String, ClaimIssuer));

        Assert.True(Normalizer().Normalize(context));

        var scope = Assert.Single(context.Principal!.Claims, c => c.Type == "scope");
        Assert.Equal("read:a", scope.Value);
        Assert.Equal(TestTokens.Issuer, scope.Issuer);
    }

    [Fact]
    public void Normalize_NoIssuerAnywhere_TakesTheDefaultIssuer()
    {
        var context = Context("\"scope\":\"read:a\"", withIssuer: false);

        Assert.True(Normalizer().Normalize(context));

        Assert.Equal(ClaimsIdentity.DefaultIssuer, Assert.Single(context.Principal!.Claims, c => c.Type == "scope").Issuer);
    }

    [Fact]
    public void Normalize_JwtSecurityToken_IsReadFromItsPayload()
    {
        // The payload says a one-element array; the claims alone could not tell.
        var context = Context("\"scope\":[\"read:a\"]");
        context.SecurityToken = new JwtSecurityToken(((JsonWebToken)context.SecurityToken).EncodedToken);

        Assert.True(Normalizer().Normalize(context));

        Assert.Equal("read:a", Assert.Single(context.Principal!.Claims, c => c.Type == "scope").Value);
    }

    [Fact]
    public void Normalize_NoSecurityToken_IsReadFromTheClaims()
    {
        var context = Context("\"scope\":\"ignored\"", new Claim("scp", "read:a", ClaimValueTypes.String, ClaimIssuer), new Claim("scp", "write:b", ClaimValueTypes.String, ClaimIssuer));
        context.SecurityToken = null!;

        Assert.True(Normalizer().Normalize(context));

        Assert.Equal(new[] { "read:a", "write:b" }, context.Principal!.Claims.Where(c => c.Type == "scope").Select(c => c.Value));
        Assert.DoesNotContain(context.Principal.Claims, c => c.Type == "scp");
    }

    [Fact]
    public void Normalize_ScopeClaimTypeNotConfiguredToBeRead_IsRemovedAnyway()
    {
        // Only "scope" is read; scp and the mapped URI are still removed, so no scope claim of another shape stays.
        var options = new ScopeNormalizerOptions();
        options.ClaimTypes.Clear();
        options.ClaimTypes.Add("scope");
        var context = Context("\"scope\":\"read:a\"", new Claim("scope", "read:a", ClaimValueTypes.String, ClaimIssuer), new Claim("scp", "admin", ClaimValueTypes.String, ClaimIssuer), new Claim(ScopeClaimTypes.MicrosoftScope, "admin", ClaimValueTypes.String, ClaimIssuer));

        Assert.True(Normalizer(options).Normalize(context));

        Assert.Equal(new[] { "scope" }, context.Principal!.Claims.Select(c => c.Type));
        Assert.Equal("read:a", context.Principal.Claims.Single().Value);
    }

    [Fact]
    public void Normalize_ClaimNamedLikeAScopeClaimInAnotherCase_FailsNamingTheScopeClaim()
    {
        var context = Context("\"scope\":\"read:a\"", new Claim("scope", "read:a", ClaimValueTypes.String, ClaimIssuer), new Claim("SCP", "admin", ClaimValueTypes.String, ClaimIssuer));

        Assert.False(Normalizer().Normalize(context));

        var failure = Assert.IsType<ScopeFormatException>(context.Result!.Failure);
        Assert.Equal(ScopeErrorReason.ConflictingClaims, failure.Reason);
        Assert.Equal("scp", failure.ClaimName);
        Assert.StartsWith("The scope claim 'scp' is imitated by a claim whose name differs from it only in case", failure.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("admin", failure.Message, StringComparison.Ordinal);
        Assert.Contains(context.Principal!.Claims, c => c.Type == "SCP");   // nothing rewritten
    }

    [Fact]
    public void Normalize_RefusedToken_IsLoggedUnderItsCategoryWithTheClaimOrThePayload()
    {
        using var logs = new CapturedLogs();
        using var loggers = LoggerFactory.Create(b => b.SetMinimumLevel(LogLevel.Debug).AddProvider(logs));
        var options = new ScopeNormalizerOptions { MaxPayloadLength = 64 };
        var normalizer = new JwtBearerScopeNormalizer(new ScopeNormalizer(options), Options.Create(options), loggers, new ScopeClaimsAspNetCoreMetrics(null));

        Assert.False(normalizer.Normalize(Context("\"scope\":\"read:a\"")));              // the payload is over 64 characters
        Assert.False(Normalizer(loggers).Normalize(Context("\"scp\":[\"read:a\",\"b c\"]")));

        Assert.Collection(
            logs.Entries,
            e => Assert.Equal(("ScopeClaims.AspNetCore.ScopeNormalization", "ScopesRefused", true), (e.Category, e.Event.Name, e.Text.Contains("scope claim '(payload)'", StringComparison.Ordinal))),
            e => Assert.Equal(("ScopeClaims.AspNetCore.ScopeNormalization", "ScopesRefused", true), (e.Category, e.Event.Name, e.Text.Contains("scope claim 'scp'", StringComparison.Ordinal))));
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task Normalize_DecryptedJwe_IsReadFromTheInnerToken(bool jwtSecurityToken)
    {
        // The outer token of a JWE has no payload of its own: the scopes are in the decrypted inner token.
        using var rsa = System.Security.Cryptography.RSA.Create(2048);
        var now = DateTimeOffset.UtcNow.ToUnixTimeSeconds();
        var payload = $$"""{"iss":"{{TestTokens.Issuer}}","aud":"{{TestTokens.Audience}}","iat":{{now}},"nbf":{{now}},"exp":{{now + 300}},"scope":["read:a","write:b"]}""";
        var encryption = new EncryptingCredentials(new RsaSecurityKey(rsa.ExportParameters(false)) { KeyId = "enc-1" }, SecurityAlgorithms.RsaOAEP, SecurityAlgorithms.Aes128CbcHmacSha256);
        var jwe = new JsonWebTokenHandler().CreateToken(payload, TestTokens.Key.Credentials, encryption);
        var parameters = TestTokens.ValidationParameters();
        parameters.TokenDecryptionKey = new RsaSecurityKey(rsa) { KeyId = "enc-1" };
        parameters.ValidAlgorithms = new[] { SecurityAlgorithms.EcdsaSha256, SecurityAlgorithms.RsaOAEP, SecurityAlgorithms.Aes128CbcHmacSha256 };
        var context = Context("\"scope\":\"ignored\"");
        if (jwtSecurityToken)
        {
            new JwtSecurityTokenHandler().ValidateToken(jwe, parameters, out var validated);
            context.SecurityToken = Assert.IsType<JwtSecurityToken>(validated);
        }
        else
        {
            var result = await new JsonWebTokenHandler().ValidateTokenAsync(jwe, parameters);
            Assert.True(result.IsValid, result.Exception?.Message);
            context.SecurityToken = result.SecurityToken;
        }

        Assert.True(Normalizer().Normalize(context));

        Assert.Equal(new[] { "read:a", "write:b" }, context.Principal!.Claims.Where(c => c.Type == "scope").Select(c => c.Value));
    }

    private static JwtBearerScopeNormalizer Normalizer(ScopeNormalizerOptions? options = null)
    {
        options ??= new ScopeNormalizerOptions();
        return new JwtBearerScopeNormalizer(new ScopeNormalizer(options), Options.Create(options), NullLoggerFactory.Instance, new ScopeClaimsAspNetCoreMetrics(null));
    }

    private static JwtBearerScopeNormalizer Normalizer(ILoggerFactory loggers)
    {
        var options = new ScopeNormalizerOptions();
        return new JwtBearerScopeNormalizer(new ScopeNormalizer(options), Options.Create(options), loggers, new ScopeClaimsAspNetCoreMetrics(null));
    }

    private static ScopeNormalizingJwtBearerEvents Events(JwtBearerEvents application) => new(Normalizer(), application, innerType: null);

    private static TokenValidatedContext Context(string scopeMembers, params Claim[] claims) => Context(scopeMembers, withIssuer: true, claims);

    private static TokenValidatedContext Context(string scopeMembers, bool withIssuer, params Claim[] claims)
    {
        var token = TestTokens.Create(scopeMembers);
        if (!withIssuer)
        {
            var handler = new JsonWebTokenHandler { SetDefaultTimesOnTokenCreation = false };
            token = handler.CreateToken("{" + scopeMembers + "}", TestTokens.Key.Credentials);
        }

        var http = new DefaultHttpContext { RequestServices = new ServiceCollection().BuildServiceProvider() };
        var scheme = new AuthenticationScheme(JwtBearerDefaults.AuthenticationScheme, null, typeof(JwtBearerHandler));
        return new TokenValidatedContext(http, scheme, new JwtBearerOptions())
        {
            Principal = new ClaimsPrincipal(new ClaimsIdentity(claims, "Bearer")),
            SecurityToken = new JsonWebToken(token),
        };
    }
}
