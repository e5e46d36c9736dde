using System;

namespace ScopeClaims.KeyManagement;

/// <summary>Thrown when the key store cannot be reached, read or written: the message names the store, never key material or a password. Nothing was created or overwritten.</summary>
public sealed class SigningKeyStoreUnavailableException : Exception
{
    /// <summary>Initializes a new instance of the <see cref="SigningKeyStoreUnavailableException"/> class.</summary>
    public SigningKeyStoreUnavailableException()
        : base("The key store is unavailable.")
    {
    }

    /// <summary>Initializes a new instance of the <see cref="SigningKeyStoreUnavailableException"/> class.</summary>
    /// <param name="message">The message.</param>
    public SigningKeyStoreUnavailableException(string message)
        : base(message)
    {
    }

    /// <summary>Initializes a new instance of the <see cref="SigningKeyStoreUnavailableException"/> class.</summary>
    /// <param name="message">The message.</param>
    /// <param name="innerException">The exception that caused this one.</param>
    public SigningKeyStoreUnavailableException(string message, Exception? innerException)
        : base(message, innerException)
    {
    }
}
