using System;
using System.Collections.Generic;
using System.Linq;
using ScopeClaims.Testing.Internal;

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
    private readonly string _token;

    internal ScopeTokenAssertions(string token, TokenInspection inspection)
    {
        _token = token;
        Inspection = inspection;
    }

    /// <summary>Gets what the token says, read without validation, for checks of your own.</summary>
    public TokenInspection Inspection { get; }

    /// <summary>Checks that the <c>scope</c> claim is a JSON array holding exactly these scopes, in any order (<c>"scope": ["a", "b"]</c>).</summary>
    /// <param name="expected">The scopes; none for an empty array.</param>
    /// <returns>This instance, for chaining.</returns>
    /// <exception cref="ScopeTokenAssertionException">The claim is absent, not an array, or holds other scopes.</exception>
    /// <exception cref="ScopeFormatException">An expected value is not one valid scope.</exception>
    public ScopeTokenAssertions HasScopeArray(params string[] expected) =>
        HasScopeArray(ScopeClaimTypes.Scope, Expected(expected));

    /// <summary>Checks that a claim is a JSON array holding exactly these scopes, in any order.</summary>
    /// <param name="claimName">The claim, e.g. <c>scp</c> or <c>scopes_array</c>.</param>
    /// <param name="expected">The scopes.</param>
    /// <returns>This instance, for chaining.</returns>
    /// <exception cref="ScopeTokenAssertionException">The claim is absent, not an array, or holds other scopes.</exception>
    public ScopeTokenAssertions HasScopeArray(string claimName, ScopeSet expected) =>
        CheckScopes(nameof(HasScopeArray), claimName, expected, ScopeClaimShape.Array, exact: true);

    /// <summary>Checks that the <c>scope</c> claim is a JSON array holding at least these scopes.</summary>
    /// <param name="expected">The scopes that must be present.</param>
    /// <returns>This instance, for chaining.</returns>
    /// <exception cref="ScopeTokenAssertionException">The claim is absent, not an array, or lacks a scope.</exception>
    /// <exception cref="ScopeFormatException">An expected value is not one valid scope.</exception>
    public ScopeTokenAssertions HasScopeArrayContaining(params string[] expected) =>
        HasScopeArrayContaining(ScopeClaimTypes.Scope, Expected(expected));

    /// <summary>Checks that a claim is a JSON array holding at least these scopes.</summary>
    /// <param name="claimName">The claim.</param>
    /// <param name="expected">The scopes that must be present.</param>
    /// <returns>This instance, for chaining.</returns>
    /// <exception cref="ScopeTokenAssertionException">The claim is absent, not an array, or lacks a scope.</exception>
    public ScopeTokenAssertions HasScopeArrayContaining(string claimName, ScopeSet expected) =>
        CheckScopes(nameof(HasScopeArrayContaining), claimName, expected, ScopeClaimShape.Array, exact: false);

    /// <summary>
    /// Checks that the <c>scope</c> claim is an RFC 8693 §4.2 space-delimited string holding exactly these scopes, in any
    /// order (<c>"scope": "a b"</c>), joined by single spaces.
    /// </summary>
    /// <param name="expected">The scopes.</param>
    /// <returns>This instance, for chaining.</returns>
    /// <exception cref="ScopeTokenAssertionException">The claim is absent, not a string, not joined by single spaces, or holds other scopes.</exception>
    /// <exception cref="ScopeFormatException">An expected value is not one valid scope.</exception>
    public ScopeTokenAssertions HasSpaceDelimitedScope(params string[] expected) =>
        HasSpaceDelimitedScope(ScopeClaimTypes.Scope, Expected(expected));

    /// <summary>Checks that a claim is a space-delimited string holding exactly these scopes, in any order.</summary>
    /// <param name="claimName">The claim.</param>
    /// <param name="expected">The scopes.</param>
    /// <returns>This instance, for chaining.</returns>
    /// <exception cref="ScopeTokenAssertionException">The claim is absent, not a string, not joined by single spaces, or holds other scopes.</exception>
    public ScopeTokenAssertions HasSpaceDelimitedScope(string claimName, ScopeSet expected) =>
        CheckScopes(nameof(HasSpaceDelimitedScope), claimName, expected, ScopeClaimShape.SpaceDelimitedString, exact: true);

    /// <summary>Checks that the <c>scope</c> claim is a space-delimited string holding at least these scopes.</summary>
    /// <param name="expected">The scopes that must be present.</param>
    /// <returns>This instance, for chaining.</returns>
    /// <exception cref="ScopeTokenAssertionException">The claim is absent, not a string, or lacks a scope.</exception>
    /// <exception cref="ScopeFormatException">An expected value is not one valid scope.</exception>
    public ScopeTokenAssertions HasSpaceDelimitedScopeContaining(params string[] expected) =>
        HasSpaceDelimitedScopeContaining(ScopeClaimTypes.Scope, Expected(expected));

    /// <summary>Checks that a claim is a space-delimited string holding at least these scopes.</summary>
    /// <param name="claimName">The claim.</param>
    /// <param name="expected">The scopes that must be present.</param>
    /// <returns>This instance, for chaining.</returns>
    /// <exception cref="ScopeTokenAssertionException">The claim is absent, not a string, or lacks a scope.</exception>
    public ScopeTokenAssertions HasSpaceDelimitedScopeContaining(string claimName, ScopeSet expected) =>
        CheckScopes(nameof(HasSpaceDelimitedScopeContaining), claimName, expected, ScopeClaimShape.SpaceDelimitedString, exact: false);

    /// <summary>Checks that the payload has no claim of this name, whatever its value would be.</summary>
    /// <param name="claimName">The claim, e.g. <c>scp</c> when only <c>scope</c> should be written.</param>
    /// <returns>This instance, for chaining.</returns>
    /// <exception cref="ScopeTokenAssertionException">The claim is present.</exception>
    public ScopeTokenAssertions DoesNotHaveClaim(string claimName)
    {
        ArgumentNullException.ThrowIfNull(claimName);
        var claim = Inspection.GetScopeClaim(claimName);
        if (claim.Shape != ScopeClaimShape.Absent)
        {
            throw Failure.Create(nameof(DoesNotHaveClaim), $"claim '{claimName}' is present.", "absent", claim.Description);
        }

        return this;
    }

    /// <summary>Checks the <c>kid</c> and/or <c>alg</c> header of a signed token. The signature itself is not verified here.</summary>
    /// <param name="kid">The expected key id, or <see langword="null"/> not to check it.</param>
    /// <param name="alg">The expected JWS algorithm (e.g. <c>RS256</c>), or <see langword="null"/> not to check it.</param>
    /// <returns>This instance, for chaining.</returns>
    /// <exception cref="ArgumentException">Both are <see langword="null"/>.</exception>
    /// <exception cref="ScopeTokenAssertionException">The token is unsigned (no signature, no <c>alg</c>, or <c>alg: none</c>), or a header differs.</exception>
    public ScopeTokenAssertions IsSignedWith(string? kid = null, string? alg = null)
    {
        if (kid is null && alg is null)
        {
            throw new ArgumentException("Pass the expected kid, alg, or both.", nameof(kid));
        }

        var expected = string.Join(", ", new[] { kid is null ? null : "kid " + Failure.Quoted(kid), alg is null ? null : "alg " + Failure.Quoted(alg) }.Where(s => s is not null));
        var actual = $"kid {Failure.Quoted(Inspection.KeyId)}, alg {Failure.Quoted(Inspection.Algorithm)}";
        if (!Inspection.IsSigned)
        {
            throw Failure.Create(nameof(IsSignedWith), "the token is not signed.", expected, actual + ", unsigned");
        }

        if ((kid is not null && !string.Equals(kid, Inspection.KeyId, StringComparison.Ordinal))
            || (alg is not null && !string.Equals(alg, Inspection.Algorithm, StringComparison.Ordinal)))
        {
            throw Failure.Create(nameof(IsSignedWith), "the token's header names another key or algorithm.", expected, actual);
        }

        return this;
    }

    /// <summary>Checks that the token's lifetime, <c>exp</c> minus <c>iat</c>, is positive and at most <paramref name="maximum"/>.</summary>
    /// <param name="maximum">The longest lifetime allowed.</param>
    /// <returns>This instance, for chaining.</returns>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="maximum"/> is not positive.</exception>
    /// <exception cref="ScopeTokenAssertionException"><c>iat</c> or <c>exp</c> is missing or not a JSON number, or the lifetime is not positive or too long (compared exactly).</exception>
    public ScopeTokenAssertions HasLifetimeAtMost(TimeSpan maximum)
    {
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(maximum, TimeSpan.Zero);
        var expected = $"exp - iat at most {Failure.Duration(maximum)}";
        var (iat, exp) = (Inspection.IssuedAtClaim, Inspection.ExpiresAtClaim);
        if ((iat.Problem ?? exp.Problem) is { } invalid)
        {
            throw Failure.Create(nameof(HasLifetimeAtMost), invalid + ".", expected, $"iat {iat}, exp {exp}");
        }

        if (iat.Seconds is not { } issuedAt || exp.Seconds is not { } expiresAt)
        {
            throw Failure.Create(nameof(HasLifetimeAtMost), "the token lacks a numeric 'iat' or 'exp' claim.", expected, $"iat {iat}, exp {exp}");
        }

        // Note: compared exactly, in decimal seconds: no rounding of the claims to milliseconds.
        var lifetime = expiresAt - issuedAt;
        if (lifetime <= 0 || lifetime > Seconds(maximum))
        {
            var problem = lifetime <= 0 ? "'exp' is not after 'iat'." : "the token lives longer than allowed.";
            throw Failure.Create(nameof(HasLifetimeAtMost), problem, expected, $"{NumericDate.Format(lifetime)} s (iat {iat}, exp {exp})");
        }

        return this;
    }

    /// <summary>Checks that the token has not expired and expires at most <paramref name="maximum"/> after now, by <paramref name="timeProvider"/>.</summary>
    /// <param name="maximum">The longest remaining lifetime allowed.</param>
    /// <param name="timeProvider">The clock that says what now is, e.g. a <see cref="ManualTimeProvider"/> or <see cref="TimeProvider.System"/>.</param>
    /// <returns>This instance, for chaining.</returns>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="maximum"/> is not positive.</exception>
    /// <exception cref="ScopeTokenAssertionException"><c>exp</c> is missing or not a JSON number, already past, or too far ahead (compared exactly).</exception>
    public ScopeTokenAssertions ExpiresWithin(TimeSpan maximum, TimeProvider timeProvider)
    {
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(maximum, TimeSpan.Zero);
        ArgumentNullException.ThrowIfNull(timeProvider);
        var now = timeProvider.GetUtcNow();
        var expected = $"exp within {Failure.Duration(maximum)} after now ({Failure.Time(now)})";
        var exp = Inspection.ExpiresAtClaim;
        if (exp.Problem is { } invalid)
        {
            throw Failure.Create(nameof(ExpiresWithin), invalid + ".", expected, $"exp {exp}");
        }

        if (exp.Seconds is not { } expiresAt)
        {
            throw Failure.Create(nameof(ExpiresWithin), "the token lacks a numeric 'exp' claim.", expected, "exp (none)");
        }

        // Note: compared exactly with the clock's ticks: no rounding of the claim to milliseconds.
        var remaining = expiresAt - NumericDate.SecondsOf(now);
        if (remaining <= 0)
        {
            throw Failure.Create(nameof(ExpiresWithin), "the token has expired.", expected, $"exp {exp}, {NumericDate.Format(-remaining)} s before now");
        }

        if (remaining > Seconds(maximum))
        {
            throw Failure.Create(nameof(ExpiresWithin), "the token expires later than allowed.", expected, $"exp {exp}, {NumericDate.Format(remaining)} s after now");
        }

        return this;
    }

    private static ScopeSet Expected(string[] expected)
    {
        ArgumentNullException.ThrowIfNull(expected);
        return ScopeSet.Create(expected);
    }

    private static decimal Seconds(TimeSpan value) => (decimal)value.Ticks / TimeSpan.TicksPerSecond;

    private ScopeTokenAssertions CheckScopes(string check, string claimName, ScopeSet expected, ScopeClaimShape shape, bool exact)
    {
        ArgumentNullException.ThrowIfNull(claimName);
        ArgumentNullException.ThrowIfNull(expected);
        var array = shape == ScopeClaimShape.Array;
        var expectedText = (array ? "array " : "space-delimited string ") + (exact ? string.Empty : "containing ")
            + (array ? JsonText.Array(expected) : JsonText.String(expected.ToString()));
        var claim = Inspection.GetScopeClaim(claimName);
        if (claim.Shape != shape)
        {
            var problem = claim.Shape == ScopeClaimShape.Absent
                ? $"claim '{claimName}' is absent."
                : $"claim '{claimName}' is not {(array ? "a JSON array of scopes" : "a space-delimited string of scopes")}.";
            throw Failure.Create(check, problem, expectedText, claim.Description);
        }

        if (!ScopeClaimReader.TryRead(claim, out var actual, out var invalid))
        {
            throw Failure.Create(check, $"claim '{claimName}' {invalid}", expectedText, claim.Description);
        }

        var missing = expected.Where(s => !actual.Contains(s)).ToArray();
        var unexpected = exact ? actual.Where(s => !expected.Contains(s)).ToArray() : Array.Empty<string>();
        if (missing.Length > 0 || unexpected.Length > 0)
        {
            var details = new List<(string, string)>();
            if (missing.Length > 0)
            {
                details.Add(("Missing", JsonText.Array(missing)));
            }

            if (unexpected.Length > 0)
            {
                details.Add(("Unexpected", JsonText.Array(unexpected)));
            }

            var problem = exact ? $"claim '{claimName}' holds other scopes (order is ignored)." : $"claim '{claimName}' lacks scopes.";
            throw Failure.Create(check, problem, expectedText, claim.Description, details.ToArray());
        }

        return this;
    }
}
