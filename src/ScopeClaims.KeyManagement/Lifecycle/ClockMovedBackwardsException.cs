using System;

namespace ScopeClaims.KeyManagement;

/// <summary>Thrown when the clock is earlier than a time the key manager has already seen (an earlier reading of the clock, or the creation time of a key in the store): new keys are not created and nothing is deleted until the clock is right again, so a wrong clock cannot make a host create or retire keys out of turn.</summary>
public sealed class ClockMovedBackwardsException : Exception
{
    /// <summary>Initializes a new instance of the <see cref="ClockMovedBackwardsException"/> class.</summary>
    public ClockMovedBackwardsException()
        : base("The clock moved backwards.")
    {
    }

    /// <summary>Initializes a new instance of the <see cref="ClockMovedBackwardsException"/> class.</summary>
    /// <param name="message">The message.</param>
    public ClockMovedBackwardsException(string message)
        : base(message)
    {
    }

    /// <summary>Initializes a new instance of the <see cref="ClockMovedBackwardsException"/> class.</summary>
    /// <param name="message">The message.</param>
    /// <param name="innerException">The exception that caused this one.</param>
    public ClockMovedBackwardsException(string message, Exception? innerException)
        : base(message, innerException)
    {
    }
}
