namespace ScopeClaims.Testing;

/// <summary>
/// Checks on one token, chained: each returns the same instance or throws a <see cref="ScopeTokenAssertionException"/>
/// whose message shows the expected and the actual shape and values. Start with <see cref="ScopeTokenAssert.That"/>.
/// </summary>
/// <remarks>
/// Every check but <see cref="IsValidAgainstJwks"/> and <see cref="IsValidAgainst"/> reads the token
/// <em>without validating it</em> (see <see cref="TokenInspector.InspectUnvalidated"/>). Scope comparisons ignore order,
/// as RFC 6749 §3.3 does, and are case-sensitive; a scope claim must hold each scope once, each one a valid RFC 6749
/// scope token. Failure messages never contain the token, its signature, or key material.
/// </remarks>
public sealed partial class ScopeTokenAssertions
{
    // Note: split by concern, as the tests are: ScopeTokenAssertions.Scopes.cs (scope claims, claim presence),
    // .HeaderAndLifetime.cs (kid, alg, iat, exp) and .Validation.cs (signature and claims against keys).
    private readonly string _token;

    internal ScopeTokenAssertions(string token, TokenInspection inspection)
    {
        _token = token;
        Inspection = inspection;
    }

    /// <summary>Gets what the token says, read without validation, for checks of your own.</summary>
    public TokenInspection Inspection { get; }
}
