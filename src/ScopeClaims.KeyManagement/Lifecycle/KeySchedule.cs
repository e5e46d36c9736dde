using System;
using System.Collections.Generic;
using System.Linq;

namespace ScopeClaims.KeyManagement.Internal;

/// <summary>
/// The lifecycle rules, as pure functions of the store's entries and the time, so every host that reads the same store
/// computes the same signing windows and the same JWKS.
/// </summary>
/// <remarks>
/// Of the keys whose <see cref="ManagedKey.Activates"/> has passed and whose <see cref="ManagedKey.Expires"/> has not,
/// the newest generation signs. So a key stops signing at the earlier of its own <c>Expires</c> and the activation of
/// any newer key (its end), and is published from its creation until its end plus the retention time.
/// </remarks>
internal static class KeySchedule
{
    /// <summary>The schedule of each key, in generation order.</summary>
    public static IReadOnlyList<Entry> Compute(IReadOnlyList<ManagedKey> keys, TimeSpan retention)
    {
        var ordered = keys.OrderBy(static k => k.Generation).ToArray();
        var entries = new Entry[ordered.Length];
        for (var i = 0; i < ordered.Length; i++)
        {
            var key = ordered[i];
            var end = key.Expires;
            for (var j = i + 1; j < ordered.Length; j++)
            {
                var takeOver = ordered[j].Activates > key.Activates ? ordered[j].Activates : key.Activates;
                if (takeOver < end)
                {
                    end = takeOver;
                }
            }

            entries[i] = new Entry(key, end, end + retention);
        }

        return entries;
    }

    /// <summary>The signing windows, earliest first: every key that signs for a while.</summary>
    public static List<SigningWindow> Windows(IReadOnlyList<Entry> schedule) =>
        schedule.Where(static e => e.End > e.Key.Activates)
            .OrderBy(static e => e.Key.Activates)
            .Select(static e => new SigningWindow(e.Key.Key, e.Key.Activates, e.End))
            .ToList();

    /// <summary>Whether some key signs at <paramref name="now"/>.</summary>
    public static bool CanSign(IReadOnlyList<Entry> schedule, DateTimeOffset now) =>
        schedule.Any(e => e.State(now) == ManagedKeyState.Active);

    /// <summary>
    /// The times of the key to create now, or <see langword="null"/> when none is due: a key that signs at once when no
    /// key can sign now (an empty store, or every key past its end), else a successor when the newest key is active and
    /// within <paramref name="propagation"/> of its expiry, taking over exactly at that expiry.
    /// </summary>
    public static (DateTimeOffset Activates, DateTimeOffset Expires)? Due(IReadOnlyList<Entry> schedule, DateTimeOffset now, TimeSpan rotation, TimeSpan propagation)
    {
        if (!CanSign(schedule, now))
        {
            return (now, now + rotation);
        }

        var newest = schedule[^1].Key;
        if (newest.Activates <= now && now >= newest.Expires - propagation)
        {
            return (newest.Expires, newest.Expires + rotation);
        }

        return null;
    }

    /// <summary>One key with its end of signing and the end of its publication.</summary>
    internal sealed class Entry
    {
        public Entry(ManagedKey key, DateTimeOffset end, DateTimeOffset publishedUntil)
        {
            Key = key;
            End = end;
            PublishedUntil = publishedUntil;
        }

        public ManagedKey Key { get; }

        /// <summary>Gets when the key stops signing (its own expiry, or a newer key's activation).</summary>
        public DateTimeOffset End { get; }

        /// <summary>Gets when the key leaves the JWKS and the store.</summary>
        public DateTimeOffset PublishedUntil { get; }

        public ManagedKeyState State(DateTimeOffset now) =>
            now >= PublishedUntil ? ManagedKeyState.Expired
            : now >= End ? ManagedKeyState.Retired
            : now >= Key.Activates ? ManagedKeyState.Active
            : ManagedKeyState.Announced;
    }
}
