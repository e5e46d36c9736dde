using System;
using System.Collections.Generic;
using System.Linq;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;
using ScopeClaims.Internal;
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
    /// <exception cref="ScopeTokenAssertionException"><c>exp</c> is missing or not a number, already past, or too far ahead.</exception>
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
        CheckExpectations(issuer, audience);
        var (keys, description) = JwksReader.Read(jwksJson, nameof(IsValidAgainstJwks));
        return Validate(nameof(IsValidAgainstJwks), keys, null, "the JWKS (" + description + ")", issuer, audience, timeProvider);
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
        CheckExpectations(issuer, audience);
        var signingKeys = keys.Keys;
        var description = JwksReader.Describe(signingKeys.Select(static k => (string?)k.KeyId).ToArray());

        // Note: a key of the set verifies the algorithm it signs with only, as its published JWK ("alg") says.
        var algorithms = signingKeys.ToDictionary(static k => (object)k.Key, static k => k.Algorithm, ReferenceEqualityComparer.Instance);
        return Validate(
            nameof(IsValidAgainst),
            signingKeys.Select(static k => k.Key).ToArray(),
            (key, tokenAlg) => algorithms.TryGetValue(key, out var signs) && !string.Equals(signs, tokenAlg, StringComparison.Ordinal) ? $"the key signs {signs}, not {tokenAlg} (RFC 8725 §3.1)" : null,
            "the key set (" + description + ")",
            issuer,
            audience,
            timeProvider);
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

    private static void CheckExpectations(string? issuer, string? audience)
    {
        if (issuer is { Length: 0 })
        {
            throw new ArgumentException("The issuer to require is empty; pass null not to check it.", nameof(issuer));
        }

        if (audience is { Length: 0 })
        {
            throw new ArgumentException("The audience to require is empty; pass null not to check it.", nameof(audience));
        }
    }

    private ScopeTokenAssertions Validate(string check, IReadOnlyList<SecurityKey> keys, Func<SecurityKey, string?, string?>? ownBinding, string keysDescription, string? issuer, string? audience, TimeProvider? timeProvider)
    {
        var now = (timeProvider ?? TimeProvider.System).GetUtcNow();
        var expected = $"a token that validates against {keysDescription}, issuer {(issuer is null ? "not checked" : Failure.Quoted(issuer))}, audience {(audience is null ? "not checked" : Failure.Quoted(audience))}, at {Failure.Time(now)}";
        ScopeTokenAssertionException Invalid(string reason) => Failure.Create(check, "the token does not validate.", expected, "invalid: " + reason);

        // 1. What needs no key: the compact form, header and claim types, crit (Microsoft.IdentityModel reads a string
        //    "exp" as a number, ignores crit, and skips non-string "aud" elements).
        if (TokenRules.CheckForm(_token, Inspection) is { } form)
        {
            throw Invalid(form);
        }

        // 2. The signature, by Microsoft.IdentityModel: a token with a kid is tried with the keys of that kid only (as
        //    jose and other strict validators select keys), then the key that verified must fit the alg (RFC 8725 §3).
        var kid = Inspection.KeyId;
        var candidates = kid is null ? keys : keys.Where(k => string.Equals(k.KeyId, kid, StringComparison.Ordinal)).ToArray();
        if (candidates.Count == 0)
        {
            if (Inspection.IsSigned && TokenSigningAlgorithms.IsSupported(Inspection.Algorithm))
            {
                throw Invalid($"no key in the set matches the token's kid {Failure.Quoted(kid)} and alg {Failure.Quoted(Inspection.Algorithm)} (kids are compared exactly)");
            }

            candidates = keys;
        }

        string? bindingProblem = null;
        SecurityKey? refusedKey = null;
        var parameters = new TokenValidationParameters
        {
            IssuerSigningKeys = candidates,
            TryAllIssuerSigningKeys = true,
            ValidAlgorithms = TokenSigningAlgorithms.All,
            RequireSignedTokens = true,
            ValidateIssuerSigningKey = true,
            IssuerSigningKeyValidator = (key, token, _) =>
            {
                var alg = (token as JsonWebToken)?.Alg;
                bindingProblem = KeyAlgorithmBinding.Check(key, alg) ?? ownBinding?.Invoke(key, alg);
                refusedKey = bindingProblem is null ? null : key;
                return bindingProblem is null;
            },

            // Note: the claims are checked below, exactly; Microsoft.IdentityModel would round the times, ignore a
            // trailing slash in "aud" and read "exp" given as a string.
            ValidateLifetime = false,
            RequireExpirationTime = false,
            ValidateIssuer = false,
            ValidateAudience = false,
        };

        // Note: with keys given up front (no ConfigurationManager) validation completes synchronously.
        var result = s_handler.ValidateTokenAsync(_token, parameters).GetAwaiter().GetResult();
        if (!result.IsValid)
        {
            throw Invalid(bindingProblem is not null
                ? $"the key kid {Failure.Quoted(refusedKey?.KeyId)} may not verify this token: {bindingProblem}"
                : ValidationReason.Explain(result.Exception, Inspection));
        }

        // 3. The claims, exactly.
        if (TokenRules.CheckClaims(Inspection, issuer, audience, now) is { } claims)
        {
            throw Invalid(claims);
        }

        return this;
    }
}
