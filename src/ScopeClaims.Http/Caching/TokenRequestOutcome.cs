using System;

namespace ScopeClaims.Http.Internal;

/// <summary>The outcome of one token request: when, and the type of the exception when it failed (never its message).</summary>
internal sealed record TokenRequestOutcome(DateTimeOffset At, string? ErrorType);
