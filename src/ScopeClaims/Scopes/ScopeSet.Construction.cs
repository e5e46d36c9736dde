using System;
using System.Collections.Generic;
using ScopeClaims.Internal;

namespace ScopeClaims;

// How a set is made from checked elements: duplicates removed in place, keeping first appearances.
public sealed partial class ScopeSet
{
    // Above this many elements, de-duplication uses a hash set instead of a linear scan.
    private const int LinearDedupLimit = 16;

    /// <summary>Creates a set from elements already checked against the grammar and limits; removes duplicates.</summary>
    internal static ScopeSet FromValidated(List<string> scopes, string? joined) =>
        scopes.Count == 0 ? Empty : FromArray(scopes.ToArray(), joined);

    /// <summary>Creates a set that owns <paramref name="scopes"/>: checked, distinct elements.</summary>
    internal static ScopeSet FromDistinct(string[] scopes, string? joined) => new(scopes, joined);

    /// <summary>Creates a set that owns <paramref name="scopes"/> (checked elements); removes duplicates in place, keeping first appearances.</summary>
    internal static ScopeSet FromArray(string[] scopes, string? joined)
    {
        var distinct = scopes.Length <= LinearDedupLimit ? DedupLinear(scopes) : DedupHashed(scopes);
        if (distinct != scopes.Length)
        {
            Array.Resize(ref scopes, distinct);
            joined = null;
        }

        return new ScopeSet(scopes, joined);
    }

    private static int DedupLinear(string[] scopes)
    {
        var kept = 0;
        for (var i = 0; i < scopes.Length; i++)
        {
            if (Array.IndexOf(scopes, scopes[i], 0, kept) < 0)
            {
                scopes[kept++] = scopes[i];
            }
        }

        return kept;
    }

    private static int DedupHashed(string[] scopes)
    {
        // Note: an open-addressing table of indices from the shared pool, so large sets de-duplicate in linear time
        // without allocating a HashSet.
        var size = (int)System.Numerics.BitOperations.RoundUpToPowerOf2((uint)scopes.Length * 2);
        var table = System.Buffers.ArrayPool<int>.Shared.Rent(size);
        try
        {
            Array.Clear(table, 0, size);
            var mask = size - 1;
            var kept = 0;
            for (var i = 0; i < scopes.Length; i++)
            {
                var scope = scopes[i];
                var slot = ScopeStrings.Hash(scope) & mask;
                while (true)
                {
                    var entry = table[slot];
                    if (entry == 0)
                    {
                        scopes[kept] = scope;
                        table[slot] = ++kept;
                        break;
                    }

                    if (string.Equals(scopes[entry - 1], scope, StringComparison.Ordinal))
                    {
                        break;
                    }

                    slot = (slot + 1) & mask;
                }
            }

            return kept;
        }
        finally
        {
            System.Buffers.ArrayPool<int>.Shared.Return(table);
        }
    }
}
