using System.Text;
using System.Text.Json;
using ScopeClaims.Internal;

namespace ScopeClaims.Tests.Internal;

/// <summary>
/// <c>src/Shared/JsonGuard.cs</c> as compiled into the core package, called directly: each verdict, the duplicate-name
/// bookkeeping across levels, escapes and grown buffers, the depth limit at its edge, and what the visitor sees.
/// </summary>
public class JsonGuardTests
{
    private const int Depth = 64;

    private static JsonGuard.Verdict Check(string json, int maxDepth = Depth)
    {
        var visitor = new NameRecorder([]);
        return JsonGuard.Check(Encoding.UTF8.GetBytes(json), maxDepth, ref visitor);
    }

    private static string Nested(int objects) =>
        new StringBuilder().Insert(0, "{\"a\":", objects - 1).Append("{}").Append('}', objects - 1).ToString();

    private static string Members(int count, string last) =>
        "{" + string.Join(',', Enumerable.Range(0, count).Select(i => $"\"n{i}\":{i}")) + $",\"{last}\":0}}";

    [Theory]
    [InlineData("{}")]
    [InlineData("{\"a\":1,\"b\":[1,\"x\",null,true],\"c\":{\"d\":{}}}")]
    [InlineData("  {\"a\":1}  ")]
    public void Check_PlainObject_IsOk(string json) => Assert.Equal(JsonGuard.Verdict.Ok, Check(json));

    [Theory]
    [InlineData("[]")]
    [InlineData("[{\"a\":1}]")]
    [InlineData("\"a\"")]
    [InlineData("1")]
    [InlineData("null")]
    public void Check_TopLevelNotAnObject_IsNotAnObject(string json) => Assert.Equal(JsonGuard.Verdict.NotAnObject, Check(json));

    [Theory]
    [InlineData("")]
    [InlineData("{")]
    [InlineData("{\"a\":1")]
    [InlineData("{\"a\":}")]
    [InlineData("{} x")]
    [InlineData("{}{}")]
    [InlineData("{\"a\":1,}")]
    [InlineData("{'a':1}")]
    public void Check_NotJson_IsMalformed(string json) => Assert.Equal(JsonGuard.Verdict.Malformed, Check(json));

    [Theory]
    [InlineData("{\"a\":1,\"a\":2}")]
    [InlineData("{\"alg\":1,\"\\u0061lg\":2}")]
    [InlineData("{\"\\u0061lg\":1,\"alg\":2}")]
    [InlineData("{\"\\u0061lg\":1,\"\\u0061\\u006cg\":2}")]
    [InlineData("{\"\\u0062\":1,\"\\u0061lg\":1,\"alg\":2}")]
    [InlineData("{\"x\":{\"a\":1,\"a\":2}}")]
    [InlineData("{\"x\":[{\"a\":1,\"a\":2}]}")]
    [InlineData("{\"a\":1,\"x\":{\"b\":1},\"a\":2}")]
    [InlineData("{\"a\":1,\"x\":[{\"b\":1},{\"c\":2}],\"a\":2}")]
    [InlineData("{\"x\":{\"a\":1,\"y\":{\"b\":1},\"a\":2}}")]
    public void Check_DuplicateName_IsDuplicateKey(string json) => Assert.Equal(JsonGuard.Verdict.DuplicateKey, Check(json));

    [Theory]
    [InlineData("{\"a\":{\"a\":1}}")]
    [InlineData("{\"x\":{\"a\":1},\"y\":{\"a\":1}}")]
    [InlineData("{\"x\":[{\"a\":1},{\"a\":1}]}")]
    [InlineData("{\"x\":{\"a\":1},\"a\":2}")]
    [InlineData("{\"ab\":1,\"a\":2,\"abc\":3,\"b\":4}")]
    [InlineData("{\"\\u0061b\":1,\"\\u0061\":2,\"b\":3}")]
    [InlineData("{\"a\":\"a\",\"b\":\"a\"}")]
    public void Check_SameNameInAnotherObject_IsOk(string json) => Assert.Equal(JsonGuard.Verdict.Ok, Check(json));

    [Theory]
    [InlineData(40)]
    [InlineData(100)]
    public void Check_DuplicateAfterManyNames_IsDuplicateKey(int count)
    {
        Assert.Equal(JsonGuard.Verdict.Ok, Check(Members(count, "last")));
        Assert.Equal(JsonGuard.Verdict.DuplicateKey, Check(Members(count, "n0")));
        Assert.Equal(JsonGuard.Verdict.DuplicateKey, Check(Members(count, $"n{count - 1}")));
        Assert.Equal(JsonGuard.Verdict.DuplicateKey, Check(Members(count, "n\\u0030")));
    }

    [Fact]
    public void Check_ManyEscapedNamesInLargeInput_FindsTheDuplicate()
    {
        // Over 1,024 bytes of names once unescaped (the scratch buffer comes from the pool, sized by the input) and every
        // name escaped (each kept in scratch).
        var names = Enumerable.Range(0, 150).Select(i => $"\"\\u006eame-of-some-length-{i}\":{i}").ToList();
        var ok = "{" + string.Join(',', names) + "}";
        var duplicate = "{" + string.Join(',', names) + ",\"name-of-some-length-149\":0}";
        Assert.True(150 * "name-of-some-length-".Length > 2048);
        Assert.Equal(JsonGuard.Verdict.Ok, Check(ok));
        Assert.Equal(JsonGuard.Verdict.DuplicateKey, Check(duplicate));
    }

    [Theory]
    [InlineData(2)]
    [InlineData(5)]
    [InlineData(61)]
    [InlineData(62)]
    [InlineData(63)]
    [InlineData(64)]
    [InlineData(65)]
    [InlineData(66)]
    [InlineData(100)]
    public void Check_NestingAtTheLimit_IsOkAndOneMoreIsTooDeep(int maxDepth)
    {
        Assert.Equal(JsonGuard.Verdict.Ok, Check(Nested(maxDepth), maxDepth));
        Assert.Equal(JsonGuard.Verdict.TooDeep, Check(Nested(maxDepth + 1), maxDepth));
        Assert.Equal(JsonGuard.Verdict.TooDeep, Check(Nested(maxDepth + 20), maxDepth));
    }

    [Theory]
    [InlineData("{\"a\":{\"b\":x}}", 2)]
    [InlineData("{\"a\":[1,}]}", 2)]
    [InlineData("{\"a\":{\"b\":{\"c\":tru}}}", 3)]
    public void Check_MalformedAtTheDepthLimit_IsMalformedNotTooDeep(string json, int maxDepth) =>
        Assert.Equal(JsonGuard.Verdict.Malformed, Check(json, maxDepth));

    [Fact]
    public void Check_LargeInput_ReturnsItsScratchToThePoolCleared()
    {
        // The pool hands this thread the array it was last given for a size, so the array returned here is the one Check
        // rents for its scratch: filled first, it must come back cleared of the names Check unescaped into it.
        var json = Encoding.UTF8.GetBytes("{" + string.Join(',', Enumerable.Range(0, 100).Select(i => $"\"\\u0073ecret-name-{i}\":{i}")) + "}");
        var pooled = System.Buffers.ArrayPool<byte>.Shared.Rent(json.Length);
        pooled.AsSpan().Fill(0xAA);
        System.Buffers.ArrayPool<byte>.Shared.Return(pooled);
        var visitor = new NameRecorder([]);

        Assert.Equal(JsonGuard.Verdict.Ok, JsonGuard.Check(json, Depth, ref visitor));

        Assert.True(pooled.AsSpan().IndexOfAnyExcept((byte)0) < 0, "the scratch array went back to the pool holding data");
    }

    [Theory]
    [InlineData("levels")]
    [InlineData("names, grown once")]
    [InlineData("names, grown twice")]
    public void Check_GrownBookkeeping_GoesBackToThePoolCleared(string which)
    {
        // As above, for the int arrays: the depth bookkeeping of a limit over 62 levels, and the list of names grown past
        // the stack (once from 64 to 128 ints; twice, to 256, giving the 128 back during the scan).
        var (json, maxDepth, size) = which switch
        {
            "levels" => ("{\"a\":" + new string('[', 98) + new string(']', 98) + "}", 100, 102),
            "names, grown once" => (Members(40, "last"), 10, 128),
            _ => (Members(100, "last"), 10, 128),
        };
        var pooled = System.Buffers.ArrayPool<int>.Shared.Rent(size);
        pooled.AsSpan().Fill(0x55);
        System.Buffers.ArrayPool<int>.Shared.Return(pooled);

        Assert.Equal(JsonGuard.Verdict.Ok, Check(json, maxDepth));

        Assert.True(pooled.AsSpan().IndexOfAnyExcept(0) < 0, "the array went back to the pool holding data");
    }

    [Fact]
    public void Check_ArraysCountTowardsDepth_IsTooDeep()
    {
        Assert.Equal(JsonGuard.Verdict.Ok, Check("{\"a\":[[1]]}", 3));
        Assert.Equal(JsonGuard.Verdict.TooDeep, Check("{\"a\":[[[1]]]}", 3));
    }

    [Fact]
    public void Check_DeepNestingThenDuplicateAtTopLevel_IsDuplicateKey()
    {
        // The names of each open level are dropped when it closes: the top level's names are still compared after.
        var json = "{\"a\":1,\"x\":" + Nested(60) + ",\"b\":2,\"a\":3}";
        Assert.Equal(JsonGuard.Verdict.DuplicateKey, Check(json, 100));
        Assert.Equal(JsonGuard.Verdict.Ok, Check(json.Replace(",\"a\":3", string.Empty, StringComparison.Ordinal), 100));
    }

    [Theory]
    [InlineData("{\"a\":\"\\uD800\"}")]
    [InlineData("{\"a\":\"x\\uDC00y\"}")]
    [InlineData("{\"a\":[\"ok\",\"\\uDBFF\"]}")]
    [InlineData("{\"a\":{\"b\":\"\\uD83D\\u0041\"}}")]
    [InlineData("{\"\\uD800\":1}")]
    [InlineData("{\"x\":{\"\\uDFFF\":1}}")]
    public void Check_EscapedLoneSurrogate_IsInvalidString(string json) => Assert.Equal(JsonGuard.Verdict.InvalidString, Check(json));

    [Theory]
    [InlineData("{\"a\":\"\\uD83D\\uDE00\"}")]
    [InlineData("{\"\\uD83D\\uDE00\":\"\\u0041\\n\"}")]
    [InlineData("{\"a\":\"\u00e9\ud83d\ude00\"}")]
    public void Check_EscapedValidText_IsOk(string json) => Assert.Equal(JsonGuard.Verdict.Ok, Check(json));

    [Fact]
    public void Check_Visitor_SeesTopLevelNamesUnescapedInOrder()
    {
        var visitor = new NameRecorder([]);
        var json = "{\"a\":{\"b\":1,\"c\":[{\"d\":2}]},\"\\u0065\":\"v\",\"f\":3}"u8;
        Assert.Equal(JsonGuard.Verdict.Ok, JsonGuard.Check(json, Depth, ref visitor));
        Assert.Equal(["a:StartObject", "e:String", "f:Number"], visitor.Seen);
    }

    private readonly struct NameRecorder(List<string> seen) : IJsonPropertyVisitor
    {
        public List<string> Seen { get; } = seen;

        public void Property(ReadOnlySpan<byte> name, in Utf8JsonReader reader)
        {
            var copy = reader;
            copy.Read();
            Seen.Add($"{Encoding.UTF8.GetString(name)}:{copy.TokenType}");
        }
    }
}
