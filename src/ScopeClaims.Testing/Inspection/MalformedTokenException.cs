using System;

namespace ScopeClaims.Testing;

/// <summary>
/// Thrown when a token cannot even be read: it is not three base64url parts separated by dots (a compact JWS,
/// RFC 7515 §7.1), or its header or payload is not one JSON object with distinct member names.
/// </summary>
/// <remarks>The message says which part is wrong and how; it never repeats the token or any part of it.</remarks>
public sealed class MalformedTokenException : FormatException
{
    /// <summary>Initializes a new instance of the <see cref="MalformedTokenException"/> class.</summary>
    public MalformedTokenException()
        : base("The token is not a compact JWS (header.payload.signature).")
    {
    }

    /// <summary>Initializes a new instance of the <see cref="MalformedTokenException"/> class.</summary>
    /// <param name="message">A message that says what is wrong, without the token itself.</param>
    public MalformedTokenException(string message)
        : base(message)
    {
    }

    /// <summary>Initializes a new instance of the <see cref="MalformedTokenException"/> class.</summary>
    /// <param name="message">A message that says what is wrong, without the token itself.</param>
    /// <param name="innerException">The exception that caused this one.</param>
    public MalformedTokenException(string message, Exception? innerException)
        : base(message, innerException)
    {
    }
}
