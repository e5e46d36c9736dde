using System;
using System.Net.Http;
using System.Threading;
using System.Threading.Tasks;

namespace ScopeClaims.Http;

/// <summary>
/// One server's OAuth 2.0 token exchange (RFC 8693), client side: every request of the <c>HttpClient</c> exchanges a
/// subject token (the caller's token, say) for a token for the API, cached per subject token. Named options: the name
/// is the <c>HttpClient</c>'s.
/// </summary>
/// <remarks>
/// <para>
/// The grant runs on the same machinery as the JWT-bearer grant (see <see cref="TokenGrantOptions"/>). The cache key
/// holds the SHA-256 of the subject token, never the token. When the subject token is a JWT, the exchanged token is not
/// used (nor cached) past the subject token's own <c>exp</c>, read without validation for that purpose only.
/// </para>
/// <para>
/// The answer must be a Bearer access token (<c>token_type</c> <c>Bearer</c>); an RFC 8693 answer with
/// <c>token_type</c> <c>N_A</c> cannot be sent as <c>Authorization: Bearer</c> and is an
/// <see cref="InvalidTokenResponseException"/>. Actor tokens (delegation) are not sent.
/// </para>
/// </remarks>
public sealed class TokenExchangeGrantOptions : TokenGrantOptions
{
    /// <summary>The RFC 8693 §3 token type of an OAuth 2.0 access token.</summary>
    public const string AccessTokenType = "urn:ietf:params:oauth:token-type:access_token";

    /// <summary>The RFC 8693 §3 token type of a JWT.</summary>
    public const string JwtTokenType = "urn:ietf:params:oauth:token-type:jwt";

    /// <summary>
    /// Gets or sets what gives the subject token of a request: called for every request with the root service
    /// provider (resolve singletons such as <c>IHttpContextAccessor</c> from it), the outgoing request and its
    /// cancellation token. Required. <see langword="null"/> or an empty string fails the request with a
    /// <see cref="SubjectTokenUnavailableException"/>, before anything is sent.
    /// </summary>
    /// <value>The default is <see langword="null"/>.</value>
    public Func<IServiceProvider, HttpRequestMessage, CancellationToken, ValueTask<string?>>? SubjectTokenProvider { get; set; }

    /// <summary>Gets or sets the <c>subject_token_type</c> (RFC 8693 §3): an absolute URI.</summary>
    /// <value>The default is <see cref="AccessTokenType"/>.</value>
    public string SubjectTokenType { get; set; } = AccessTokenType;

    /// <summary>Gets or sets the <c>requested_token_type</c> (RFC 8693 §2.1): an absolute URI, or <see langword="null"/> to let the server choose.</summary>
    /// <value>The default is <see langword="null"/>: not sent.</value>
    public string? RequestedTokenType { get; set; }
}
