using Microsoft.AspNetCore.Http;

namespace ScopeClaims.AspNetCore.Internal;

/// <summary>
/// A refusal of the token-exchange endpoint: its HTTP status, its RFC 6749 §5.2 / RFC 8693 §2.2.2 error code and a
/// description that names what was wrong, never a token, a secret or a value the client sent.
/// </summary>
internal sealed record TokenExchangeError(int Status, string Code, string Description)
{
    public const string InvalidRequestCode = "invalid_request";
    public const string InvalidClientCode = "invalid_client";
    public const string InvalidGrantCode = "invalid_grant";
    public const string InvalidScopeCode = "invalid_scope";
    public const string InvalidTargetCode = "invalid_target";
    public const string UnsupportedGrantTypeCode = "unsupported_grant_type";
    public const string TemporarilyUnavailableCode = "temporarily_unavailable";

    public static TokenExchangeError InvalidRequest(string description) => new(StatusCodes.Status400BadRequest, InvalidRequestCode, description);

    public static TokenExchangeError InvalidClient(string description) => new(StatusCodes.Status401Unauthorized, InvalidClientCode, description);

    public static TokenExchangeError InvalidGrant(string description) => new(StatusCodes.Status400BadRequest, InvalidGrantCode, description);

    public static TokenExchangeError InvalidScope(string description) => new(StatusCodes.Status400BadRequest, InvalidScopeCode, description);

    public static TokenExchangeError InvalidTarget(string description) => new(StatusCodes.Status400BadRequest, InvalidTargetCode, description);

    /// <summary>A dependency the endpoint needs to decide safely (the replay store) failed: 503, nothing issued.</summary>
    public static TokenExchangeError TemporarilyUnavailable(string description) => new(StatusCodes.Status503ServiceUnavailable, TemporarilyUnavailableCode, description);

    public static TokenExchangeError UnsupportedGrantType(string description) => new(StatusCodes.Status400BadRequest, UnsupportedGrantTypeCode, description);
}
