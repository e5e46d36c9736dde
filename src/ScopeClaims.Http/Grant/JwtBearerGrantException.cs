using System;

namespace ScopeClaims.Http;

/// <summary>
/// The partner token could not be obtained. Catch this type for every failure, or one of its subclasses:
/// <see cref="TokenEndpointErrorException"/> (the partner refused the grant), <see cref="InvalidTokenResponseException"/>
/// (its answer is not a token response) and <see cref="TokenEndpointUnavailableException"/> (no answer in time).
/// </summary>
/// <remarks>Messages never contain the assertion, the partner token or the client secret. Nothing that failed is cached.</remarks>
public class JwtBearerGrantException : Exception
{
    /// <summary>Initializes a new instance of the <see cref="JwtBearerGrantException"/> class.</summary>
    public JwtBearerGrantException()
        : base("The partner token could not be obtained.")
    {
    }

    /// <summary>Initializes a new instance of the <see cref="JwtBearerGrantException"/> class.</summary>
    /// <param name="message">The message.</param>
    public JwtBearerGrantException(string message)
        : base(message)
    {
    }

    /// <summary>Initializes a new instance of the <see cref="JwtBearerGrantException"/> class.</summary>
    /// <param name="message">The message.</param>
    /// <param name="innerException">The exception that caused this one.</param>
    public JwtBearerGrantException(string message, Exception? innerException)
        : base(message, innerException)
    {
    }

    /// <summary>Initializes a new instance of the <see cref="JwtBearerGrantException"/> class.</summary>
    /// <param name="message">The message.</param>
    /// <param name="tokenEndpoint">The token endpoint that was called.</param>
    /// <param name="innerException">The exception that caused this one.</param>
    public JwtBearerGrantException(string message, Uri? tokenEndpoint, Exception? innerException = null)
        : base(message, innerException)
    {
        TokenEndpoint = tokenEndpoint;
    }

    /// <summary>Gets the token endpoint that was called, or <see langword="null"/> when unknown.</summary>
    public Uri? TokenEndpoint { get; }
}
