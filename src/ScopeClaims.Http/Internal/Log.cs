using System;
using System.Net;
using System.Net.Http;
using Microsoft.Extensions.Logging;

namespace ScopeClaims.Http.Internal;

/// <summary>The grant's log events. None carries a token, an assertion or a secret.</summary>
internal static partial class Log
{
    public const string Category = "ScopeClaims.Http.JwtBearerGrant";

    [LoggerMessage(1, LogLevel.Debug, "Requesting a partner token for HttpClient '{ClientName}' from {TokenEndpoint}.")]
    public static partial void RequestingToken(ILogger logger, string clientName, Uri? tokenEndpoint);

    [LoggerMessage(2, LogLevel.Debug, "Received a partner token for HttpClient '{ClientName}', valid for {Lifetime}; cached for {CacheDuration}.")]
    public static partial void TokenReceived(ILogger logger, string clientName, TimeSpan lifetime, TimeSpan cacheDuration);

    [LoggerMessage(3, LogLevel.Warning, "The partner token for HttpClient '{ClientName}' is valid for {Lifetime}, not longer than RefreshBeforeExpiry ({Margin}): it is used once and not cached.")]
    public static partial void TokenNotCached(ILogger logger, string clientName, TimeSpan lifetime, TimeSpan margin);

    [LoggerMessage(4, LogLevel.Information, "The token endpoint {TokenEndpoint} sent no expires_in; the token is taken as valid for {Lifetime} (JwtBearerGrantOptions.DefaultTokenLifetime).")]
    public static partial void ExpiresInMissing(ILogger logger, Uri? tokenEndpoint, TimeSpan? lifetime);

    [LoggerMessage(5, LogLevel.Warning, "The token endpoint {TokenEndpoint} refused the grant for HttpClient '{ClientName}' with HTTP {StatusCode}: {Error}.")]
    public static partial void TokenEndpointError(ILogger logger, Uri? tokenEndpoint, string clientName, HttpStatusCode statusCode, string error);

    [LoggerMessage(6, LogLevel.Warning, "The token endpoint {TokenEndpoint} answered HTTP {StatusCode} for HttpClient '{ClientName}' with an unusable response.")]
    public static partial void InvalidTokenResponse(ILogger logger, Uri? tokenEndpoint, HttpStatusCode statusCode, string clientName);

    [LoggerMessage(7, LogLevel.Warning, "The token endpoint {TokenEndpoint} did not answer for HttpClient '{ClientName}' (timeout: {IsTimeout}).")]
    public static partial void TokenEndpointUnavailable(ILogger logger, Uri? tokenEndpoint, string clientName, bool isTimeout, Exception exception);

    [LoggerMessage(8, LogLevel.Information, "{Method} {RequestPath} answered 401 to HttpClient '{ClientName}'; retrying once with a fresh partner token.")]
    public static partial void RetryingAfterUnauthorized(ILogger logger, HttpMethod method, string? requestPath, string clientName);

    [LoggerMessage(9, LogLevel.Warning, "{Method} {RequestPath} answered 401 to HttpClient '{ClientName}' again with a fresh partner token; not retrying.")]
    public static partial void UnauthorizedAfterRetry(ILogger logger, HttpMethod method, string? requestPath, string clientName);

    [LoggerMessage(10, LogLevel.Warning, "The cached partner token entry for HttpClient '{ClientName}' is unreadable or due for refresh; it is removed and a fresh token fetched.")]
    public static partial void UnusableCacheEntry(ILogger logger, string clientName);

    [LoggerMessage(11, LogLevel.Warning, "{Method} {RequestPath} was redirected for HttpClient '{ClientName}' and the redirect target answered 401; the partner token is not sent there, so the request is not retried.")]
    public static partial void UnauthorizedAfterRedirect(ILogger logger, HttpMethod method, string? requestPath, string clientName);

    [LoggerMessage(12, LogLevel.Warning, "The distributed cache failed to remove the refused partner token of HttpClient '{ClientName}' ({ExceptionType}); the call goes on without it.")]
    public static partial void CacheRemoveFailed(ILogger logger, string clientName, string? exceptionType);

    [LoggerMessage(13, LogLevel.Information, "{Method} {RequestPath} answered 401 to HttpClient '{ClientName}' again with a partner token read from the shared cache; retrying once more with a token fetched by this host.")]
    public static partial void RetryingWithOwnToken(ILogger logger, HttpMethod method, string? requestPath, string clientName);
}
