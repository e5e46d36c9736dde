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
/// Keys are never disposed by the set, since a cached signature provider or an in-flight validation may still use a
/// key that has just been rotated out.
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

    /// <summary>Raised after <see cref="Rotate"/> or <see cref="Retire"/> changed the set.</summary>
    public event EventHandler? Changed;

    /// <summary>Gets the key that signs new tokens.</summary>
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

            var older = new[] { current.Active }.Concat(current.All.Skip(1)).Take(retain).ToArray();
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

            var older = current.All.Skip(1).Where(k => k.KeyId != keyId).ToArray();
            if (older.Length == current.All.Length - 1)
            {
                return false;
            }

            _snapshot = new Snapshot(current.Active, older);
        }

        Changed?.Invoke(this, EventArgs.Empty);
        return true;
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

        public TokenSigningKey Active { get; }

        public TokenSigningKey[] All { get; }

        public SecurityKey[] VerificationKeys { get; }
    }
}
