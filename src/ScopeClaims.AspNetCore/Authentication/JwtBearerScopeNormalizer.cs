using System;
using System.Collections.Generic;
using System.IdentityModel.Tokens.Jwt;
using System.Linq;
using System.Security.Claims;
using Microsoft.AspNetCore.Authentication.JwtBearer;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Microsoft.IdentityModel.JsonWebTokens;
using ScopeClaims.Internal;

namespace ScopeClaims.AspNetCore.Internal;

/// <summary>
/// Rewrites the scopes of a validated bearer token as one <c>scope</c> claim per scope on the token's identity, or
/// fails authentication when the token's scope claims are hostile.
/// </summary>
/// <remarks>
/// ASP.NET Core compares claim types ignoring case (<c>RequireClaim</c>, <c>HasClaim</c>, <c>FindAll</c>), so after
/// normalization no claim may remain whose type equals a scope claim type under <see cref="StringComparison.OrdinalIgnoreCase"/>
/// other than the <c>scope</c> claims written here: the scope claim types (<c>scope</c>, <c>scp</c>, the mapped URI and
/// those configured) are removed, and a claim named like one of them in another case fails authentication.
/// </remarks>
internal sealed class JwtBearerScopeNormalizer
{
    private readonly ScopeNormalizer _normalizer;
    private readonly string[] _scopeClaimTypes;
    private readonly ILogger _logger;
    private readonly ScopeClaimsAspNetCoreMetrics _metrics;

    public JwtBearerScopeNormalizer(ScopeNormalizer normalizer, IOptions<ScopeNormalizerOptions> options, ILoggerFactory loggerFactory, ScopeClaimsAspNetCoreMetrics metrics)
    {
        _normalizer = normalizer;
        _metrics = metrics;

        // Note: scp and the mapped URI are removed even when not configured to be read, so no scope claim of another
        // shape stays beside the normalized ones.
        _scopeClaimTypes = options.Value.ClaimTypes
            .Concat(ScopeClaimTypes.All)
            .Distinct(StringComparer.Ordinal)
            .ToArray();
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
        List<Claim> sources;
        try
        {
            scopes = Read(context.SecurityToken, identity);
            sources = ScopeClaimsOf(identity);
        }
        catch (ScopeFormatException ex)
        {
            // Note: ScopeFormatException never carries the offending value, and the token is never logged.
            Log.ScopesRefused(_logger, context.Scheme.Name, ex.Reason, ex.ClaimName ?? "(payload)");
            var refusals = _metrics.NormalizationRefusals;
            if (refusals.Enabled)
            {
                refusals.Add(1, new(AspNetCoreTelemetryNames.Scheme, context.Scheme.Name), new(TelemetryNames.FailureReason, TelemetryNames.Of(ex.Reason)));
            }

            context.Fail(ex);
            return false;
        }

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

    /// <summary>The identity's scope claims, to be replaced; refuses a claim named like a scope claim type in another case.</summary>
    /// <remarks>
    /// The normalizer refuses such names in the payload already; this also covers the claim types the inbound claim mapping
    /// produced and those of scope claim types the normalizer is not configured to read.
    /// </remarks>
    private List<Claim> ScopeClaimsOf(ClaimsIdentity identity)
    {
        var sources = new List<Claim>();
        foreach (var claim in identity.Claims)
        {
            foreach (var type in _scopeClaimTypes)
            {
                if (string.Equals(claim.Type, type, StringComparison.OrdinalIgnoreCase))
                {
                    if (Array.IndexOf(_scopeClaimTypes, claim.Type) < 0)
                    {
                        // Note: the claim type is never repeated; the exception names the scope claim it imitates.
                        throw new ScopeFormatException(ScopeErrorReason.ConflictingClaims, type, $"The scope claim '{type}' is imitated by a claim whose name differs from it only in case; ASP.NET Core compares claim types ignoring case, so that claim would be read as this scope claim.");
                    }

                    sources.Add(claim);
                    break;
                }
            }
        }

        return sources;
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
