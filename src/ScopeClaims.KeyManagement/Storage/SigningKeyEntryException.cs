using System;

namespace ScopeClaims.KeyManagement;

/// <summary>
/// Thrown when an entry of the key store is refused (see <see cref="Problem"/>). The entry is left as it is (never
/// overwritten or deleted), no key is created in its place, and the message names the store and the generation, never
/// key material.
/// </summary>
public sealed class SigningKeyEntryException : Exception
{
    /// <summary>Initializes a new instance of the <see cref="SigningKeyEntryException"/> class.</summary>
    public SigningKeyEntryException()
        : base("A key store entry was refused.")
    {
    }

    /// <summary>Initializes a new instance of the <see cref="SigningKeyEntryException"/> class.</summary>
    /// <param name="message">The message.</param>
    public SigningKeyEntryException(string message)
        : base(message)
    {
    }

    /// <summary>Initializes a new instance of the <see cref="SigningKeyEntryException"/> class.</summary>
    /// <param name="message">The message.</param>
    /// <param name="innerException">The exception that caused this one.</param>
    public SigningKeyEntryException(string message, Exception? innerException)
        : base(message, innerException)
    {
    }

    /// <summary>Initializes a new instance of the <see cref="SigningKeyEntryException"/> class.</summary>
    /// <param name="problem">Why the entry was refused.</param>
    /// <param name="generation">The entry's generation.</param>
    /// <param name="message">The message.</param>
    public SigningKeyEntryException(SigningKeyEntryProblem problem, long generation, string message)
        : base(message)
    {
        Problem = problem;
        Generation = generation;
    }

    /// <summary>Gets why the entry was refused.</summary>
    public SigningKeyEntryProblem Problem { get; }

    /// <summary>Gets the generation of the refused entry, or 0 when unknown.</summary>
    public long Generation { get; }
}
