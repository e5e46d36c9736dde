using System;

namespace ScopeClaims;

/// <summary>
/// Thrown when a token is to be issued and no key may sign it: the profile's keys are managed (see
/// <see cref="SigningKeyOptions.Managed"/>) and every key the host has loaded is outside its signing window, for example
/// because the key store has been unreachable for longer than a key is allowed to sign. Nothing was issued.
/// </summary>
/// <remarks>The message names key ids and times only, never key material.</remarks>
public sealed class SigningKeyUnavailableException : InvalidOperationException
{
    /// <summary>Initializes a new instance of the <see cref="SigningKeyUnavailableException"/> class.</summary>
    public SigningKeyUnavailableException()
        : base("No loaded key may sign; nothing was issued.")
    {
    }

    /// <summary>Initializes a new instance of the <see cref="SigningKeyUnavailableException"/> class.</summary>
    /// <param name="message">The message.</param>
    public SigningKeyUnavailableException(string message)
        : base(message)
    {
    }

    /// <summary>Initializes a new instance of the <see cref="SigningKeyUnavailableException"/> class.</summary>
    /// <param name="message">The message.</param>
    /// <param name="innerException">The exception that caused this one.</param>
    public SigningKeyUnavailableException(string message, Exception? innerException)
        : base(message, innerException)
    {
    }
}
