using System;

namespace ScopeClaims.Internal;

/// <summary>What one fetch of an inbound issuer's metadata and JWKS gave: when, how many keys, or the type of the error.</summary>
internal sealed record InboundMetadataOutcome(DateTimeOffset At, int KeyCount, string? ErrorType);
