using System;

namespace ScopeClaims.KeyManagement;

/// <summary>
/// How managed signing keys are made and rotated. One key ring serves every profile whose
/// <see cref="SigningKeyOptions.Managed"/> is <see langword="true"/>.
/// </summary>
/// <remarks>
/// <para>
/// A key's life: it is created and published at once (announced), signs from <see cref="PropagationTime"/> later for
/// <see cref="RotationInterval"/> (active), stops signing when its successor starts, stays published for
/// <see cref="RetentionTime"/> after that (retired), and is then removed from the JWKS and from the store.
/// </para>
/// <para>Validated when the host starts, every problem listed in one <see cref="Microsoft.Extensions.Options.OptionsValidationException"/>.</para>
/// </remarks>
public sealed class ScopeTokenKeyManagementOptions
{
    /// <summary>Gets or sets the JWS algorithm of new keys: <c>RS256</c> (RSA 2048), <c>PS256</c> (RSA 2048) or <c>ES256</c> (P-256).</summary>
    /// <value>The default is <c>RS256</c>.</value>
    /// <remarks>A change applies to the next key; keys already in the store sign and are published until they retire.</remarks>
    public string Algorithm { get; set; } = "RS256";

    /// <summary>Gets or sets how long a key signs before its successor takes over: longer than <see cref="PropagationTime"/>, at most 10 years.</summary>
    /// <value>The default is 90 days.</value>
    public TimeSpan RotationInterval { get; set; } = TimeSpan.FromDays(90);

    /// <summary>
    /// Gets or sets how long a new key is published before it signs, so that partners' JWKS caches hold it by then: at
    /// least twice <see cref="RefreshInterval"/>, so every host has read the new key before it signs.
    /// </summary>
    /// <value>The default is 14 days.</value>
    public TimeSpan PropagationTime { get; set; } = TimeSpan.FromDays(14);

    /// <summary>
    /// Gets or sets how long a key stays published after it last signed: at least the <see cref="ScopeTokenOptions.MaxLifetime"/>
    /// of every profile that uses managed keys (checked on start), so every token it signed verifies until its own <c>exp</c>.
    /// </summary>
    /// <value>The default is 14 days.</value>
    public TimeSpan RetentionTime { get; set; } = TimeSpan.FromDays(14);

    /// <summary>Gets or sets how often a host reads the store again, to pick up keys other hosts created: at least 1 second.</summary>
    /// <value>The default is 5 minutes.</value>
    public TimeSpan RefreshInterval { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>
    /// Gets or sets how long the host waits at start for a store it cannot reach (retrying about every second) before it
    /// fails; at most 10 minutes. Zero fails at once. Only an unreachable store is waited for: a refused entry or a clock
    /// that moved backwards fails at once.
    /// </summary>
    /// <value>The default is <see cref="System.TimeSpan.Zero"/>.</value>
    public TimeSpan StartupTimeout { get; set; }
}
