using System;
using System.Net;

namespace ScopeClaims.Http;

/// <summary>
/// The partner's token endpoint answered, but not with a usable RFC 6749 §5.1 token response nor a §5.2 error: a
/// redirect (never followed; <see cref="StatusCode"/> is the 3xx), an answer from another URL than the token endpoint,
/// a Content-Type other than JSON, a body that is not one JSON object, a member named twice, both <c>error</c> and
/// <c>access_token</c>, an <c>error</c> outside the RFC 6749 grammar, no <c>access_token</c>, a <c>token_type</c>
/// other than <c>Bearer</c>, a bad <c>expires_in</c>, a string that is not valid Unicode (such as an escaped lone
/// surrogate), or an error status without an error object. The message says which; it never quotes the body.
/// </summary>
public sealed class InvalidTokenResponseException : JwtBearerGrantException
{
    /// <summary>Initializes a new instance of the <see cref="InvalidTokenResponseException"/> class.</summary>
    public InvalidTokenResponseException()
        : base("The token endpoint's response is not a token response.")
    {
    }

    /// <summary>Initializes a new instance of the <see cref="InvalidTokenResponseException"/> class.</summary>
    /// <param name="message">The message.</param>
    public InvalidTokenResponseException(string message)
        : base(message)
    {
    }

    /// <summary>Initializes a new instance of the <see cref="InvalidTokenResponseException"/> class.</summary>
    /// <param name="message">The message.</param>
    /// <param name="innerException">The exception that caused this one.</param>
    public InvalidTokenResponseException(string message, Exception? innerException)
        : base(message, innerException)
    {
    }

    /// <summary>Initializes a new instance of the <see cref="InvalidTokenResponseException"/> class.</summary>
    /// <param name="tokenEndpoint">The token endpoint.</param>
    /// <param name="statusCode">The HTTP status of the response.</param>
    /// <param name="problem">What is wrong with the response.</param>
    /// <param name="innerException">The exception that caused this one.</param>
    public InvalidTokenResponseException(Uri? tokenEndpoint, HttpStatusCode statusCode, string problem, Exception? innerException = null)
        : base($"The token endpoint {tokenEndpoint} answered HTTP {(int)statusCode} with an unusable token response: {problem}. Check TokenEndpoint: it must be the partner's OAuth 2.0 token endpoint.", tokenEndpoint, innerException)
    {
        StatusCode = statusCode;
    }

    /// <summary>Gets the HTTP status of the response.</summary>
    public HttpStatusCode StatusCode { get; }
}
