using System;
using System.Buffers;
using System.Runtime.CompilerServices;
using System.Text.Json;

namespace ScopeClaims.Internal;

/// <summary>
/// Refuses JSON that two parsers could read differently: duplicate property names at any level (compared after
/// unescaping, so <c>"alg"</c> and <c>"\u0061lg"</c> collide), nesting beyond a limit, trailing content. Runs on the
/// platform's <see cref="Utf8JsonReader"/>, with names kept in pooled buffers rather than per-object sets.
/// </summary>
internal static class JsonGuard
{
    public enum Verdict
    {
        Ok,
        NotAnObject,
        Malformed,
        DuplicateKey,
        TooDeep,
    }

    // Note: below these sizes the scratch buffers live on the stack; a header or a typical payload never needs the pool.
    private const int StackBytes = 1024;
    private const int StackInts = 64;

    [SkipLocalsInit]
    public static Verdict Check(ReadOnlySpan<byte> utf8Json, int maxDepth)
    {
        // Note: unescaped names never exceed the escaped input, so one scratch buffer of its size holds them all.
        byte[]? rentedScratch = null;
        int[]? rentedLevels = null;
        int[]? rentedNames = null;
        var scratch = utf8Json.Length <= StackBytes ? stackalloc byte[StackBytes] : (rentedScratch = ArrayPool<byte>.Shared.Rent(utf8Json.Length));
        var levels = maxDepth + 2 <= StackInts ? stackalloc int[StackInts] : (rentedLevels = ArrayPool<int>.Shared.Rent(maxDepth + 2));
        Span<int> names = stackalloc int[StackInts];
        try
        {
            return Scan(utf8Json, maxDepth, scratch, levels, names, ref rentedNames);
        }
        finally
        {
            Return(rentedScratch);
            Return(rentedLevels);
            Return(rentedNames);
        }
    }

    private static void Return<T>(T[]? rented)
    {
        if (rented is not null)
        {
            ArrayPool<T>.Shared.Return(rented);
        }
    }

    private static Verdict Scan(ReadOnlySpan<byte> utf8Json, int maxDepth, Span<byte> scratch, Span<int> levels, Span<int> names, ref int[]? rentedNames)
    {
        // names holds (offset, length) pairs into scratch; levels[d] is where the names of the open container at depth d start.
        var reader = new Utf8JsonReader(utf8Json, new JsonReaderOptions { MaxDepth = maxDepth + 1 });
        var used = 0;
        var count = 0;
        var depth = 0;
        try
        {
            if (!reader.Read() || reader.TokenType != JsonTokenType.StartObject)
            {
                return Verdict.NotAnObject;
            }

            levels[0] = 0;
            depth = 1;
            while (reader.Read())
            {
                switch (reader.TokenType)
                {
                    case JsonTokenType.StartObject:
                    case JsonTokenType.StartArray:
                        if (reader.CurrentDepth >= maxDepth)
                        {
                            return Verdict.TooDeep;
                        }

                        levels[depth++] = count;
                        break;
                    case JsonTokenType.EndObject:
                    case JsonTokenType.EndArray:
                        count = levels[--depth];
                        used = count == 0 ? 0 : names[(2 * count) - 2] + names[(2 * count) - 1];
                        break;
                    case JsonTokenType.PropertyName:
                        var length = reader.CopyString(scratch[used..]);
                        var name = scratch.Slice(used, length);
                        for (var i = levels[depth - 1]; i < count; i++)
                        {
                            if (name.SequenceEqual(scratch.Slice(names[2 * i], names[(2 * i) + 1])))
                            {
                                return Verdict.DuplicateKey;
                            }
                        }

                        if ((2 * count) + 2 > names.Length)
                        {
                            var larger = ArrayPool<int>.Shared.Rent(names.Length * 2);
                            names[..(2 * count)].CopyTo(larger);
                            Return(rentedNames);
                            names = rentedNames = larger;
                        }

                        names[2 * count] = used;
                        names[(2 * count) + 1] = length;
                        count++;
                        used += length;
                        break;
                }
            }

            return depth == 0 ? Verdict.Ok : Verdict.Malformed;
        }
        catch (JsonException)
        {
            return reader.CurrentDepth >= maxDepth ? Verdict.TooDeep : Verdict.Malformed;
        }
        catch (InvalidOperationException)
        {
            return Verdict.Malformed;
        }
    }
}
