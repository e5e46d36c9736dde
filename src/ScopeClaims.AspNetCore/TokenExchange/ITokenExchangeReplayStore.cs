using System;
using System.Threading;
using System.Threading.Tasks;

namespace ScopeClaims.AspNetCore;

/// <summary>
/// Records the use of each accepted client assertion (RFC 7523 §3: a <c>jti</c> is used once) with one atomic
/// check-and-set. The token-exchange endpoint asks the store before it accepts a client and issues nothing when the
/// store refuses or fails.
/// </summary>
/// <remarks>
/// <c>AddTokenExchange</c> registers an in-memory store, atomic within one process: it protects a single host only.
/// A fleet registers a shared store, such as the Redis store of ScopeClaims.AspNetCore.Redis
/// (<c>AddTokenExchangeRedisReplayStore</c>). An implementation must be atomic across every host that shares it and
/// must throw when it cannot answer; the endpoint then answers 503 and issues nothing (fail closed).
/// </remarks>
public interface ITokenExchangeReplayStore
{
    /// <summary>
    /// Records <paramref name="key"/> as used until <paramref name="expiresAt"/>, atomically, and tells whether this
    /// call was the first to record it.
    /// </summary>
    /// <param name="key">The key: the endpoint's prefix and a SHA-256 of the client id and the <c>jti</c> (hex), at most 128 characters.</param>
    /// <param name="expiresAt">When the assertion can no longer be accepted anyway (its <c>exp</c> plus the clock skew); the record may go after that.</param>
    /// <param name="cancellationToken">The request's cancellation.</param>
    /// <returns><see langword="true"/> when this call recorded the key first; <see langword="false"/> when it was already recorded.</returns>
    /// <exception cref="Exception">Any failure of the store: the endpoint treats it as a refusal (503) and issues nothing.</exception>
    ValueTask<bool> TryUseAsync(string key, DateTimeOffset expiresAt, CancellationToken cancellationToken);
}
