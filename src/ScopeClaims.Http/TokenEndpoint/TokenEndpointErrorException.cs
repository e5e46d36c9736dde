using System;
using System.Net;

namespace ScopeClaims.Http;

/// <summary>
/// The partner's token endpoint refused the grant with an RFC 6749 §5.2 error response, such as <c>invalid_grant</c>
/// (the assertion was refused), <c>invalid_client</c> or <c>invalid_scope</c>.
/// </summary>
public sealed class TokenEndpointErrorException : JwtBearerGrantException
{
    /// <summary>Initializes a new instance of the <see cref="TokenEndpointErrorException"/> class.</summary>
    public TokenEndpointErrorException()
        : this("The token endpoint refused the grant.")
    {
    }

    /// <summary>Initializes a new instance of the <see cref="TokenEndpointErrorException"/> class.</summary>
    /// <param name="message">The message.</param>
    public TokenEndpointErrorException(string message)
        : this(message, innerException: null)
    {
    }

    /// <summary>Initializes a new instance of the <see cref="TokenEndpointErrorException"/> class.</summary>
    /// <param name="message">The message.</param>
    /// <param name="innerException">The exception that caused this one.</param>
    public TokenEndpointErrorException(string message, Exception? innerException)
        : base(message, innerException)
    {
        Error = "unknown_error";
    }

    /// <summary>Initializes a new instance of the <see cref="TokenEndpointErrorException"/> class.</summary>
    /// <param name="tokenEndpoint">The token endpoint.</param>
    /// <param name="statusCode">The HTTP status of the response.</param>
    /// <param name="error">The <c>error</c> code.</param>
    /// <param name="errorDescription">The <c>error_description</c>, or <see langword="null"/>.</param>
    /// <param name="errorUri">The <c>error_uri</c>, or <see langword="null"/>.</param>
    public TokenEndpointErrorException(Uri? tokenEndpoint, HttpStatusCode statusCode, string error, string? errorDescription, string? errorUri)
        : base(Describe(tokenEndpoint, statusCode, error, errorDescription), tokenEndpoint)
    {
        ArgumentNullException.ThrowIfNull(error);
        StatusCode = statusCode;
        Error = error;
        ErrorDescription = errorDescription;
        ErrorUri = errorUri;
    }

    /// <summary>Gets the HTTP status of the error response (400 or 401 per RFC 6749 §5.2; partners also send others).</summary>
    public HttpStatusCode StatusCode { get; }

    /// <summary>Gets the <c>error</c> code, e.g. <c>invalid_grant</c>.</summary>
    /// <remarks>From the token endpoint: within the RFC 6749 §5.2 grammar, with any value the request sent replaced by <c>[redacted]</c>.</remarks>
    public string Error { get; }

    /// <summary>Gets the <c>error_description</c>, or <see langword="null"/> when the partner sent none.</summary>
    /// <remarks>
    /// From the token endpoint: any value the request sent (the client secret, the assertion, a form value, or part of
    /// the secret or the assertion) replaced by <c>[redacted]</c>, characters outside the RFC 6749 §5.2 set replaced,
    /// and cut to 200 characters.
    /// </remarks>
    public string? ErrorDescription { get; }

    /// <summary>Gets the <c>error_uri</c>, or <see langword="null"/> when the partner sent none.</summary>
    /// <remarks>From the token endpoint: kept only when it is an absolute http(s) URI in the RFC 6749 §5.2 character set that carries nothing the request sent; otherwise <see langword="null"/>.</remarks>
    public string? ErrorUri { get; }

    private static string Describe(Uri? tokenEndpoint, HttpStatusCode statusCode, string error, string? description)
    {
        var what = description is null ? Printable(error) : $"{Printable(error)} ({Printable(description)})";
        return $"The token endpoint {tokenEndpoint} refused the token request with HTTP {(int)statusCode}: {what}. " +
            "For invalid_grant, check the grant's input (for the JWT-bearer grant: that the partner has your public key (JWKS) and expects this iss, sub, aud and scope; " +
            "for the token exchange: the subject token); for invalid_client, check the client id and the client authentication.";
    }

    // Note: partner-controlled text goes into the message cut short and without control characters.
    private static string Printable(string value)
    {
        var text = value.Length > 300 ? value[..300] + "..." : value;
        return string.Create(text.Length, text, static (span, source) =>
        {
            for (var i = 0; i < source.Length; i++)
            {
                span[i] = char.IsControl(source[i]) ? ' ' : source[i];
            }
        });
    }
}
