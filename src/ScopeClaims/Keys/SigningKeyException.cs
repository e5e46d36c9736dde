using System;

namespace ScopeClaims;

/// <summary>
/// Thrown when a signing key cannot be loaded or is refused: a file that cannot be read, malformed or ambiguous key
/// text, a weak key (RSA under 2048 bits or with a small exponent, an HMAC key shorter than its hash or not random),
/// a public-only key, a curve that does not match the algorithm, a refused certificate, or an algorithm outside
/// RS/PS/ES/HS 256/384/512.
/// </summary>
/// <remarks>
/// Neither the message nor any inner exception ScopeClaims attaches includes key material, a password or a key file's
/// content: a platform exception that might is never kept; its type is named in the message instead.
/// </remarks>
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
