using System;

namespace ScopeClaims.Testing;

/// <summary>
/// Thrown when a <see cref="ScopeTokenAssertions"/> check fails. Every test framework reports it as a failed test, so
/// ScopeClaims.Testing depends on none of them.
/// </summary>
/// <remarks>
/// The message names the check, then an <c>Expected:</c> and an <c>Actual:</c> line with shape and values. It never
/// contains the token, its signature, or key material.
/// </remarks>
public sealed class ScopeTokenAssertionException : Exception
{
    /// <summary>Initializes a new instance of the <see cref="ScopeTokenAssertionException"/> class.</summary>
    public ScopeTokenAssertionException()
        : base("A token assertion failed.")
    {
    }

    /// <summary>Initializes a new instance of the <see cref="ScopeTokenAssertionException"/> class.</summary>
    /// <param name="message">What was expected and what the token holds.</param>
    public ScopeTokenAssertionException(string message)
        : base(message)
    {
    }

    /// <summary>Initializes a new instance of the <see cref="ScopeTokenAssertionException"/> class.</summary>
    /// <param name="message">What was expected and what the token holds.</param>
    /// <param name="innerException">The exception that caused this one.</param>
    public ScopeTokenAssertionException(string message, Exception? innerException)
        : base(message, innerException)
    {
    }
}
