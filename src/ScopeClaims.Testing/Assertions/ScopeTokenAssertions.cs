using System;
using System.Collections.Generic;
using System.Linq;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;
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
public sealed class ScopeTokenAssertions
{
    private static readonly JsonWebTokenHandler s_handler = new() { MapInboundClaims = false };

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
    /// <exception cref="ScopeTokenAssertionException"><c>iat</c> or <c>exp</c> is missing or not a number, or the lifetime is not positive or too long.</exception>
    public ScopeTokenAssertions HasLifetimeAtMost(TimeSpan maximum)
    {
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(maximum, TimeSpan.Zero);
        var expected = $"exp - iat at most {Failure.Duration(maximum)}";
        if (Inspection.IssuedAt is not { } issuedAt || Inspection.ExpiresAt is not { } expiresAt)
        {
            throw Failure.Create(nameof(HasLifetimeAtMost), "the token lacks a numeric 'iat' or 'exp' claim.", expected, $"iat {Date(Inspection.IssuedAt)}, exp {Date(Inspection.ExpiresAt)}");
        }

        var lifetime = expiresAt - issuedAt;
        if (lifetime <= TimeSpan.Zero || lifetime > maximum)
        {
            var problem = lifetime <= TimeSpan.Zero ? "'exp' is not after 'iat'." : "the token lives longer than allowed.";
            throw Failure.Create(nameof(HasLifetimeAtMost), problem, expected, $"{Failure.Duration(lifetime)} (iat {Failure.Time(issuedAt)}, exp {Failure.Time(expiresAt)})");
        }

        return this;
    }

    /// <summary>Checks that the token has not expired and expires at most <paramref name="maximum"/> after now, by <paramref name="timeProvider"/>.</summary>
    /// <param name="maximum">The longest remaining lifetime allowed.</param>
    /// <param name="timeProvider">The clock that says what now is, e.g. a <see cref="ManualTimeProvider"/> or <see cref="TimeProvider.System"/>.</param>
    /// <returns>This instance, for chaining.</returns>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="maximum"/> is not positive.</exception>
    /// <exception cref="ScopeTokenAssertionException"><c>exp</c> is missing or not a number, already past, or too far ahead.</exception>
    public ScopeTokenAssertions ExpiresWithin(TimeSpan maximum, TimeProvider timeProvider)
    {
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(maximum, TimeSpan.Zero);
        ArgumentNullException.ThrowIfNull(timeProvider);
        var now = timeProvider.GetUtcNow();
        var expected = $"exp within {Failure.Duration(maximum)} after now ({Failure.Time(now)})";
        if (Inspection.ExpiresAt is not { } expiresAt)
        {
            throw Failure.Create(nameof(ExpiresWithin), "the token lacks a numeric 'exp' claim.", expected, "exp (none)");
        }

        var remaining = expiresAt - now;
        if (remaining <= TimeSpan.Zero)
        {
            throw Failure.Create(nameof(ExpiresWithin), "the token has expired.", expected, $"exp {Failure.Time(expiresAt)}, {Failure.Duration(-remaining)} before now");
        }

        if (remaining > maximum)
        {
            throw Failure.Create(nameof(ExpiresWithin), "the token expires later than allowed.", expected, $"exp {Failure.Time(expiresAt)}, {Failure.Duration(remaining)} after now");
        }

        return this;
    }

    /// <summary>
    /// Validates the token with Microsoft.IdentityModel against the keys of a public JWK set, as a partner would: the
    /// signature (RS, PS, ES or HS with 256, 384 or 512; never <c>none</c>), <c>exp</c> and <c>nbf</c> with no clock
    /// skew, and the issuer and audience when given.
    /// </summary>
    /// <param name="jwksJson">The JWKS JSON (RFC 7517 §5), e.g. <c>SigningKeySet.ExportPublicJwks()</c> or your JWKS endpoint's response.</param>
    /// <param name="issuer">The required <c>iss</c>, or <see langword="null"/> not to check it.</param>
    /// <param name="audience">An <c>aud</c> value the token must name, or <see langword="null"/> not to check it.</param>
    /// <param name="timeProvider">The clock for the lifetime checks, or <see langword="null"/> for the system clock.</param>
    /// <returns>This instance, for chaining.</returns>
    /// <exception cref="ScopeTokenAssertionException">
    /// The JWKS cannot be read, holds no signing key or publishes a private key member, or the token does not validate;
    /// the message gives the reason without the token.
    /// </exception>
    public ScopeTokenAssertions IsValidAgainstJwks(string jwksJson, string? issuer = null, string? audience = null, TimeProvider? timeProvider = null)
    {
        ArgumentNullException.ThrowIfNull(jwksJson);
        var (keys, description) = JwksReader.Read(jwksJson, nameof(IsValidAgainstJwks));
        return Validate(nameof(IsValidAgainstJwks), keys, "the JWKS (" + description + ")", issuer, audience, timeProvider);
    }

    /// <summary>
    /// Validates the token with Microsoft.IdentityModel against the verification keys of a <see cref="SigningKeySet"/>
    /// (HMAC keys included), with the same checks as <see cref="IsValidAgainstJwks"/>.
    /// </summary>
    /// <param name="keys">The keys, e.g. <see cref="IScopeTokenIssuer.Keys"/>.</param>
    /// <param name="issuer">The required <c>iss</c>, or <see langword="null"/> not to check it.</param>
    /// <param name="audience">An <c>aud</c> value the token must name, or <see langword="null"/> not to check it.</param>
    /// <param name="timeProvider">The clock for the lifetime checks, or <see langword="null"/> for the system clock.</param>
    /// <returns>This instance, for chaining.</returns>
    /// <exception cref="ScopeTokenAssertionException">The token does not validate; the message gives the reason without the token.</exception>
    public ScopeTokenAssertions IsValidAgainst(SigningKeySet keys, string? issuer = null, string? audience = null, TimeProvider? timeProvider = null)
    {
        ArgumentNullException.ThrowIfNull(keys);
        var description = JwksReader.Describe(keys.Keys.Select(static k => (string?)k.KeyId).ToArray());
        return Validate(nameof(IsValidAgainst), keys.GetVerificationKeys(), "the key set (" + description + ")", issuer, audience, timeProvider);
    }

    private static ScopeSet Expected(string[] expected)
    {
        ArgumentNullException.ThrowIfNull(expected);
        return ScopeSet.Create(expected);
    }

    private static string Date(DateTimeOffset? value) => value is { } time ? Failure.Time(time) : "(none)";

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

    private ScopeTokenAssertions Validate(string check, IEnumerable<SecurityKey> keys, string keysDescription, string? issuer, string? audience, TimeProvider? timeProvider)
    {
        // Note: TokenValidationParameters reads the system clock, so the lifetime is checked against the given one here.
        var clock = timeProvider ?? TimeProvider.System;
        var parameters = new TokenValidationParameters
        {
            IssuerSigningKeys = keys,
            ValidAlgorithms = TokenSigningAlgorithms.All,
            RequireSignedTokens = true,
            RequireExpirationTime = true,
            ValidateLifetime = true,
            ClockSkew = TimeSpan.Zero,
            ValidateIssuer = issuer is not null,
            ValidIssuer = issuer,
            ValidateAudience = audience is not null,
            ValidAudience = audience,
            LifetimeValidator = (notBefore, expires, _, _) => ValidationReason.CheckLifetime(notBefore, expires, clock.GetUtcNow()),
        };

        // Note: with keys given up front (no ConfigurationManager) validation completes synchronously.
        var result = s_handler.ValidateTokenAsync(_token, parameters).GetAwaiter().GetResult();
        if (!result.IsValid)
        {
            var now = clock.GetUtcNow();
            var expected = $"a token that validates against {keysDescription}, issuer {(issuer is null ? "not checked" : Failure.Quoted(issuer))}, audience {(audience is null ? "not checked" : Failure.Quoted(audience))}, at {Failure.Time(now)}";
            throw Failure.Create(check, "the token does not validate.", expected, "invalid: " + ValidationReason.Explain(result.Exception, Inspection, issuer, audience, now));
        }

        return this;
    }
}
