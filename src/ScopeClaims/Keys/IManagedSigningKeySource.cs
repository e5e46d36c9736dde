namespace ScopeClaims;

/// <summary>
/// Supplies the keys of token profiles whose <see cref="SigningKeyOptions.Managed"/> is <see langword="true"/>. A
/// key-management package (ScopeClaims.KeyManagement) registers one; a host registers at most one.
/// </summary>
/// <remarks>
/// The set it returns is the profile's <see cref="IScopeTokenIssuer.Keys"/>: the issuer signs with
/// <see cref="SigningKeySet.GetSigningKey"/>, and the JWKS endpoints publish <see cref="SigningKeySet.Keys"/>, so the
/// source changes keys by calling <see cref="SigningKeySet.Replace"/> on it.
/// </remarks>
public interface IManagedSigningKeySource
{
    /// <summary>Gets the managed keys of a profile; called when the profile is validated, normally at start.</summary>
    /// <param name="profileName">The profile name (empty for the default profile).</param>
    /// <param name="options">The profile's options being validated, e.g. to check its <see cref="ScopeTokenOptions.MaxLifetime"/>.</param>
    /// <returns>The profile's key set.</returns>
    /// <exception cref="SigningKeyException">The keys cannot be provided for this profile (an unusable store, a refused entry, a retention shorter than the profile's token lifetime); the message says which and never quotes key material.</exception>
    SigningKeySet GetSigningKeys(string profileName, ScopeTokenOptions options);
}
