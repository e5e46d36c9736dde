using System;
using System.Buffers;
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

    public static Verdict Check(ReadOnlySpan<byte> utf8Json, int maxDepth)
    {
        // Note: unescaped names never exceed the escaped input, so one scratch buffer of its size holds them all.
        var scratch = ArrayPool<byte>.Shared.Rent(Math.Max(utf8Json.Length, 16));
        var names = ArrayPool<int>.Shared.Rent(64);
        var levels = ArrayPool<int>.Shared.Rent(maxDepth + 2);
        try
        {
            return Scan(utf8Json, maxDepth, scratch, ref names, levels);
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(scratch);
            ArrayPool<int>.Shared.Return(names);
            ArrayPool<int>.Shared.Return(levels);
        }
    }

    private static Verdict Scan(ReadOnlySpan<byte> utf8Json, int maxDepth, byte[] scratch, ref int[] names, int[] levels)
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
                        var length = reader.CopyString(scratch.AsSpan(used));
                        var name = scratch.AsSpan(used, length);
                        for (var i = levels[depth - 1]; i < count; i++)
                        {
                            if (name.SequenceEqual(scratch.AsSpan(names[2 * i], names[(2 * i) + 1])))
                            {
                                return Verdict.DuplicateKey;
                            }
                        }

                        if ((2 * count) + 2 > names.Length)
                        {
                            var larger = ArrayPool<int>.Shared.Rent(names.Length * 2);
                            names.AsSpan(0, 2 * count).CopyTo(larger);
                            ArrayPool<int>.Shared.Return(names);
                            names = larger;
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
