using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using ScopeClaims.Internal;

namespace ScopeClaims;

// What a request may ask: scopes within the profile's limits, extra claims that neither name a registered or profile-owned
// claim nor carry scopes.
public sealed partial class ScopeTokenIssuer
{
    private void CheckLimits(ScopeSet scopes)
    {
        var limits = _limits;
        if (scopes.Count > limits.MaxScopes)
        {
            throw new ScopeFormatException(ScopeErrorReason.TooManyScopes, null, string.Create(CultureInfo.InvariantCulture, $"The request holds {scopes.Count} scopes; ScopeTokenOptions.Limits.MaxScopes is {limits.MaxScopes}."));
        }

        var total = 0L;
        foreach (var scope in scopes)
        {
            if (scope.Length > limits.MaxScopeLength)
            {
                throw new ScopeFormatException(ScopeErrorReason.ScopeTooLong, null, string.Create(CultureInfo.InvariantCulture, $"The request holds a scope of {scope.Length} characters; ScopeTokenOptions.Limits.MaxScopeLength is {limits.MaxScopeLength}."));
            }

            total += scope.Length;
        }

        if (total > limits.MaxTotalLength)
        {
            throw new ScopeFormatException(ScopeErrorReason.TooLong, null, string.Create(CultureInfo.InvariantCulture, $"The request's scopes hold {total} characters; ScopeTokenOptions.Limits.MaxTotalLength is {limits.MaxTotalLength}."));
        }
    }

    private void CheckExtraClaims(IReadOnlyDictionary<string, object> extra)
    {
        foreach (var (name, value) in extra)
        {
            if (string.IsNullOrEmpty(name))
            {
                throw new ArgumentException("An extra claim has an empty name.", nameof(extra));
            }

            if (ClaimNameRules.Reserved.Contains(name))
            {
                throw new ArgumentException($"The extra claim '{name}' is a registered claim or a profile-owned one ({ClaimNameRules.ReservedList}, in any letter case) that the issuer sets itself; it cannot be overridden.", nameof(extra));
            }

            if (ClaimNameRules.ScopeTypes.Contains(name) || _serializerClaims.Contains(name, ClaimNameRules.NameComparer))
            {
                throw new ArgumentException($"The extra claim '{name}' would carry scopes; pass scopes in ScopeTokenRequest.Scopes so they are checked and shaped.", nameof(extra));
            }

            if (value is null)
            {
                throw new ArgumentException($"The extra claim '{name}' is null.", nameof(extra));
            }
        }
    }
}
