using System;

namespace ScopeClaims.Http;

/// <summary>
/// <see cref="TokenExchangeGrantOptions.SubjectTokenProvider"/> gave no subject token for a request (no signed-in
/// caller, say), so there is nothing to exchange: the request is not sent.
/// </summary>
public sealed class SubjectTokenUnavailableException : JwtBearerGrantException
{
    /// <summary>Initializes a new instance of the <see cref="SubjectTokenUnavailableException"/> class.</summary>
    public SubjectTokenUnavailableException()
        : base("The token exchange has no subject token for this request; the request was not sent.")
    {
    }

    /// <summary>Initializes a new instance of the <see cref="SubjectTokenUnavailableException"/> class.</summary>
    /// <param name="message">The message.</param>
    public SubjectTokenUnavailableException(string message)
        : base(message)
    {
    }

    /// <summary>Initializes a new instance of the <see cref="SubjectTokenUnavailableException"/> class.</summary>
    /// <param name="message">The message.</param>
    /// <param name="innerException">The exception that caused this one.</param>
    public SubjectTokenUnavailableException(string message, Exception? innerException)
        : base(message, innerException)
    {
    }
}
