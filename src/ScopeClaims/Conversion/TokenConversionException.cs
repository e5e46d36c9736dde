using System;

namespace ScopeClaims;

/// <summary>
/// Thrown when the <see cref="IScopeTokenConverter"/> refuses a token. Nothing is issued. <see cref="Reason"/> is
/// machine-readable; the message is for people. Neither ever contains the token.
/// </summary>
public sealed class TokenConversionException : Exception
{
    /// <summary>Initializes a new instance of the <see cref="TokenConversionException"/> class.</summary>
    public TokenConversionException()
        : this(TokenConversionFailure.Invalid, "The token was refused.")
    {
    }

    /// <summary>Initializes a new instance of the <see cref="TokenConversionException"/> class.</summary>
    /// <param name="message">The message.</param>
    public TokenConversionException(string message)
        : this(TokenConversionFailure.Invalid, message)
    {
    }

    /// <summary>Initializes a new instance of the <see cref="TokenConversionException"/> class.</summary>
    /// <param name="message">The message.</param>
    /// <param name="innerException">The cause.</param>
    public TokenConversionException(string message, Exception? innerException)
        : this(TokenConversionFailure.Invalid, message, innerException)
    {
    }

    /// <summary>Initializes a new instance of the <see cref="TokenConversionException"/> class.</summary>
    /// <param name="reason">Why the token was refused.</param>
    /// <param name="message">A message without the token.</param>
    /// <param name="innerException">The cause, if any.</param>
    public TokenConversionException(TokenConversionFailure reason, string message, Exception? innerException = null)
        : base(message, innerException)
    {
        Reason = reason;
    }

    /// <summary>Gets why the token was refused.</summary>
    public TokenConversionFailure Reason { get; }
}
