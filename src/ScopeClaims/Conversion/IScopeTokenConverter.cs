using System;
using System.Threading;
using System.Threading.Tasks;

namespace ScopeClaims;

/// <summary>Validates a token fully, then re-issues it under our issuer, key and <c>typ</c> in the target scope shape.</summary>
public interface IScopeTokenConverter
{
    /// <summary>Validates <paramref name="token"/> and re-issues it.</summary>
    /// <param name="token">The compact source token.</param>
    /// <param name="cancellationToken">Cancels fetching the issuer's keys.</param>
    /// <returns>The new token and what it says.</returns>
    /// <exception cref="TokenConversionException">The token was refused; nothing was issued.</exception>
    Task<ScopeTokenConversion> ConvertAsync(string token, CancellationToken cancellationToken = default);

    /// <summary>Validates <paramref name="token"/> and re-issues it, narrowed by <paramref name="conversionRequest"/>.</summary>
    /// <param name="token">The compact source token.</param>
    /// <param name="conversionRequest">The scopes and audiences the new token carries.</param>
    /// <param name="cancellationToken">Cancels fetching the issuer's keys.</param>
    /// <returns>The new token and what it says.</returns>
    /// <exception cref="TokenConversionException">The token was refused, or a requested scope is not granted; nothing was issued.</exception>
    /// <exception cref="NotSupportedException">The converter cannot narrow a conversion (the default implementation, when <paramref name="conversionRequest"/> narrows anything).</exception>
    Task<ScopeTokenConversion> ConvertAsync(string token, ScopeTokenConversionRequest conversionRequest, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(conversionRequest);
        return conversionRequest.Scopes is null && conversionRequest.AllowedScopes is null && conversionRequest.Audiences is null
            ? ConvertAsync(token, cancellationToken)
            : throw new NotSupportedException($"{GetType().Name} cannot narrow a conversion's scopes or audiences; implement ConvertAsync(string, ScopeTokenConversionRequest, CancellationToken).");
    }
}
