using System;
using System.Collections.Generic;
using System.Linq;
using ScopeClaims.Internal;

namespace ScopeClaims.KeyManagement.Internal;

// Reading the store, creating the key that is due, and applying the schedule to the key set. Called under _gate.
internal sealed partial class ManagedSigningKeys
{
    private void RefreshCore(bool throwOnFailure)
    {
        var now = Now(throwOnFailure);
        if (now is null)
        {
            return;
        }

        List<ManagedKey> keys;
        try
        {
            keys = LoadKeys();
        }
        catch (SigningKeyStoreUnavailableException ex) when (!throwOnFailure && _set is not null)
        {
            Log.StoreUnavailable(_logger, _store.Name, _loaded.Count, ex.Message);
            _metrics.StoreFailures.Add(1);
            Apply(_loaded.Values.Select(static v => v.Key).ToList(), now.Value);
            return;
        }
        catch (SigningKeyEntryException ex) when (!throwOnFailure)
        {
            Log.EntryRefused(_logger, ex.Message);
            return;
        }

        try
        {
            CheckEntryClocks(keys, now.Value);
        }
        catch (ClockMovedBackwardsException ex) when (!throwOnFailure)
        {
            Log.ClockMovedBackwards(_logger, ex.Message);
            return;
        }

        // Note: a lost race (another host created the generation) re-reads the store and looks again; bounded, since
        // every round either creates nothing or sees one more key.
        for (var round = 0; round < 3; round++)
        {
            var due = KeySchedule.Due(KeySchedule.Compute(keys, _options.RetentionTime), now.Value, _options.RotationInterval, _options.PropagationTime);
            if (due is null)
            {
                break;
            }

            try
            {
                TryCreate(keys, now.Value, due.Value.Activates, due.Value.Expires);
                keys = LoadKeys();
            }
            catch (SigningKeyStoreUnavailableException ex) when (!throwOnFailure && _set is not null)
            {
                Log.StoreUnavailable(_logger, _store.Name, _loaded.Count, ex.Message);
                _metrics.StoreFailures.Add(1);
                break;
            }
        }

        Apply(keys, now.Value);
        RemoveExpired(keys, now.Value);
    }

    /// <summary>The time, or <see langword="null"/> (logged) when the clock is behind a reading already made.</summary>
    private DateTimeOffset? Now(bool throwOnFailure)
    {
        var now = _time.GetUtcNow();
        if (_latestNow - now > TimeSpan.FromSeconds(1))
        {
            var ex = new ClockMovedBackwardsException($"The clock reads {now:O}, earlier than {_latestNow:O} read before; managed keys are neither created nor removed until it is right again.");
            if (throwOnFailure)
            {
                throw ex;
            }

            Log.ClockMovedBackwards(_logger, ex.Message);
            return null;
        }

        if (now > _latestNow)
        {
            _latestNow = now;
        }

        return now;
    }

    private void CheckEntryClocks(List<ManagedKey> keys, DateTimeOffset now)
    {
        if (keys.FirstOrDefault(k => k.Created > now + MaxClockSkew) is { } future)
        {
            // Note: the keys are still published (another host made them), but this host creates nothing on a clock it cannot trust.
            Apply(keys, now);
            throw new ClockMovedBackwardsException($"Key '{future.Key.KeyId}' (generation {future.Generation}) in the {_store.Name} was created at {future.Created:O}, later than this host's clock ({now:O}) by more than {MaxClockSkew}; managed keys are not created until the clocks agree.");
        }
    }

    /// <summary>Reads every entry, decrypting only those not read before; an entry that changed since is refused.</summary>
    private List<ManagedKey> LoadKeys()
    {
        var entries = _store.Load();
        var keys = new List<ManagedKey>(entries.Count);
        var fresh = new Dictionary<long, (byte[] Data, ManagedKey Key)>();
        foreach (var entry in entries)
        {
            if (_loaded.TryGetValue(entry.Generation, out var known))
            {
                if (!known.Data.AsSpan().SequenceEqual(entry.Data))
                {
                    throw new SigningKeyEntryException(SigningKeyEntryProblem.Modified, entry.Generation, $"The entry of generation {entry.Generation} in the {_store.Name} was refused (Modified): it changed after it was read, and entries are written once. It was left as it is; the key read before is kept.");
                }

                fresh[entry.Generation] = known;
                keys.Add(known.Key);
                continue;
            }

            var key = ManagedKeyFormat.Read(entry, _protector, _store.Name);
            fresh[entry.Generation] = (entry.Data, key);
            keys.Add(key);
        }

        // Note: only once every entry was accepted does the loaded set change, so a refusal leaves it as it was.
        _loaded.Clear();
        foreach (var (generation, value) in fresh)
        {
            _loaded[generation] = value;
        }

        return keys;
    }

    /// <summary>Generates a key and stores it as the next generation; never keeps one the store did not take.</summary>
    private ManagedKey? TryCreate(List<ManagedKey> keys, DateTimeOffset now, DateTimeOffset activates, DateTimeOffset expires)
    {
        var generation = keys.Count == 0 ? 1 : keys.Max(static k => k.Generation) + 1;
        var created = DateTimeOffset.FromUnixTimeSeconds(now.ToUnixTimeSeconds());
        var key = new ManagedKey(
            generation,
            TokenSigningKey.Generate(_options.Algorithm),
            created,
            DateTimeOffset.FromUnixTimeSeconds(activates.ToUnixTimeSeconds()),
            DateTimeOffset.FromUnixTimeSeconds(expires.ToUnixTimeSeconds()));
        if (_store.TryCreate(new StoredSigningKey(generation, ManagedKeyFormat.Write(key, _protector))))
        {
            Log.KeyCreated(_logger, key.Key.KeyId, generation, key.Key.Algorithm, _store.Name, key.Activates, key.Expires);
            _metrics.Created.Add(1, new KeyValuePair<string, object?>(TelemetryNames.Algorithm, key.Key.Algorithm));
            return key;
        }

        Log.CreationLost(_logger, generation, _store.Name);
        return null;
    }

    /// <summary>Puts the schedule of <paramref name="keys"/> into the key set: the windows still open and the keys still published.</summary>
    private void Apply(List<ManagedKey> keys, DateTimeOffset now)
    {
        var schedule = KeySchedule.Compute(keys, _options.RetentionTime);
        var windows = KeySchedule.Windows(schedule);
        if (windows.Count == 0)
        {
            return;
        }

        var open = windows.Where(w => w.NotAfter > now).ToList();
        if (open.Count == 0)
        {
            // Note: every window has closed; the last one is kept so that issuing fails naming it.
            open.Add(windows[^1]);
            Log.NoSigningKey(_logger, _store.Name);
        }

        var published = schedule
            .Where(e => e.State(now) != ManagedKeyState.Expired)
            .OrderBy(e => e.State(now) switch { ManagedKeyState.Active => 0, ManagedKeyState.Announced => 1, _ => 2 })
            .ThenByDescending(static e => e.Key.Generation)
            .Select(static e => e.Key.Key)
            .ToList();
        foreach (var window in open.Where(w => !published.Contains(w.Key)))
        {
            published.Add(window.Key);
        }

        if (_set is null)
        {
            _set = new SigningKeySet(open[0].Key);
        }

        _set.Replace(open, published);
    }

    /// <summary>Removes the entries whose publication has ended, except the newest, whose generation numbers the next.</summary>
    private void RemoveExpired(List<ManagedKey> keys, DateTimeOffset now)
    {
        if (keys.Count == 0)
        {
            return;
        }

        var newest = keys.Max(static k => k.Generation);
        foreach (var entry in KeySchedule.Compute(keys, _options.RetentionTime))
        {
            if (entry.Key.Generation == newest || entry.State(now) != ManagedKeyState.Expired)
            {
                continue;
            }

            try
            {
                _store.Delete(entry.Key.Generation);
                _loaded.Remove(entry.Key.Generation);
                Log.KeyRemoved(_logger, entry.Key.Key.KeyId, entry.Key.Generation, _store.Name, entry.End, entry.PublishedUntil);
                _metrics.Removed.Add(1);
            }
            catch (SigningKeyStoreUnavailableException ex)
            {
                Log.StoreUnavailable(_logger, _store.Name, _loaded.Count, ex.Message);
                _metrics.StoreFailures.Add(1);
                return;
            }
        }
    }
}
