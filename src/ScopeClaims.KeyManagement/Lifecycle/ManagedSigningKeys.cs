using System;
using System.Collections.Generic;
using System.Diagnostics.Metrics;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.Extensions.Logging;

namespace ScopeClaims.KeyManagement.Internal;

/// <summary>
/// The key manager: loads the store's entries, creates the key that is due (never one it could not persist), keeps the
/// managed profiles' <see cref="SigningKeySet"/> in step with the schedule, removes expired entries, and reads the store
/// again on <see cref="ScopeTokenKeyManagementOptions.RefreshInterval"/>.
/// </summary>
internal sealed partial class ManagedSigningKeys : IManagedSigningKeySource, IManagedSigningKeys, IDisposable
{
    // Note: a key created by a host whose clock is ahead by more than this makes this host's clock "behind".
    internal static readonly TimeSpan MaxClockSkew = TimeSpan.FromMinutes(5);

    private readonly object _gate = new();
    private readonly ScopeTokenKeyManagementOptions _options;
    private readonly ISigningKeyStore _store;
    private readonly IDataProtector _protector;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly Dictionary<long, (byte[] Data, ManagedKey Key)> _loaded = new();
    private SigningKeySet? _set;
    private ITimer? _timer;
    private DateTimeOffset _latestNow = DateTimeOffset.MinValue;
    private DateTimeOffset _lastUnknownKeyIdRead = DateTimeOffset.MinValue;
    private bool _disposed;

    public ManagedSigningKeys(ScopeTokenKeyManagementOptions options, ISigningKeyStore store, IDataProtectionProvider dataProtection, TimeProvider time, ILogger logger, IMeterFactory? meterFactory = null)
    {
        _metrics = new KeyMetrics(this, meterFactory);
        _options = options;
        _store = store;
        _protector = ManagedKeyFormat.CreateProtector(dataProtection);
        _time = time;
        _logger = logger;
    }

    public string StoreName => _store.Name;

    public SigningKeySet GetSigningKeys(string profileName, ScopeTokenOptions options)
    {
        ArgumentNullException.ThrowIfNull(profileName);
        ArgumentNullException.ThrowIfNull(options);
        if (_options.RetentionTime < options.MaxLifetime)
        {
            var profile = profileName.Length == 0 ? "the default profile" : $"profile '{profileName}'";
            throw new SigningKeyException($"ScopeTokenKeyManagementOptions.RetentionTime ({_options.RetentionTime}) is shorter than ScopeTokenOptions.MaxLifetime ({options.MaxLifetime}) of {profile}: a token signed just before its key retires would outlive the key's publication. Make RetentionTime at least MaxLifetime.");
        }

        lock (_gate)
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            if (_set is null)
            {
                try
                {
                    FirstLoad();
                }
                catch (Exception ex) when (ex is SigningKeyStoreUnavailableException or SigningKeyEntryException or ClockMovedBackwardsException)
                {
                    // Note: nothing loaded by a failed start is kept; the next attempt reads the store again.
                    _set = null;
                    _loaded.Clear();
                    throw new SigningKeyException($"Managed signing keys could not be loaded from the {_store.Name}: {ex.Message}", ex);
                }

                _timer = _time.CreateTimer(static state => ((ManagedSigningKeys)state!).OnTimer(), this, _options.RefreshInterval, _options.RefreshInterval);
            }

            return _set!;
        }
    }

    public void Refresh()
    {
        lock (_gate)
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            RefreshCore(throwOnFailure: true);
        }
    }

    public bool RefreshForUnknownKeyId(string keyId)
    {
        ArgumentNullException.ThrowIfNull(keyId);
        lock (_gate)
        {
            if (IsPublished(keyId))
            {
                return true;
            }

            var now = _time.GetUtcNow();
            var spacing = TimeSpan.FromTicks(Math.Max(TimeSpan.TicksPerSecond, _options.RefreshInterval.Ticks / 10));
            if (_disposed || now - _lastUnknownKeyIdRead < spacing)
            {
                return false;
            }

            _lastUnknownKeyIdRead = now;
            RefreshLogged();
            return IsPublished(keyId);
        }
    }

    public void Dispose()
    {
        lock (_gate)
        {
            _disposed = true;
            _timer?.Dispose();
            _timer = null;
            _metrics.Dispose();
        }
    }

    /// <summary>The schedule of every entry the store holds now, for listing; creates nothing.</summary>
    internal IReadOnlyList<KeySchedule.Entry> ReadSchedule()
    {
        lock (_gate)
        {
            return KeySchedule.Compute(LoadKeys(), _options.RetentionTime);
        }
    }

    /// <summary>
    /// Announces a new key now: created and published at once, signing after <see cref="ScopeTokenKeyManagementOptions.PropagationTime"/>.
    /// Refused when a key is already announced, so a second call cannot skip the first announcement.
    /// </summary>
    /// <returns>The new key, as stored.</returns>
    /// <exception cref="InvalidOperationException">A key is already announced and not yet signing.</exception>
    internal ManagedKey Announce()
    {
        lock (_gate)
        {
            var now = Now(throwOnFailure: true)!.Value;
            var keys = LoadKeys();
            CheckEntryClocks(keys, now);
            if (keys.OrderBy(static k => k.Generation).LastOrDefault() is { } newest && newest.Activates > now)
            {
                throw new InvalidOperationException($"Key '{newest.Key.KeyId}' (generation {newest.Generation}) is already announced and signs from {newest.Activates:O}; a new key is announced after it signs.");
            }

            var activates = now + _options.PropagationTime;
            var created = TryCreate(keys, now, activates, activates + _options.RotationInterval);
            var reloaded = LoadKeys();
            Apply(reloaded, now);
            return created ?? throw new InvalidOperationException("Another process created a key at the same moment; run the command again after checking 'keys list'.");
        }
    }

    /// <summary>The first read of the store; an unreachable store is retried about every second until <see cref="ScopeTokenKeyManagementOptions.StartupTimeout"/>.</summary>
    private void FirstLoad()
    {
        var deadline = _time.GetUtcNow() + _options.StartupTimeout;
        while (true)
        {
            try
            {
                RefreshCore(throwOnFailure: true);
                return;
            }
            catch (SigningKeyStoreUnavailableException ex) when (_time.GetUtcNow() < deadline)
            {
                Log.WaitingForStore(_logger, _store.Name, deadline, ex.Message);
                _set = null;
                _loaded.Clear();
                var wait = TimeSpan.FromTicks(Math.Clamp((deadline - _time.GetUtcNow()).Ticks, 0, TimeSpan.TicksPerSecond));
                Task.Delay(wait, _time).GetAwaiter().GetResult();
            }
        }
    }

    private void OnTimer()
    {
        lock (_gate)
        {
            if (!_disposed)
            {
                RefreshLogged();
            }
        }
    }

    private void RefreshLogged()
    {
        try
        {
            RefreshCore(throwOnFailure: false);
        }
        catch (Exception ex) when (ex is not OutOfMemoryException)
        {
            // Note: runs on a timer, where an exception would end the process; the keys loaded before are kept. Only the
            // type is logged: an unexpected exception's message is not known to be free of key material.
            Log.RefreshFailed(_logger, ex.GetType().Name);
        }
    }

    private bool IsPublished(string keyId) =>
        _set is { } set && set.Keys.Any(k => string.Equals(k.KeyId, keyId, StringComparison.Ordinal));
}
