using ScopeClaims;

namespace ScopeClaims.Tests.Scopes;

public class ScopeSetTests
{
    [Theory]
    [InlineData("read:a write:b", new[] { "read:a", "write:b" })]
    [InlineData("  read:a   write:b  ", new[] { "read:a", "write:b" })]
    [InlineData("b a b a", new[] { "b", "a" })]
    [InlineData("Read read", new[] { "Read", "read" })]
    [InlineData("2024-01-01", new[] { "2024-01-01" })]
    [InlineData("!#[]~", new[] { "!#[]~" })]
    [InlineData("", new string[0])]
    [InlineData("    ", new string[0])]
    public void Parse_ValidString_KeepsFirstAppearanceOrderWithoutDuplicates(string value, string[] expected)
    {
        var set = ScopeSet.Parse(value);

        Assert.Equal(expected, set.ToArray());
        Assert.Equal(expected.Length, set.Count);
    }

    [Theory]
    [InlineData("read\twrite", '\t')]
    [InlineData("read\nwrite", '\n')]
    [InlineData("read\rwrite", '\r')]
    [InlineData("read\u00A0write", '\u00A0')]
    [InlineData("read\"write", '"')]
    [InlineData("read\\write", '\\')]
    [InlineData("read\u0001", '\u0001')]
    [InlineData("read\u007F", '\u007F')]
    [InlineData("lesen:ä", 'ä')]
    [InlineData("read\u2003write", '\u2003')]
    public void Parse_CharacterOutsideGrammar_IsRefusedNotSplit(string value, char bad)
    {
        var ex = Assert.Throws<ScopeFormatException>(() => ScopeSet.Parse(value));

        Assert.Equal(ScopeErrorReason.InvalidCharacter, ex.Reason);
        Assert.Contains($"U+{(int)bad:X4}", ex.Message, StringComparison.Ordinal);
        Assert.Contains("position", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Parse_OverTotalLength_IsRefusedBeforeSplitting()
    {
        var limits = new ScopeLimits { MaxTotalLength = 10 };

        var ex = Assert.Throws<ScopeFormatException>(() => ScopeSet.Parse("aaaa bbbb cc\t", limits));

        // The length is checked first: the tab beyond the limit is never reached.
        Assert.Equal(ScopeErrorReason.TooLong, ex.Reason);
    }

    [Fact]
    public void Parse_TooManyScopes_IsRefused()
    {
        var ex = Assert.Throws<ScopeFormatException>(() => ScopeSet.Parse("a b c d", new ScopeLimits { MaxScopes = 3 }));

        Assert.Equal(ScopeErrorReason.TooManyScopes, ex.Reason);
    }

    [Fact]
    public void Parse_ScopeTooLong_IsRefused()
    {
        var ex = Assert.Throws<ScopeFormatException>(() => ScopeSet.Parse("ok toolong", new ScopeLimits { MaxScopeLength = 5 }));

        Assert.Equal(ScopeErrorReason.ScopeTooLong, ex.Reason);
    }

    [Fact]
    public void Parse_DefaultLimits_AreSafeAndGenerous()
    {
        var many = string.Join(' ', Enumerable.Range(0, ScopeLimits.DefaultMaxScopes).Select(i => $"s{i}"));

        Assert.Equal(ScopeLimits.DefaultMaxScopes, ScopeSet.Parse(many).Count);
        Assert.Throws<ScopeFormatException>(() => ScopeSet.Parse(many + " extra"));
        Assert.Throws<ScopeFormatException>(() => ScopeSet.Parse(new string('a', ScopeLimits.DefaultMaxScopeLength + 1)));
        Assert.Throws<ScopeFormatException>(() => ScopeSet.Parse(new string('a', ScopeLimits.DefaultMaxTotalLength + 1)));
    }

    [Fact]
    public void Parse_Null_ThrowsArgumentNull()
    {
        Assert.Throws<ArgumentNullException>(() => ScopeSet.Parse(null!));
    }

    [Theory]
    [InlineData("a b", true)]
    [InlineData("a\tb", false)]
    [InlineData(null, false)]
    public void TryParse_ReportsValidity(string? value, bool expected)
    {
        Assert.Equal(expected, ScopeSet.TryParse(value, out var set));
        Assert.NotNull(set);
    }

    [Fact]
    public void Create_FromSequence_RemovesDuplicatesOrdinally()
    {
        var set = ScopeSet.Create(new[] { "a", "B", "a", "b" });

        Assert.Equal(new[] { "a", "B", "b" }, set.ToArray());
    }

    [Theory]
    [InlineData("write admin", ScopeErrorReason.ElementContainsSeparator)]
    [InlineData("", ScopeErrorReason.Empty)]
    [InlineData("tab\there", ScopeErrorReason.InvalidCharacter)]
    public void Create_InvalidElement_IsRefused(string element, ScopeErrorReason reason)
    {
        var ex = Assert.Throws<ScopeFormatException>(() => ScopeSet.Create("read", element));

        Assert.Equal(reason, ex.Reason);
    }

    [Fact]
    public void Create_NullElement_IsRefused()
    {
        var ex = Assert.Throws<ScopeFormatException>(() => ScopeSet.Create(new[] { "read", null! }));

        Assert.Equal(ScopeErrorReason.Empty, ex.Reason);
    }

    [Fact]
    public void Create_NullSequence_ThrowsArgumentNull()
    {
        Assert.Throws<ArgumentNullException>(() => ScopeSet.Create((IEnumerable<string>)null!));
    }

    [Fact]
    public void Create_OverLimits_IsRefused()
    {
        Assert.Equal(ScopeErrorReason.TooManyScopes, Assert.Throws<ScopeFormatException>(() => ScopeSet.Create(new[] { "a", "b", "c" }, new ScopeLimits { MaxScopes = 2 })).Reason);
        Assert.Equal(ScopeErrorReason.TooLong, Assert.Throws<ScopeFormatException>(() => ScopeSet.Create(new[] { "aaa", "bbb" }, new ScopeLimits { MaxTotalLength = 6 })).Reason);
    }

    [Fact]
    public void Equality_IgnoresOrder_RespectsCase()
    {
        var a = ScopeSet.Parse("read write");
        var b = ScopeSet.Parse("write read read");
        var c = ScopeSet.Parse("Read write");

        Assert.Equal(a, b);
        Assert.True(a == b);
        Assert.Equal(a.GetHashCode(), b.GetHashCode());
        Assert.NotEqual(a, c);
        Assert.True(a != c);
        Assert.False(a.Equals(null));
        Assert.False(a.Equals("read write"));
    }

    [Fact]
    public void ToString_IsSpaceDelimited_RoundTrips()
    {
        var set = ScopeSet.Create("read:a", "write:b");

        Assert.Equal("read:a write:b", set.ToString());
        Assert.Equal(set, ScopeSet.Parse(set.ToString()));
        Assert.Equal(string.Empty, ScopeSet.Empty.ToString());
    }

    [Fact]
    public void ToArray_ReturnsACopy()
    {
        var set = ScopeSet.Parse("a b");
        var array = set.ToArray();
        array[0] = "changed";

        Assert.Equal("a", set[0]);
    }

    [Fact]
    public void SetOperations_TwoOverlappingSets_AreCaseSensitiveAndKeepSourceOrder()
    {
        var source = ScopeSet.Parse("a b c");
        var allow = ScopeSet.Parse("c a x");

        Assert.Equal(new[] { "a", "c" }, source.Intersect(allow).ToArray());
        Assert.Equal(new[] { "a", "b", "c", "x" }, source.Union(allow).ToArray());
        Assert.True(ScopeSet.Parse("a c").IsSubsetOf(source));
        Assert.False(allow.IsSubsetOf(source));
        Assert.True(source.Contains("b"));
        Assert.False(source.Contains("B"));
        Assert.Same(ScopeSet.Empty, source.Intersect(ScopeSet.Parse("z")));
    }

    [Fact]
    public void LargeSet_DeduplicatesWithHashing()
    {
        var scopes = Enumerable.Range(0, 200).Select(i => $"s{i % 100}").ToArray();

        var set = ScopeSet.Create(scopes);

        Assert.Equal(100, set.Count);
        Assert.Equal("s0", set[0]);
        Assert.Equal("s99", set[99]);
    }

    [Theory]
    [InlineData("read", true)]
    [InlineData("read write", false)]
    [InlineData("", false)]
    [InlineData(null, false)]
    [InlineData("é", false)]
    public void IsValidScope_FollowsGrammar(string? scope, bool expected)
    {
        Assert.Equal(expected, ScopeSet.IsValidScope(scope));
    }

    [Fact]
    public void ArgumentValidation_NullArguments_Throw()
    {
        var set = ScopeSet.Parse("a");
        Assert.Throws<ArgumentNullException>(() => set.Contains(null!));
        Assert.Throws<ArgumentNullException>(() => set.IsSubsetOf(null!));
        Assert.Throws<ArgumentNullException>(() => set.Intersect(null!));
        Assert.Throws<ArgumentNullException>(() => set.Union(null!));
    }
}
