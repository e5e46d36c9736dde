using System;
using System.Collections.Generic;
using System.Linq;
using System.Security.Claims;
using System.Text;
using System.Text.Json;
using ScopeClaims.Internal;
using JsonClaimValueTypes = Microsoft.IdentityModel.JsonWebTokens.JsonClaimValueTypes;

namespace ScopeClaims;

// Claims input: a principal, an identity or claims, as .NET made them from a token (one claim per array element, or a
// claim typed as a JSON array).
public sealed partial class ScopeNormalizer
{
    /// <summary>Reads the scopes of the <em>authenticated</em> identities of a principal.</summary>
    /// <param name="principal">The principal.</param>
    /// <returns>The scopes; <see cref="ScopeSet.Empty"/> when no scope claim is present.</returns>
    /// <remarks>Claims of identities whose <see cref="ClaimsIdentity.IsAuthenticated"/> is <see langword="false"/> never count.</remarks>
    /// <exception cref="ScopeFormatException">A scope claim has a hostile shape or value, or is imitated by a claim named like it in another case.</exception>
    public ScopeSet Read(ClaimsPrincipal principal)
    {
        ArgumentNullException.ThrowIfNull(principal);
        return Read(principal.Identities.Where(static i => i.IsAuthenticated).SelectMany(static i => i.Claims));
    }

    /// <summary>Reads the scopes of one identity, authenticated or not.</summary>
    /// <param name="identity">The identity.</param>
    /// <returns>The scopes; <see cref="ScopeSet.Empty"/> when no scope claim is present.</returns>
    /// <exception cref="ScopeFormatException">A scope claim has a hostile shape or value, or is imitated by a claim named like it in another case.</exception>
    public ScopeSet Read(ClaimsIdentity identity)
    {
        ArgumentNullException.ThrowIfNull(identity);
        return Read(identity.Claims);
    }

    /// <summary>Reads the scopes from claims.</summary>
    /// <param name="claims">The claims.</param>
    /// <returns>The scopes; <see cref="ScopeSet.Empty"/> when no scope claim is present.</returns>
    /// <remarks>
    /// For each claim type, one string claim is read as a space-delimited string; several claims of the type are
    /// read as the elements of an array (each must be exactly one scope); a claim typed
    /// <see cref="JsonClaimValueTypes.JsonArray"/> is read as a JSON array. Any other value type is refused.
    /// </remarks>
    /// <exception cref="ScopeFormatException">A scope claim has a hostile shape or value, or is imitated by a claim named like it in another case.</exception>
    public ScopeSet Read(IEnumerable<Claim> claims)
    {
        ArgumentNullException.ThrowIfNull(claims);
        var byType = new List<Claim>?[_claimTypes.Length];
        foreach (var claim in claims)
        {
            var index = Array.IndexOf(_claimTypes, claim.Type);
            if (index >= 0)
            {
                (byType[index] ??= new List<Claim>()).Add(claim);
            }
            else if (IndexOfCaseVariant(claim.Type) is var variant and >= 0)
            {
                throw CaseVariant(_claimTypes[variant]);
            }
        }

        var found = new ScopeSet?[_claimTypes.Length];
        for (var i = 0; i < byType.Length; i++)
        {
            if (byType[i] is { } list)
            {
                found[i] = ReadClaims(_claimTypes[i], list);
            }
        }

        return Combine(found);
    }

    private ScopeSet ReadClaims(string claimType, List<Claim> claims)
    {
        if (claims.Count == 1 && IsString(claims[0]))
        {
            return ParseString(claims[0].Value, claimType);
        }

        var elements = new ScopeAccumulator(_options.Limits, claimType);
        foreach (var claim in claims)
        {
            if (claim.ValueType == JsonClaimValueTypes.JsonArray)
            {
                var set = ReadPayloadJsonArray(claim.Value, claimType);
                foreach (var scope in set)
                {
                    elements.AddScope(scope);
                }
            }
            else if (IsString(claim))
            {
                elements.AddElement(claim.Value);
            }
            else
            {
                throw ScopeParser.Error(ScopeErrorReason.InvalidShape, claimType, $"has a claim of value type '{claim.ValueType}'; scopes must be strings.");
            }
        }

        return elements.ToSet();
    }

    private ScopeSet ReadPayloadJsonArray(string json, string claimType)
    {
        if (json.Length > (long)_options.Limits.MaxTotalLength * 6)
        {
            throw ScopeParser.Error(ScopeErrorReason.TooLong, claimType, $"is longer than the limit of {_options.Limits.MaxTotalLength} characters.");
        }

        var reader = new Utf8JsonReader(Encoding.UTF8.GetBytes(json), new JsonReaderOptions { MaxDepth = _options.MaxJsonDepth });
        try
        {
            reader.Read();
            if (reader.TokenType != JsonTokenType.StartArray)
            {
                throw ScopeParser.Error(ScopeErrorReason.InvalidShape, claimType, "is typed as a JSON array but does not hold one.");
            }

            var set = ReadJsonValue(ref reader, claimType);
            if (reader.Read())
            {
                throw Malformed("has content after the JSON array", null);
            }

            return set;
        }
        catch (JsonException ex)
        {
            throw new ScopeFormatException(ScopeErrorReason.MalformedJson, claimType, $"The scope claim '{claimType}' is typed as a JSON array but is not well-formed JSON.", ex);
        }
    }

    private static bool IsString(Claim claim) => string.IsNullOrEmpty(claim.ValueType) || claim.ValueType == ClaimValueTypes.String;
}
