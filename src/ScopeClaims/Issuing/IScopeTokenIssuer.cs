namespace ScopeClaims;

/// <summary>Issues signed tokens for one profile.</summary>
public interface IScopeTokenIssuer
{
    /// <summary>Gets the profile's <c>iss</c> value.</summary>
    string Issuer { get; }

    /// <summary>Gets the profile's signing keys, for publishing as JWKS and for rotation.</summary>
    SigningKeySet Keys { get; }

    /// <summary>Issues a signed compact JWS.</summary>
    /// <param name="request">What the token should say.</param>
    /// <returns>The compact token.</returns>
    /// <exception cref="System.ArgumentException">The request asks for a lifetime outside the profile's bounds, or an extra claim names a registered or scope claim.</exception>
    string Issue(ScopeTokenRequest request);
}
