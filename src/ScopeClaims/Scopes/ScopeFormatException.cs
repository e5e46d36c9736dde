using System;

namespace ScopeClaims;

/// <summary>
/// Thrown when a scope value or scope claim does not satisfy the RFC 6749 §3.3 grammar, the configured
/// <see cref="ScopeLimits"/>, or the shapes ScopeClaims accepts. Nothing is coerced: the whole value is refused.
/// </summary>
/// <remarks>The message names the claim, the reason and the position; it never repeats the offending value.</remarks>
public sealed class ScopeFormatException : FormatException
{
    /// <summary>Initializes a new instance of the <see cref="ScopeFormatException"/> class.</summary>
    public ScopeFormatException()
        : this(ScopeErrorReason.InvalidShape, null, "The scope value is invalid.")
    {
    }

    /// <summary>Initializes a new instance of the <see cref="ScopeFormatException"/> class.</summary>
    /// <param name="message">The message.</param>
    public ScopeFormatException(string message)
        : this(ScopeErrorReason.InvalidShape, null, message)
    {
    }

    /// <summary>Initializes a new instance of the <see cref="ScopeFormatException"/> class.</summary>
    /// <param name="message">The message.</param>
    /// <param name="innerException">The exception that caused this one.</param>
    public ScopeFormatException(string message, Exception? innerException)
        : base(message, innerException)
    {
        Reason = ScopeErrorReason.InvalidShape;
    }

    /// <summary>Initializes a new instance of the <see cref="ScopeFormatException"/> class.</summary>
    /// <param name="reason">Why the value was refused.</param>
    /// <param name="claimName">The claim that held the value, if any.</param>
    /// <param name="message">A message that says what was wrong and where, without the value itself.</param>
    /// <param name="innerException">The exception that caused this one, if any.</param>
    public ScopeFormatException(ScopeErrorReason reason, string? claimName, string message, Exception? innerException = null)
        : base(message, innerException)
    {
        Reason = reason;
        ClaimName = claimName;
    }

    /// <summary>Gets why the value was refused.</summary>
    public ScopeErrorReason Reason { get; }

    /// <summary>Gets the name of the claim that held the value, or <see langword="null"/> when none was involved.</summary>
    public string? ClaimName { get; }
}
