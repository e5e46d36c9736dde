using System;

namespace ScopeClaims;

/// <summary>
/// Thrown when a signing key cannot be loaded or is refused: a weak key (RSA under 2048 bits, an HMAC key shorter
/// than its hash), a public-only key, a curve that does not match the algorithm, or an algorithm outside
/// RS/PS/ES/HS 256/384/512. The message never includes key material.
/// </summary>
public sealed class SigningKeyException : Exception
{
    /// <summary>Initializes a new instance of the <see cref="SigningKeyException"/> class.</summary>
    public SigningKeyException()
        : base("The signing key was refused.")
    {
    }

    /// <summary>Initializes a new instance of the <see cref="SigningKeyException"/> class.</summary>
    /// <param name="message">The message.</param>
    public SigningKeyException(string message)
        : base(message)
    {
    }

    /// <summary>Initializes a new instance of the <see cref="SigningKeyException"/> class.</summary>
    /// <param name="message">The message.</param>
    /// <param name="innerException">The exception that caused this one.</param>
    public SigningKeyException(string message, Exception? innerException)
        : base(message, innerException)
    {
    }
}
