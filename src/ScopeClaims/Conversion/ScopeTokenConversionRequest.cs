using System.Collections.Generic;

namespace ScopeClaims;

/// <summary>
/// Narrows one conversion: the scopes the new token carries and its audience. Used by a token-exchange endpoint, where
/// a client asks for fewer scopes (RFC 8693 §2.1, <c>scope</c>) and names its target (<c>audience</c>, <c>resource</c>).
/// </summary>
/// <remarks>Narrowing never widens: the new token carries at most the scopes the validated source token grants.</remarks>
public sealed class ScopeTokenConversionRequest
{
    /// <summary>
    /// Gets the exact scopes the new token carries, or <see langword="null"/> for every scope the source grants. Each
    /// must be granted by the source (after <see cref="ScopeTokenConverterOptions.AllowedScopes"/> and
    /// <see cref="AllowedScopes"/>), or the token is refused with <see cref="TokenConversionFailure.ScopeNotGranted"/>.
    /// </summary>
    public ScopeSet? Scopes { get; init; }

    /// <summary>
    /// Gets scopes the new token may carry at most (intersected with the source's), or <see langword="null"/> for no
    /// such limit. When the intersection is empty the conversion is refused with
    /// <see cref="TokenConversionFailure.ScopeNotGranted"/> rather than issuing a token without scopes.
    /// </summary>
    public ScopeSet? AllowedScopes { get; init; }

    /// <summary>
    /// Gets audiences that replace the target profile's in the new token, or <see langword="null"/> for the profile's.
    /// Each must be one of the target profile's audiences (compared exactly), and at least one is given; otherwise the
    /// conversion is refused with <see cref="TokenConversionFailure.AudienceNotAllowed"/>. With a custom
    /// <see cref="IScopeTokenIssuer"/> (not <see cref="ScopeTokenIssuer"/>) the profile's audiences are unknown and any
    /// value here is refused.
    /// </summary>
    public IReadOnlyList<string>? Audiences { get; init; }
}
