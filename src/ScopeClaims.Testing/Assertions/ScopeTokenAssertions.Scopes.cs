using System;
using System.Collections.Generic;
using System.Linq;
using ScopeClaims.Testing.Internal;

namespace ScopeClaims.Testing;

/// <content>Scope claims: their shape (JSON array or space-delimited string) and scopes, and whether a claim is present.</content>
public sealed partial class ScopeTokenAssertions
{
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
        CheckScopes(nameof(HasSpaceDelimitedScope), claimName, expected, ScopeClaimShape.SpaceDelimited, exact: true);

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
        CheckScopes(nameof(HasSpaceDelimitedScopeContaining), claimName, expected, ScopeClaimShape.SpaceDelimited, exact: false);

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

    private static ScopeSet Expected(string[] expected)
    {
        ArgumentNullException.ThrowIfNull(expected);
        return ScopeSet.Create(expected);
    }

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
