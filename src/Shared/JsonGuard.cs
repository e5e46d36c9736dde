using System;
using System.Buffers;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Text.Json;

namespace ScopeClaims.Internal;

/// <summary>
/// Sees each property of the top-level object while <see cref="JsonGuard"/> scans it, so that one reader pass both
/// guards the JSON and reads what the caller needs from it.
/// </summary>
internal interface IJsonPropertyVisitor
{
    /// <summary>
    /// Called for each property of the top-level object, in order, with its unescaped name; <paramref name="reader"/> is
    /// on the property name. The value is read on a copy of the reader; the guard goes on scanning it either way.
    /// An implementation records what it finds and never throws: the guard's verdict comes first.
    /// </summary>
    void Property(ReadOnlySpan<byte> name, in Utf8JsonReader reader);
}

/// <summary>
/// Refuses JSON that two parsers could read differently: duplicate property names at any level (compared after
/// unescaping, so <c>"alg"</c> and <c>"\u0061lg"</c> collide), nesting beyond a limit, trailing content, and escaped
/// lone surrogates (<c>"\uD800"</c>) in any string or name at any depth. Runs on the
/// platform's <see cref="Utf8JsonReader"/>; names are compared where they lie in the input, and only escaped names are
/// unescaped, into one scratch buffer.
/// </summary>
/// <remarks>
/// Names are compared as UTF-8 bytes, which equals comparing strings only for valid UTF-8: the caller checks the input
/// with <see cref="System.Text.Unicode.Utf8.IsValid(ReadOnlySpan{byte})"/> first.
/// </remarks>
internal static class JsonGuard
{
    public enum Verdict
    {
        Ok,
        NotAnObject,
        Malformed,
        DuplicateKey,
        TooDeep,

        /// <summary>A string or property name escapes a lone surrogate (<c>"\uD800"</c>): not valid Unicode.</summary>
        InvalidString,
    }

    // Note: below these sizes the scratch buffers live on the stack; a header or a typical payload never needs the pool.
    private const int StackBytes = 1024;
    private const int StackInts = 64;

    [SkipLocalsInit]
    public static Verdict Check<TVisitor>(ReadOnlySpan<byte> utf8Json, int maxDepth, ref TVisitor visitor)
        where TVisitor : struct, IJsonPropertyVisitor
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
            return Scan(utf8Json, maxDepth, scratch, levels, names, ref rentedNames, ref visitor);
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
            // Note: cleared, so that names from a decrypted token never reach the pool's next renter.
            ArrayPool<T>.Shared.Return(rented, clearArray: true);
        }
    }

    private static Verdict Scan<TVisitor>(ReadOnlySpan<byte> utf8Json, int maxDepth, Span<byte> scratch, Span<int> levels, Span<int> names, ref int[]? rentedNames, ref TVisitor visitor)
        where TVisitor : struct, IJsonPropertyVisitor
    {
        // names holds (start, length) pairs: start >= 0 is an offset into the input (a name without escapes, compared
        // where it lies), start < 0 is ~offset into scratch (an unescaped copy). levels[d] is where the names of the
        // open container at depth d start.
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
                        break;
                    case JsonTokenType.String when reader.ValueIsEscaped:
                        // Note: unescaped into the free end of scratch and dropped; only an escape can yield a lone
                        // surrogate (the caller checked the raw input is valid UTF-8), and unescaping one throws.
                        if (!IsUnicode(ref reader, scratch[used..]))
                        {
                            return Verdict.InvalidString;
                        }

                        break;
                    case JsonTokenType.PropertyName:
                        int start;
                        ReadOnlySpan<byte> name;
                        if (reader.ValueIsEscaped)
                        {
                            if (!IsUnicode(ref reader, scratch[used..]))
                            {
                                return Verdict.InvalidString;
                            }

                            var length = reader.CopyString(scratch[used..]);
                            name = scratch.Slice(used, length);
                            start = ~used;
                            used += length;
                        }
                        else
                        {
                            name = reader.ValueSpan;
                            start = (int)Unsafe.ByteOffset(ref MemoryMarshal.GetReference(utf8Json), ref MemoryMarshal.GetReference(name));
                        }

                        for (var i = levels[depth - 1]; i < count; i++)
                        {
                            if (names[(2 * i) + 1] == name.Length && name.SequenceEqual(NameAt(utf8Json, scratch, names[2 * i], name.Length)))
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

                        names[2 * count] = start;
                        names[(2 * count) + 1] = name.Length;
                        count++;
                        if (depth == 1)
                        {
                            visitor.Property(name, in reader);
                        }

                        break;
                }
            }

            return depth == 0 ? Verdict.Ok : Verdict.Malformed;
        }
        catch (JsonException)
        {
            // Note: never the reader's own depth limit (one above maxDepth; the loop refuses nesting first), so malformed,
            // at whatever depth the error lies.
            return Verdict.Malformed;
        }
        catch (InvalidOperationException)
        {
            return Verdict.Malformed;
        }
    }

    private static bool IsUnicode(ref Utf8JsonReader reader, Span<byte> scratch)
    {
        try
        {
            _ = reader.CopyString(scratch);
            return true;
        }
        catch (InvalidOperationException)
        {
            return false;
        }
    }

    private static ReadOnlySpan<byte> NameAt(ReadOnlySpan<byte> input, ReadOnlySpan<byte> scratch, int start, int length) =>
        start >= 0 ? input.Slice(start, length) : scratch.Slice(~start, length);
}
