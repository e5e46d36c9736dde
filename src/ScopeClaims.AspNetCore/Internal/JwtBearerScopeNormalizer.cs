using System;
using System.Collections.Generic;
using System.IdentityModel.Tokens.Jwt;
using System.Linq;
using System.Security.Claims;
using Microsoft.AspNetCore.Authentication.JwtBearer;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Microsoft.IdentityModel.JsonWebTokens;

namespace ScopeClaims.AspNetCore.Internal;

/// <summary>
/// Rewrites the scopes of a validated bearer token as one <c>scope</c> claim per scope on the token's identity, or
/// fails authentication when the token's scope claims are hostile.
/// </summary>
internal sealed class JwtBearerScopeNormalizer
{
    private readonly ScopeNormalizer _normalizer;
    private readonly HashSet<string> _sourceClaimTypes;
    private readonly ILogger _logger;

    public JwtBearerScopeNormalizer(ScopeNormalizer normalizer, IOptions<ScopeNormalizerOptions> options, ILoggerFactory loggerFactory)
    {
        _normalizer = normalizer;
        _sourceClaimTypes = new HashSet<string>(options.Value.ClaimTypes, StringComparer.Ordinal) { ScopeClaimTypes.Scope };
        _logger = loggerFactory.CreateLogger("ScopeClaims.AspNetCore.ScopeNormalization");
    }

    /// <summary>Normalizes the principal of <paramref name="context"/>.</summary>
    /// <returns><see langword="false"/> when the token was refused and the context failed.</returns>
    public bool Normalize(TokenValidatedContext context)
    {
        if (context.Principal?.Identity is not ClaimsIdentity identity)
        {
            return true;
        }

        ScopeSet scopes;
        try
        {
            scopes = Read(context.SecurityToken, identity);
        }
        catch (ScopeFormatException ex)
        {
            // Note: ScopeFormatException never carries the offending value, and the token is never logged.
            Log.ScopesRefused(_logger, context.Scheme.Name, ex.Reason, ex.ClaimName ?? "(payload)");
            context.Fail(ex);
            return false;
        }

        var sources = identity.Claims.Where(c => _sourceClaimTypes.Contains(c.Type)).ToList();
        var issuer = sources.Count > 0 ? sources[0].Issuer : NonEmpty(context.SecurityToken?.Issuer) ?? ClaimsIdentity.DefaultIssuer;
        foreach (var claim in sources)
        {
            identity.TryRemoveClaim(claim);
        }

        foreach (var scope in scopes)
        {
            identity.AddClaim(new Claim(ScopeClaimTypes.Scope, scope, ClaimValueTypes.String, issuer));
        }

        return true;
    }

    private ScopeSet Read(object? token, ClaimsIdentity identity) => token switch
    {
        // Note: the token's payload shows the exact shape (a one-element array stays an array), which claims cannot;
        // a decrypted JWE carries its payload in the inner token.
        JsonWebToken jwt => _normalizer.Read(jwt.InnerToken ?? jwt),
        JwtSecurityToken jwt => _normalizer.Read(jwt.InnerToken ?? jwt),
        _ => _normalizer.Read(identity),
    };

    private static string? NonEmpty(string? value) => string.IsNullOrEmpty(value) ? null : value;
}
