using System;
using System.Collections.Generic;

namespace ScopeClaims.Internal;

/// <summary>
/// The signing keys of each token profile, resolved once: start-up validation loads a profile's key through it and the
/// issuer factory makes the profile's issuer with the keys validation loaded, so a key file is read once per profile and
/// the options object keeps nothing but what it was given.
/// </summary>
/// <remarks>
/// Keys set in code (<see cref="ScopeTokenOptions.SigningKeys"/>) are used as they are. A key configured through
/// <see cref="ScopeTokenOptions.SigningKey"/> is loaded the first time its profile asks and again only when that option
/// says something else; a failure is not kept, so the next attempt reads the source again.
/// </remarks>
internal sealed class ProfileSigningKeys
{
    private readonly object _gate = new();
    private readonly Dictionary<string, Loaded> _profiles = new(StringComparer.Ordinal);

    /// <summary>Resolves the keys of the profile <paramref name="name"/> from its options.</summary>
    /// <exception cref="SigningKeyException">No key, several key sources, or a key that cannot be loaded; the message names the source, never key material.</exception>
    public SigningKeySet Resolve(string name, ScopeTokenOptions options)
    {
        ArgumentNullException.ThrowIfNull(name);
        ArgumentNullException.ThrowIfNull(options);
        if (options.SigningKeys is { } keys)
        {
            return keys;
        }

        var source = options.SigningKey ?? throw new SigningKeyException("No signing key is configured: set SigningKeys in code, or SigningKey.");
        lock (_gate)
        {
            if (_profiles.TryGetValue(name, out var loaded) && loaded.IsFrom(source))
            {
                return loaded.Keys;
            }

            var set = new SigningKeySet(SigningKeyLoader.Load(source));
            _profiles[name] = new Loaded(source, set);
            return set;
        }
    }

    /// <summary>A loaded key set and a copy of the options it was loaded from.</summary>
    private sealed class Loaded
    {
        private readonly string?[] _source;

        public Loaded(SigningKeyOptions source, SigningKeySet keys)
        {
            _source = Values(source);
            Keys = keys;
        }

        public SigningKeySet Keys { get; }

        public bool IsFrom(SigningKeyOptions source) => _source.AsSpan().SequenceEqual(Values(source));

        private static string?[] Values(SigningKeyOptions o) =>
            [o.Path, o.Pem, o.Jwk, o.CertificatePath, o.CertificateKeyPath, o.CertificatePassword, o.Algorithm, o.KeyId];
    }
}
