using System;
using System.Collections.Generic;
using System.Linq;
using Microsoft.Extensions.Options;

namespace ScopeClaims.KeyManagement.Internal;

/// <summary>Checks the key management options and the store registration, every problem at once, each naming its option.</summary>
internal sealed class ScopeTokenKeyManagementOptionsValidator : IValidateOptions<ScopeTokenKeyManagementOptions>
{
    private static readonly TimeSpan MaxSpan = TimeSpan.FromDays(3653);
    private readonly IEnumerable<ISigningKeyStore> _stores;

    public ScopeTokenKeyManagementOptionsValidator(IEnumerable<ISigningKeyStore> stores) => _stores = stores;

    public ValidateOptionsResult Validate(string? name, ScopeTokenKeyManagementOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var failures = new List<string>();
        if (Array.IndexOf(ManagedKeyFormat.Algorithms, options.Algorithm) < 0)
        {
            failures.Add($"ScopeTokenKeyManagementOptions.Algorithm '{options.Algorithm}' is not supported; use {string.Join(", ", ManagedKeyFormat.Algorithms)}.");
        }

        Span(failures, nameof(options.RotationInterval), options.RotationInterval, TimeSpan.FromSeconds(1));
        Span(failures, nameof(options.PropagationTime), options.PropagationTime, TimeSpan.Zero);
        Span(failures, nameof(options.RetentionTime), options.RetentionTime, TimeSpan.FromSeconds(1));
        Span(failures, nameof(options.RefreshInterval), options.RefreshInterval, TimeSpan.FromSeconds(1));
        if (options.StartupTimeout < TimeSpan.Zero || options.StartupTimeout > TimeSpan.FromMinutes(10))
        {
            failures.Add($"ScopeTokenKeyManagementOptions.StartupTimeout ({options.StartupTimeout}) must be at least zero and at most 10 minutes.");
        }

        if (options.PropagationTime >= options.RotationInterval)
        {
            failures.Add($"ScopeTokenKeyManagementOptions.PropagationTime ({options.PropagationTime}) must be shorter than RotationInterval ({options.RotationInterval}).");
        }

        if (options.PropagationTime < options.RefreshInterval + options.RefreshInterval)
        {
            failures.Add($"ScopeTokenKeyManagementOptions.PropagationTime ({options.PropagationTime}) must be at least twice RefreshInterval ({options.RefreshInterval}), so every host reads a new key before it signs.");
        }

        var stores = _stores.Count();
        if (stores != 1)
        {
            failures.Add(stores == 0
                ? "No key store is configured for managed signing keys: call PersistKeysToFileSystem(directory) (or PersistKeysToRedis from ScopeClaims.KeyManagement.Redis) on the builder AddScopeTokenKeyManagement returns."
                : $"{stores} key stores are configured for managed signing keys ({string.Join(", ", _stores.Select(static s => s.Name))}); configure exactly one.");
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }

    private static void Span(List<string> failures, string option, TimeSpan value, TimeSpan min)
    {
        if (value < min || value > MaxSpan)
        {
            failures.Add($"ScopeTokenKeyManagementOptions.{option} ({value}) must be at least {min} and at most 10 years.");
        }
    }
}
