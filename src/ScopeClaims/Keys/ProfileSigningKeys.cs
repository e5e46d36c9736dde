using System;
using System.Collections.Generic;
using System.Linq;
using Microsoft.Extensions.DependencyInjection;

namespace ScopeClaims.Internal;

/// <summary>
/// The signing keys of each token profile, resolved once: start-up validation loads a profile's key through it and the
/// issuer factory makes the profile's issuer with the keys validation loaded, so a key file is read once per profile and
/// the options object keeps nothing but what it was given.
/// </summary>
/// <remarks>
/// Keys set in code (<see cref="ScopeTokenOptions.SigningKeys"/>) are used as they are. Managed keys
/// (<see cref="SigningKeyOptions.Managed"/>) come from the <see cref="IManagedSigningKeySource"/> registered in the
/// services, which keeps them up to date itself. A key configured through
/// <see cref="ScopeTokenOptions.SigningKey"/> is loaded the first time its profile asks and again only when that option
/// says something else; a failure is not kept, so the next attempt reads the source again.
/// </remarks>
internal sealed class ProfileSigningKeys
{
    private readonly object _gate = new();
    private readonly Dictionary<string, Loaded> _profiles = new(StringComparer.Ordinal);
    private readonly IServiceProvider? _services;

    /// <summary>Initializes a new instance of the <see cref="ProfileSigningKeys"/> class for an issuer made in code, where no key manager can be registered.</summary>
    public ProfileSigningKeys()
    {
    }

    /// <summary>Initializes a new instance of the <see cref="ProfileSigningKeys"/> class that finds a key manager, if any, in <paramref name="services"/> when a managed profile asks.</summary>
    public ProfileSigningKeys(IServiceProvider services) => _services = services;

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
        if (source.Managed)
        {
            return ResolveManaged(name, options, source);
        }

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

    private SigningKeySet ResolveManaged(string name, ScopeTokenOptions options, SigningKeyOptions source)
    {
        var others = SigningKeyLoader.Sources(source);
        (string Option, string? Value)[] settings =
        [
            (nameof(source.CertificateKeyPath), source.CertificateKeyPath),
            (nameof(source.CertificatePassword), source.CertificatePassword),
            (nameof(source.Algorithm), source.Algorithm),
            (nameof(source.KeyId), source.KeyId),
        ];
        others.AddRange(settings.Where(static s => !string.IsNullOrWhiteSpace(s.Value)).Select(static s => s.Option));

        if (others.Count > 0)
        {
            // Note: a managed key has no file, text or id of its own; a second source would leave it unclear which key signs.
            throw new SigningKeyException($"SigningKey.Managed is set together with SigningKey.{string.Join(", SigningKey.", others)}; a managed key has no key file, key text or key id: remove them (the algorithm of managed keys is set in AddScopeTokenKeyManagement), or set Managed to false.");
        }

        var managers = _services?.GetServices<IManagedSigningKeySource>().Distinct().ToArray() ?? [];
        if (managers.Length > 1)
        {
            // Note: which source would sign would depend on registration order; a host has one source of managed keys.
            throw new SigningKeyException($"SigningKey.Managed is set and {managers.Length} managed key sources are registered ({string.Join(", ", managers.Select(static m => m.GetType().Name))}); register one: AddScopeTokenKeyManagement, AddPkcs11SigningKeys or your own IManagedSigningKeySource.");
        }

        var manager = managers.FirstOrDefault()
            ?? throw new SigningKeyException("SigningKey.Managed is set, but no key manager is registered: call services.AddScopeTokenKeyManagement(...) from the ScopeClaims.KeyManagement package (or AddPkcs11SigningKeys from ScopeClaims.Pkcs11), or set a key file instead.");
        return manager.GetSigningKeys(name, options) ?? throw new SigningKeyException($"The key manager {manager.GetType().Name} returned no key set.");
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
