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
}
