using System;
using System.Buffers.Binary;
using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Security.Cryptography;
using System.Threading;

namespace ScopeClaims.Internal;

/// <summary>
/// Hashing and reuse of scope strings. A service sees the same few scopes in every token, so the strings made for
/// them are kept in a small fixed table and handed out again when the same characters come back, instead of
/// allocating a new string per scope per token.
/// </summary>
/// <remarks>
/// The table is bounded (<see cref="Slots"/> entries of at most <see cref="MaxLength"/> characters), so input cannot
/// grow it; a scope that keeps coming takes over its slot after a few misses there. Entries are immutable strings
/// compared in full before reuse, so a collision or a race costs at most an allocation, never a wrong result. The hash
/// is seeded per process, so inputs cannot be chosen offline to collide.
/// </remarks>
internal static class ScopeStrings
{
    /// <summary>Slots in the table: 2^<see cref="SlotBits"/>.</summary>
    public const int Slots = 1 << SlotBits;

    private const int SlotBits = 10;
    private const int ReplaceAfter = 16;

    /// <summary>Longer scopes are not kept (bounds the table's memory to about 280 KB).</summary>
    public const int MaxLength = 128;

    private const ulong K1 = 0x9E3779B97F4A7C15UL;
    private const ulong K2 = 0xC2B2AE3D27D4EB4FUL;
    private const ulong K3 = 0xFF51AFD7ED558CCDUL;

    private static readonly ulong Seed = BinaryPrimitives.ReadUInt64LittleEndian(RandomNumberGenerator.GetBytes(8));
    private static readonly string?[] Table = new string?[Slots];

    // Note: the hash of each kept string, a filter only (written apart from the string, so a racing reader may see a
    // hash that does not match; the full comparison decides).
    private static readonly int[] Hashes = new int[Slots];

    // Note: misses per slot since it last served; racy increments only make a replacement a little earlier or later.
    private static readonly byte[] Misses = new byte[Slots];

    /// <summary>A seeded 32-bit hash of the characters (two multiply lanes over 8-byte reads, then a final mix).</summary>
    public static int Hash(ReadOnlySpan<char> value)
    {
        // Note: unaligned reads straight off the characters; every read stays inside the span (checked by the lengths).
        ref var p = ref Unsafe.As<char, byte>(ref MemoryMarshal.GetReference(value));
        var left = (nuint)value.Length * 2;
        var a = Seed;
        var b = Seed ^ K2 ^ left;
        for (; left >= 16; left -= 16, p = ref Unsafe.Add(ref p, 16))
        {
            a = (a ^ Unsafe.ReadUnaligned<ulong>(ref p)) * K1;
            b = (b ^ Unsafe.ReadUnaligned<ulong>(ref Unsafe.Add(ref p, 8))) * K2;
        }

        if (left >= 8)
        {
            a = (a ^ Unsafe.ReadUnaligned<ulong>(ref p)) * K1;
            p = ref Unsafe.Add(ref p, 8);
            left -= 8;
        }

        if (left >= 4)
        {
            b = (b ^ Unsafe.ReadUnaligned<uint>(ref p)) * K2;
            p = ref Unsafe.Add(ref p, 4);
            left -= 4;
        }

        if (left >= 2)
        {
            a = (a ^ Unsafe.ReadUnaligned<ushort>(ref p)) * K1;
        }

        var h = a ^ BitOperations.RotateLeft(b, 29);
        h ^= h >> 32;
        h *= K3;
        h ^= h >> 29;
        return (int)h;
    }

    /// <summary>The string for <paramref name="value"/>: the kept one when it holds the same characters, else a new one (then kept).</summary>
    /// <param name="value">The scope's characters.</param>
    /// <param name="hash">Its <see cref="Hash"/>.</param>
    /// <param name="source">The string <paramref name="value"/> was cut from, if any.</param>
    /// <param name="start">Where in <paramref name="source"/>.</param>
    public static string Get(ReadOnlySpan<char> value, int hash, string? source, int start)
    {
        if (value.Length > MaxLength)
        {
            return Create(value, source, start);
        }

        // Note: the slot comes from the hash's top bits; the parser's probing uses its low bits.
        var index = (int)((uint)hash >> (32 - SlotBits));
        ref var slot = ref Table[index];
        var kept = Volatile.Read(ref slot);

        // Note: the kept string is only touched when its hash matches, so a miss costs no read of a cold string.
        if (kept is not null && Hashes[index] == hash && value.SequenceEqual(kept))
        {
            if (Misses[index] != 0)
            {
                Misses[index] = 0;
            }

            return kept;
        }

        // Note: a miss replaces the kept string only when the slot is empty or has missed ReplaceAfter times since
        // it last served: storing young strings in this long-lived table costs the GC (they survive and are promoted),
        // so a stream of never-repeated scopes must not churn it, while a scope that keeps coming still gets a slot.
        var created = Create(value, source, start);
        ref var misses = ref Misses[index];
        if (kept is null || ++misses >= ReplaceAfter)
        {
            misses = 0;
            Hashes[index] = hash;
            Volatile.Write(ref slot, created);
        }

        return created;
    }

    private static string Create(ReadOnlySpan<char> value, string? source, int start) =>
        source is null ? new string(value) : source.Substring(start, value.Length);
}
