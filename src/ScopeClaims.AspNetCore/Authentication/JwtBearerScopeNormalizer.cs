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
            if (IsNormalized(identity, scopes))
            {
                // Note: the identity already holds exactly the claims the rewrite would write (one scope claim per scope,
                // in order, of one issuer), so they are kept as they are and nothing is allocated.
                return true;
            }

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

        for (var i = 0; i < scopes.Count; i++)
        {
            identity.AddClaim(new Claim(ScopeClaimTypes.Scope, scopes[i], ClaimValueTypes.String, issuer));
        }

        return true;
    }

    /// <summary>
    /// Gets a value indicating whether the identity's scope claims are already those the rewrite would write: <c>scope</c>
    /// claims only, one per scope of <paramref name="scopes"/> and in its order, typed as strings, all of the first one's
    /// issuer (original issuer included), on this identity. Refuses a claim named like a scope claim type in another case.
    /// </summary>
    /// <remarks>
    /// A single string claim holding one scope (<c>"scope": "read:a"</c>) or one claim per element of an array of distinct
    /// scopes is in that form; a value with duplicates, extra spaces or several scopes, an <c>scp</c> or mapped claim,
    /// mixed issuers or another value type is not, and is rewritten. Every claim is looked at, as the rewrite does, so a
    /// case variant is refused on both paths.
    /// </remarks>
    private bool IsNormalized(ClaimsIdentity identity, ScopeSet scopes)
    {
        var state = new NormalFormCheck(scopes);

        // Note: ClaimsIdentity.Claims is a List<Claim> behind IEnumerable<Claim>; iterating the list itself avoids boxing its enumerator.
        if (identity.Claims is List<Claim> claims)
        {
            foreach (var claim in claims)
            {
                Visit(identity, claim, ref state);
            }
        }
        else
        {
            foreach (var claim in identity.Claims)
            {
                Visit(identity, claim, ref state);
            }
        }

        return state.Normal && state.Count == scopes.Count;
    }

    private void Visit(ClaimsIdentity identity, Claim claim, ref NormalFormCheck state)
    {
        if (ScopeClaimTypeOf(claim) is null)
        {
            return;
        }

        if (!state.Normal)
        {
            return;
        }

        var index = state.Count++;
        state.Issuer ??= claim.Issuer;
        state.Normal = index < state.Scopes.Count
            && string.Equals(claim.Type, ScopeClaimTypes.Scope, StringComparison.Ordinal)
            && string.Equals(claim.Value, state.Scopes[index], StringComparison.Ordinal)
            && string.Equals(claim.ValueType, ClaimValueTypes.String, StringComparison.Ordinal)
            && string.Equals(claim.Issuer, state.Issuer, StringComparison.Ordinal)
            && string.Equals(claim.OriginalIssuer, claim.Issuer, StringComparison.Ordinal)
            && ReferenceEquals(claim.Subject, identity);
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
            if (ScopeClaimTypeOf(claim) is not null)
            {
                sources.Add(claim);
            }
        }

        return sources;
    }

    /// <summary>The scope claim type <paramref name="claim"/> is, or <see langword="null"/>; refuses a claim named like one in another case.</summary>
    private string? ScopeClaimTypeOf(Claim claim)
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

                return type;
            }
        }

        return null;
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

    /// <summary>What <see cref="IsNormalized"/> has seen so far of the identity's scope claims.</summary>
    private struct NormalFormCheck(ScopeSet scopes)
    {
        public readonly ScopeSet Scopes = scopes;
        public bool Normal = true;
        public int Count;
        public string? Issuer;
    }
}
