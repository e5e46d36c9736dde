using System;
using System.Collections.Generic;
using System.Linq;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;
using ScopeClaims.Internal;
using ScopeClaims.Testing.Internal;

namespace ScopeClaims.Testing;

/// <content>Validation: <see cref="IsValidAgainstJwks"/> and <see cref="IsValidAgainst"/>.</content>
public sealed partial class ScopeTokenAssertions
{
    private static readonly JsonWebTokenHandler s_handler = new() { MapInboundClaims = false };

    /// <summary>
    /// Validates the token against the keys of a public JWK set as a strict validator would, so that a partner on any
    /// stack accepts what passes here: the set read strictly; the signature verified by Microsoft.IdentityModel (RS, PS,
    /// ES or HS with 256, 384 or 512; never <c>none</c>) with the keys of the token's <c>kid</c> only, each bound to its
    /// algorithm (RFC 8725 §3); header and claim types; <c>exp</c>, <c>nbf</c> and <c>iat</c> compared exactly with no
    /// clock skew; the issuer and audience, when given, compared exactly.
    /// </summary>
    /// <remarks>
    /// The package README lists every rule, and where it is stricter than Microsoft.IdentityModel's defaults (a trailing
    /// slash in <c>aud</c>, <c>exp</c> as a string, fractional times, a JWK whose <c>x5c</c> holds another key, an
    /// ES256 token verified by a P-384 key, ...).
    /// </remarks>
    /// <param name="jwksJson">The JWKS JSON (RFC 7517 §5), e.g. <c>SigningKeySet.ExportPublicJwks()</c> or your JWKS endpoint's response.</param>
    /// <param name="issuer">The required <c>iss</c>, or <see langword="null"/> not to check it.</param>
    /// <param name="audience">An <c>aud</c> value the token must name, or <see langword="null"/> not to check it.</param>
    /// <param name="timeProvider">The clock for the lifetime checks, or <see langword="null"/> for the system clock.</param>
    /// <returns>This instance, for chaining.</returns>
    /// <exception cref="ArgumentException"><paramref name="issuer"/> or <paramref name="audience"/> is empty.</exception>
    /// <exception cref="ScopeTokenAssertionException">
    /// The JWKS cannot be read, holds no usable signing key or publishes a private key member, or the token does not
    /// validate; the message gives the reason without the token or key material.
    /// </exception>
    public ScopeTokenAssertions IsValidAgainstJwks(string jwksJson, string? issuer = null, string? audience = null, TimeProvider? timeProvider = null)
    {
        ArgumentNullException.ThrowIfNull(jwksJson);
        CheckExpectations(issuer, audience);
        var (keys, description) = JwksReader.Read(jwksJson, nameof(IsValidAgainstJwks));
        return Validate(nameof(IsValidAgainstJwks), keys, null, "the JWKS (" + description + ")", issuer, audience, timeProvider);
    }

    /// <summary>
    /// Validates the token against the verification keys of a <see cref="SigningKeySet"/> (HMAC keys included), with the
    /// same checks as <see cref="IsValidAgainstJwks"/>; each key verifies only the algorithm it signs with.
    /// </summary>
    /// <param name="keys">The keys, e.g. <see cref="IScopeTokenIssuer.Keys"/>.</param>
    /// <param name="issuer">The required <c>iss</c>, or <see langword="null"/> not to check it.</param>
    /// <param name="audience">An <c>aud</c> value the token must name, or <see langword="null"/> not to check it.</param>
    /// <param name="timeProvider">The clock for the lifetime checks, or <see langword="null"/> for the system clock.</param>
    /// <returns>This instance, for chaining.</returns>
    /// <exception cref="ArgumentException"><paramref name="issuer"/> or <paramref name="audience"/> is empty.</exception>
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
