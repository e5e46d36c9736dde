using System;
using System.Collections.Generic;
using System.Text.Json;

namespace ScopeClaims.Internal;

/// <summary>
/// Refuses JSON that two parsers could read differently: duplicate property names at any level, nesting beyond a
/// limit, trailing content. Runs on the platform's <see cref="Utf8JsonReader"/>.
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
        // Note: the reader enforces MaxDepth itself; +1 so that our own depth check reports it first and precisely.
        var reader = new Utf8JsonReader(utf8Json, new JsonReaderOptions { MaxDepth = maxDepth + 1 });
        var names = new Stack<HashSet<string>?>();
        try
        {
            if (!reader.Read() || reader.TokenType != JsonTokenType.StartObject)
            {
                return Verdict.NotAnObject;
            }

            names.Push(null);
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

                        names.Push(null);
                        break;
                    case JsonTokenType.EndObject:
                    case JsonTokenType.EndArray:
                        names.Pop();
                        break;
                    case JsonTokenType.PropertyName:
                        var set = names.Pop() ?? new HashSet<string>(StringComparer.Ordinal);
                        if (!set.Add(reader.GetString()!))
                        {
                            return Verdict.DuplicateKey;
                        }

                        names.Push(set);
                        break;
                }
            }

            return names.Count == 0 ? Verdict.Ok : Verdict.Malformed;
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
