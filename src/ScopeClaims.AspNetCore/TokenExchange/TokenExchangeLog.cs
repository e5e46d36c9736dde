using Microsoft.Extensions.Logging;

namespace ScopeClaims.AspNetCore.Internal;

/// <summary>The token-exchange endpoint's log lines: never a token, a secret, an assertion or a value the client sent.</summary>
internal static partial class TokenExchangeLog
{
    [LoggerMessage(100, LogLevel.Information, "Token exchange refused with {Error} ({Status}) for client '{ClientId}': {Description}", EventName = "TokenExchangeRefused")]
    public static partial void Refused(ILogger logger, string error, int status, string clientId, string description);

    [LoggerMessage(101, LogLevel.Information, "Token exchanged for client '{ClientId}' ({Method}) through converter '{Converter}': {ScopeCount} scope(s), expires in {ExpiresIn} s.", EventName = "TokenExchanged")]
    public static partial void Exchanged(ILogger logger, string clientId, string method, string converter, int scopeCount, long expiresIn);

    [LoggerMessage(102, LogLevel.Information, "Token exchange request abandoned by the client or refused by the server while its body was read ({Problem}).", EventName = "TokenExchangeAborted")]
    public static partial void Aborted(ILogger logger, string problem);

    [LoggerMessage(103, LogLevel.Error, "The client-assertion replay store failed ({ExceptionType}) while client '{ClientId}' authenticated; the request was refused with 503 and nothing was issued.", EventName = "TokenExchangeReplayStoreFailed")]
    public static partial void ReplayStoreFailed(ILogger logger, string clientId, string exceptionType);
}
