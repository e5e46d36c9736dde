using System;

namespace ScopeClaims.Pkcs11;

/// <summary>
/// Thrown when a PKCS#11 signer cannot sign now: the module or token has gone (removed, unreachable, reset), no session
/// became free within <see cref="Pkcs11SigningKeyOptions.SignTimeout"/>, or the key found after a reconnection is not the
/// one the signer started with. Nothing was signed; the signer keeps trying to reconnect every
/// <see cref="Pkcs11SigningKeyOptions.RetryInterval"/>.
/// </summary>
/// <remarks>The message names the token, the key label or id and the PKCS#11 return value, never the PIN.</remarks>
public sealed class Pkcs11SignerUnavailableException : InvalidOperationException
{
    /// <summary>Initializes a new instance of the <see cref="Pkcs11SignerUnavailableException"/> class.</summary>
    public Pkcs11SignerUnavailableException()
        : base("The PKCS#11 signer is unavailable; nothing was signed.")
    {
    }

    /// <summary>Initializes a new instance of the <see cref="Pkcs11SignerUnavailableException"/> class.</summary>
    /// <param name="message">The message.</param>
    public Pkcs11SignerUnavailableException(string message)
        : base(message)
    {
    }

    /// <summary>Initializes a new instance of the <see cref="Pkcs11SignerUnavailableException"/> class.</summary>
    /// <param name="message">The message.</param>
    /// <param name="innerException">The exception that caused this one.</param>
    public Pkcs11SignerUnavailableException(string message, Exception? innerException)
        : base(message, innerException)
    {
    }
}
