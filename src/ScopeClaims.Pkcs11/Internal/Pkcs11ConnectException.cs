using System;

namespace ScopeClaims.Pkcs11.Internal;

/// <summary>The module, token or key named by an option cannot be used; the message says why and never quotes the PIN.</summary>
internal sealed class Pkcs11ConnectException : Exception
{
    public Pkcs11ConnectException(string option, string message, Exception? innerException = null)
        : base(message, innerException) => Option = option;

    public Pkcs11ConnectException()
        : this(nameof(Pkcs11SigningKeyOptions.LibraryPath), "The PKCS#11 module cannot be used.")
    {
    }

    public Pkcs11ConnectException(string message)
        : this(nameof(Pkcs11SigningKeyOptions.LibraryPath), message)
    {
    }

    public Pkcs11ConnectException(string message, Exception innerException)
        : this(nameof(Pkcs11SigningKeyOptions.LibraryPath), message, innerException)
    {
    }

    /// <summary>Gets the name of the <see cref="Pkcs11SigningKeyOptions"/> property the failure is about.</summary>
    public string Option { get; }
}
