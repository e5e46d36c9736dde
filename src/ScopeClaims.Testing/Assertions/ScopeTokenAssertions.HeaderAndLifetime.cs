using System;
using System.Linq;
using ScopeClaims.Testing.Internal;

namespace ScopeClaims.Testing;

/// <content>Header and lifetime: <c>kid</c> and <c>alg</c>, <c>exp - iat</c>, and <c>exp</c> against a clock, all read without validation.</content>
public sealed partial class ScopeTokenAssertions
{
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

    private static decimal Seconds(TimeSpan value) => (decimal)value.Ticks / TimeSpan.TicksPerSecond;
}
