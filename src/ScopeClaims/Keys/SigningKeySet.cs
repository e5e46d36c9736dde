using System;
using System.Collections.Generic;
using System.Linq;
using Microsoft.IdentityModel.Tokens;
using ScopeClaims.Internal;

namespace ScopeClaims;

/// <summary>
/// The keys of one issuer: one active signing key and older keys kept for verification, so keys rotate without
/// downtime. Thread-safe: readers always see a consistent snapshot.
/// </summary>
/// <remarks>
/// <para>
/// Keys are never disposed by the set, since a cached signature provider or an in-flight validation may still use a
/// key that has just been rotated out.
/// </para>
/// <para>
/// A set made by a key manager (see <see cref="Replace"/>) also carries a signing schedule: each signing key with the
/// window in which it signs, so a hand-over happens at its exact moment, and issuing after the last window fails with a
/// <see cref="SigningKeyUnavailableException"/> rather than signing with a key that is no longer meant to sign.
/// </para>
/// </remarks>
public sealed class SigningKeySet
{
    private readonly object _gate = new();
    private volatile Snapshot _snapshot;

    /// <summary>Initializes a new instance of the <see cref="SigningKeySet"/> class.</summary>
    /// <param name="active">The key that signs.</param>
    /// <param name="verificationKeys">Older keys still published for verification.</param>
    public SigningKeySet(TokenSigningKey active, IEnumerable<TokenSigningKey>? verificationKeys = null)
    {
        ArgumentNullException.ThrowIfNull(active);
        var older = verificationKeys?.ToArray() ?? Array.Empty<TokenSigningKey>();
        if (older.Any(static k => k is null))
        {
            throw new ArgumentException("Verification keys cannot contain null.", nameof(verificationKeys));
        }

        _snapshot = new Snapshot(active, Distinct(active, older));
    }

    /// <summary>Raised after <see cref="Rotate"/>, <see cref="Retire"/> or <see cref="Replace"/> changed the set.</summary>
    public event EventHandler? Changed;

    /// <summary>Gets the key that signs new tokens; for a set with a signing schedule (see <see cref="Replace"/>), the key of its first window.</summary>
    public TokenSigningKey Active => _snapshot.Active;

    /// <summary>Gets every key: the active key first, then the verification keys, newest first.</summary>
    public IReadOnlyList<TokenSigningKey> Keys => _snapshot.All;

    /// <summary>Makes <paramref name="next"/> the active key; the previous active key is kept for verification.</summary>
    /// <param name="next">The new active key; its key id must differ from every key in the set.</param>
    /// <param name="retain">How many older keys to keep for verification; the oldest beyond it are dropped. The default keeps them all.</param>
    /// <exception cref="ArgumentException">The key id is already in the set.</exception>
    public void Rotate(TokenSigningKey next, int retain = int.MaxValue)
    {
        ArgumentNullException.ThrowIfNull(next);
        ArgumentOutOfRangeException.ThrowIfNegative(retain);
        lock (_gate)
        {
            var current = _snapshot;
            if (current.All.Any(k => k.KeyId == next.KeyId))
            {
                throw new ArgumentException($"A key with kid '{next.KeyId}' is already in the set; every key needs its own key id.", nameof(next));
            }

            // Note: after Replace, the active key need not be the first of All; it is listed once either way.
            var older = new[] { current.Active }.Concat(current.All.Where(k => !ReferenceEquals(k, current.Active))).Take(retain).ToArray();
            _snapshot = new Snapshot(next, older);
        }

        Changed?.Invoke(this, EventArgs.Empty);
    }

    /// <summary>Removes a verification key; tokens it signed no longer verify. The active key cannot be retired.</summary>
    /// <param name="keyId">The key id.</param>
    /// <returns><see langword="true"/> when a key was removed.</returns>
    /// <exception cref="InvalidOperationException"><paramref name="keyId"/> is the active key.</exception>
    public bool Retire(string keyId)
    {
        ArgumentNullException.ThrowIfNull(keyId);
        lock (_gate)
        {
            var current = _snapshot;
            if (current.Active.KeyId == keyId)
            {
                throw new InvalidOperationException("The active key cannot be retired; rotate to a new key first.");
            }

            var older = current.All.Where(k => !ReferenceEquals(k, current.Active) && k.KeyId != keyId).ToArray();
            if (older.Length == current.All.Count(k => !ReferenceEquals(k, current.Active)))
            {
                return false;
            }

            _snapshot = new Snapshot(current.Active, older);
        }

        Changed?.Invoke(this, EventArgs.Empty);
        return true;
    }

    /// <summary>
    /// Replaces the whole set at once with the keys a key manager publishes and the windows in which its keys sign;
    /// readers see either the old set or the new one, never a mix.
    /// </summary>
    /// <param name="signing">The signing windows, earliest first and not overlapping; at least one. Each window's key must be in <paramref name="published"/>.</param>
    /// <param name="published">Every key to publish and accept for verification (announced, signing and retired keys), in the order <see cref="Keys"/> and the JWKS list them.</param>
    /// <exception cref="ArgumentException">No window, overlapping or empty windows, a window whose key is not published, or two published keys with one key id.</exception>
    /// <remarks>
    /// The issuer signs with the key of the window that holds the current time (<see cref="GetSigningKey"/>); outside
    /// every window issuing fails with a <see cref="SigningKeyUnavailableException"/>. <see cref="Rotate"/> and
    /// <see cref="Retire"/> afterwards turn the set back into one without a schedule.
    /// </remarks>
    public void Replace(IEnumerable<SigningWindow> signing, IEnumerable<TokenSigningKey> published)
    {
        ArgumentNullException.ThrowIfNull(signing);
        ArgumentNullException.ThrowIfNull(published);
        var windows = signing.ToArray();
        var keys = published.ToArray();
        if (windows.Length == 0)
        {
            throw new ArgumentException("At least one signing window is required.", nameof(signing));
        }

        if (keys.Any(static k => k is null) || windows.Any(static w => w is null))
        {
            throw new ArgumentException("Signing windows and published keys cannot contain null.", nameof(published));
        }

        for (var i = 0; i < windows.Length; i++)
        {
            if (windows[i].NotBefore >= windows[i].NotAfter)
            {
                throw new ArgumentException($"The signing window of kid '{windows[i].Key.KeyId}' is empty: NotBefore must be earlier than NotAfter.", nameof(signing));
            }

            if (i > 0 && windows[i].NotBefore < windows[i - 1].NotAfter)
            {
                throw new ArgumentException("Signing windows must be ordered, earliest first, and must not overlap.", nameof(signing));
            }

            if (Array.IndexOf(keys, windows[i].Key) < 0)
            {
                throw new ArgumentException($"The key of kid '{windows[i].Key.KeyId}' signs but is not published; publish every signing key.", nameof(signing));
            }
        }

        var ids = new HashSet<string>(StringComparer.Ordinal);
        foreach (var key in keys)
        {
            if (!ids.Add(key.KeyId))
            {
                throw new ArgumentException($"Two keys share the kid '{key.KeyId}'; every key needs its own key id.", nameof(published));
            }
        }

        lock (_gate)
        {
            _snapshot = new Snapshot(windows, keys);
        }

        Changed?.Invoke(this, EventArgs.Empty);
    }

    /// <summary>Gets the key that signs a token issued at <paramref name="now"/>: the active key, or for a set with a signing schedule the key of the window holding <paramref name="now"/>.</summary>
    /// <param name="now">The time of issue.</param>
    /// <returns>The signing key.</returns>
    /// <exception cref="SigningKeyUnavailableException">The set has a signing schedule and no window holds <paramref name="now"/>.</exception>
    public TokenSigningKey GetSigningKey(DateTimeOffset now)
    {
        var snapshot = _snapshot;
        var windows = snapshot.Windows;
        if (windows is null)
        {
            return snapshot.Active;
        }

        foreach (var window in windows)
        {
            if (now >= window.NotBefore && now < window.NotAfter)
            {
                return window.Key;
            }
        }

        throw new SigningKeyUnavailableException(now < windows[0].NotBefore
            ? $"No key may sign yet: the first signing window opens at {windows[0].NotBefore:O} (kid '{windows[0].Key.KeyId}'); nothing was issued."
            : $"No loaded key may sign: the last signing window closed at {windows[^1].NotAfter:O} (kid '{windows[^1].Key.KeyId}') and no later key is loaded; nothing was issued.");
    }

    /// <summary>Gets the keys that verify this issuer's tokens (active and older), for <c>TokenValidationParameters.IssuerSigningKeys</c>.</summary>
    /// <returns>The keys.</returns>
    public IReadOnlyList<SecurityKey> GetVerificationKeys() => _snapshot.VerificationKeys;

    /// <summary>Writes the public JWK set (RFC 7517 §5) of the asymmetric keys: <c>kty</c>, <c>use</c>, <c>alg</c>, <c>kid</c> and public parameters; never a private parameter, never an HMAC key.</summary>
    /// <returns>The JWKS JSON.</returns>
    public string ExportPublicJwks() => JwkExport.WritePublicJwks(_snapshot.All);

    private static TokenSigningKey[] Distinct(TokenSigningKey active, TokenSigningKey[] older)
    {
        var ids = new HashSet<string>(StringComparer.Ordinal) { active.KeyId };
        foreach (var key in older)
        {
            if (!ids.Add(key.KeyId))
            {
                throw new ArgumentException($"Two keys share the kid '{key.KeyId}'; every key needs its own key id.", nameof(older));
            }
        }

        return older;
    }

    private sealed class Snapshot
    {
        public Snapshot(TokenSigningKey active, TokenSigningKey[] older)
        {
            Active = active;
            All = new[] { active }.Concat(older).ToArray();
            VerificationKeys = All.Select(static k => k.Key).ToArray();
        }

        public Snapshot(SigningWindow[] windows, TokenSigningKey[] published)
        {
            Active = windows[0].Key;
            Windows = windows;
            All = published;
            VerificationKeys = All.Select(static k => k.Key).ToArray();
        }

        public TokenSigningKey Active { get; }

        /// <summary>Gets the signing schedule, or <see langword="null"/> for a set whose active key always signs.</summary>
        public SigningWindow[]? Windows { get; }

        public TokenSigningKey[] All { get; }

        public SecurityKey[] VerificationKeys { get; }
    }
}
