using System;
using System.Threading;
using System.Threading.Tasks;

namespace ScopeClaims;

/// <summary>Issues signed tokens for one profile.</summary>
public interface IScopeTokenIssuer
{
    /// <summary>Gets the profile's <c>iss</c> value.</summary>
    string Issuer { get; }

    /// <summary>Gets the profile's signing keys, for publishing as JWKS and for rotation.</summary>
    SigningKeySet Keys { get; }

    /// <summary>Gets the <c>typ</c> header every token of the profile carries, e.g. <c>JWT</c> or <c>at+jwt</c>.</summary>
    string TokenType { get; }

    /// <summary>Issues a signed compact JWS.</summary>
    /// <param name="request">What the token should say.</param>
    /// <returns>The compact token.</returns>
    /// <exception cref="ArgumentException">The request asks for a lifetime outside the profile's bounds, or an extra claim names a registered or scope claim.</exception>
    string Issue(ScopeTokenRequest request);

    /// <summary>Issues a signed compact JWS and says when it expires.</summary>
    /// <param name="request">What the token should say.</param>
    /// <param name="expiresAt">The token's <c>exp</c>.</param>
    /// <returns>The compact token.</returns>
    /// <exception cref="ArgumentException">The request asks for a lifetime outside the profile's bounds, or an extra claim names a registered or scope claim.</exception>
    string Issue(ScopeTokenRequest request, out DateTimeOffset expiresAt);

    /// <summary>
    /// Issues a signed compact JWS, asynchronously: the one path that signs with a key held by a remote
    /// <see cref="TokenSigner"/> (a key service), which <see cref="Issue(ScopeTokenRequest)"/> refuses rather than block on.
    /// </summary>
    /// <param name="request">What the token should say.</param>
    /// <param name="cancellationToken">Cancels the signature; nothing is issued once it is cancelled.</param>
    /// <returns>The token and its <c>exp</c>.</returns>
    /// <exception cref="ArgumentException">The request asks for a lifetime outside the profile's bounds, or an extra claim names a registered or scope claim.</exception>
    /// <remarks>The default implementation, for issuers written before this member, issues synchronously with <see cref="Issue(ScopeTokenRequest, out DateTimeOffset)"/>.</remarks>
    ValueTask<IssuedScopeToken> IssueAsync(ScopeTokenRequest request, CancellationToken cancellationToken = default)
    {
        cancellationToken.ThrowIfCancellationRequested();
        var token = Issue(request, out var expiresAt);
        return new ValueTask<IssuedScopeToken>(new IssuedScopeToken(token, expiresAt));
    }
}
