using ScopeClaims;
using ScopeClaims.Testing;

namespace ScopeClaims.Testing.Tests.Assertions;

public class ScopeAssertionTests
{
    [Theory]
    [InlineData("""{"scope":["a","b"]}""")]
    [InlineData("""{"scope":["b","a"]}""")]
    public void HasScopeArray_SameScopesInAnyOrder_Passes(string payload)
    {
        var assertions = ScopeTokenAssert.That(Tokens.Make(payload));

        Assert.Same(assertions, assertions.HasScopeArray("a", "b"));
        Assert.Same(assertions, assertions.HasScopeArray("scope", ScopeSet.Parse("b a")));
        Assert.Same(assertions, assertions.HasScopeArrayContaining("b"));
        Assert.Same(assertions, assertions.HasScopeArrayContaining("scope", ScopeSet.Parse("a b")));
    }

    [Fact]
    public void HasScopeArray_OneScope_PassesOnlyForAnArray()
    {
        ScopeTokenAssert.That(Tokens.Make("""{"scope":["x"]}""")).HasScopeArray("x");

        Tokens.Fails(Tokens.Make("""{"scope":"x"}"""), a => a.HasScopeArray("x"));
    }

    [Fact]
    public void HasScopeArray_EmptyArray_PassesWithNoScopes()
    {
        ScopeTokenAssert.That(Tokens.Make("""{"scope":[]}""")).HasScopeArray().HasScopeArrayContaining();
    }

    [Fact]
    public void HasScopeArray_CustomClaim_ChecksThatClaim()
    {
        ScopeTokenAssert.That(Tokens.Make("""{"scope":"a b","scp":["a","b"]}"""))
            .HasScopeArray(ScopeClaimTypes.Scp, ScopeSet.Parse("a b"))
            .HasSpaceDelimitedScope("a", "b");
    }

    [Theory]
    [InlineData("""{"scope":"a b"}""")]
    [InlineData("""{"scope":"b a"}""")]
    public void HasSpaceDelimitedScope_SameScopesInAnyOrder_Passes(string payload)
    {
        ScopeTokenAssert.That(Tokens.Make(payload))
            .HasSpaceDelimitedScope("a", "b")
            .HasSpaceDelimitedScope("scope", ScopeSet.Parse("a b"))
            .HasSpaceDelimitedScopeContaining("a")
            .HasSpaceDelimitedScopeContaining("scope", ScopeSet.Parse("b"));
    }

    [Fact]
    public void HasSpaceDelimitedScope_EmptyString_FailsAsTheNormalizerRefusesIt()
    {
        var token = Tokens.Make("""{"scope":""}""");
        const string Problem = "claim 'scope' is an empty string, which holds no scope (RFC 6749 §3.3): omit the claim, or use an empty array, when there is no scope.";

        Assert.Equal($"HasSpaceDelimitedScope failed: {Problem}\nExpected: space-delimited string \"\"\nActual:   space-delimited string \"\"", Tokens.Fails(token, a => a.HasSpaceDelimitedScope()));
        Assert.StartsWith($"HasSpaceDelimitedScopeContaining failed: {Problem}\n", Tokens.Fails(token, a => a.HasSpaceDelimitedScopeContaining()), StringComparison.Ordinal);
        Assert.NotNull(ScopeTokenAssert.That(token).Inspection.ScopeError);
    }

    [Fact]
    public void DoesNotHaveClaim_Absent_Passes()
    {
        ScopeTokenAssert.That(Tokens.Make("""{"scope":["a"]}""")).DoesNotHaveClaim("scp").DoesNotHaveClaim("Scope");
    }

    [Theory]
    // Shape: the claim is there, in the other shape or none.
    [InlineData("HasScopeArray", """{"scope":"a b"}""",
        "HasScopeArray failed: claim 'scope' is not a JSON array of scopes.\nExpected: array [\"a\",\"b\"]\nActual:   space-delimited string \"a b\"")]
    [InlineData("HasScopeArray", """{"sub":"x"}""",
        "HasScopeArray failed: claim 'scope' is absent.\nExpected: array [\"a\",\"b\"]\nActual:   absent")]
    [InlineData("HasScopeArray", """{"scope":5}""",
        "HasScopeArray failed: claim 'scope' is not a JSON array of scopes.\nExpected: array [\"a\",\"b\"]\nActual:   a number 5")]
    [InlineData("HasScopeArray", """{"scope":["a",1]}""",
        "HasScopeArray failed: claim 'scope' is not a JSON array of scopes.\nExpected: array [\"a\",\"b\"]\nActual:   an array holding a number element [\"a\",1]")]
    [InlineData("HasScopeArrayContaining", """{"scope":{"a":"b"}}""",
        "HasScopeArrayContaining failed: claim 'scope' is not a JSON array of scopes.\nExpected: array containing [\"a\",\"b\"]\nActual:   an object {\"a\":\"b\"}")]
    [InlineData("HasSpaceDelimitedScope", """{"scope":["a","b"]}""",
        "HasSpaceDelimitedScope failed: claim 'scope' is not a space-delimited string of scopes.\nExpected: space-delimited string \"a b\"\nActual:   array [\"a\",\"b\"]")]
    [InlineData("HasSpaceDelimitedScopeContaining", """{"scope":null}""",
        "HasSpaceDelimitedScopeContaining failed: claim 'scope' is not a space-delimited string of scopes.\nExpected: space-delimited string containing \"a b\"\nActual:   null null")]
    [InlineData("HasSpaceDelimitedScopeContaining", """{}""",
        "HasSpaceDelimitedScopeContaining failed: claim 'scope' is absent.\nExpected: space-delimited string containing \"a b\"\nActual:   absent")]
    // Values: the right shape, other scopes.
    [InlineData("HasScopeArray", """{"scope":["a","c"]}""",
        "HasScopeArray failed: claim 'scope' holds other scopes (order is ignored).\nExpected: array [\"a\",\"b\"]\nActual:   array [\"a\",\"c\"]\nMissing:  [\"b\"]\nUnexpected: [\"c\"]")]
    [InlineData("HasScopeArray", """{"scope":["a","b","c"]}""",
        "HasScopeArray failed: claim 'scope' holds other scopes (order is ignored).\nExpected: array [\"a\",\"b\"]\nActual:   array [\"a\",\"b\",\"c\"]\nUnexpected: [\"c\"]")]
    [InlineData("HasScopeArray", """{"scope":[]}""",
        "HasScopeArray failed: claim 'scope' holds other scopes (order is ignored).\nExpected: array [\"a\",\"b\"]\nActual:   array []\nMissing:  [\"a\",\"b\"]")]
    [InlineData("HasScopeArrayContaining", """{"scope":["b","c"]}""",
        "HasScopeArrayContaining failed: claim 'scope' lacks scopes.\nExpected: array containing [\"a\",\"b\"]\nActual:   array [\"b\",\"c\"]\nMissing:  [\"a\"]")]
    [InlineData("HasSpaceDelimitedScope", """{"scope":"A b"}""",
        "HasSpaceDelimitedScope failed: claim 'scope' holds other scopes (order is ignored).\nExpected: space-delimited string \"a b\"\nActual:   space-delimited string \"A b\"\nMissing:  [\"a\"]\nUnexpected: [\"A\"]")]
    [InlineData("HasSpaceDelimitedScopeContaining", """{"scope":"c"}""",
        "HasSpaceDelimitedScopeContaining failed: claim 'scope' lacks scopes.\nExpected: space-delimited string containing \"a b\"\nActual:   space-delimited string \"c\"\nMissing:  [\"a\",\"b\"]")]
    // Hostile values: refused, not normalized away.
    [InlineData("HasScopeArray", """{"scope":["a","b c"]}""",
        "HasScopeArray failed: claim 'scope' holds a value that is not one RFC 6749 §3.3 scope: element at index 1 is empty or has a character outside %x21 / %x23-5B / %x5D-7E.\nExpected: array [\"a\",\"b\"]\nActual:   array [\"a\",\"b c\"]")]
    [InlineData("HasScopeArrayContaining", """{"scope":["a",""]}""",
        "element at index 1 is empty")]
    [InlineData("HasScopeArray", """{"scope":["a","b","a"]}""",
        "HasScopeArray failed: claim 'scope' holds the scope \"a\" more than once.\nExpected: array [\"a\",\"b\"]\nActual:   array [\"a\",\"b\",\"a\"]")]
    [InlineData("HasSpaceDelimitedScope", """{"scope":"a  b"}""",
        "HasSpaceDelimitedScope failed: claim 'scope' is not scopes joined by single spaces (RFC 6749 §3.3): it has leading, trailing or repeated spaces.\nExpected: space-delimited string \"a b\"\nActual:   space-delimited string \"a  b\"")]
    [InlineData("HasSpaceDelimitedScope", """{"scope":" a b"}""", "joined by single spaces")]
    [InlineData("HasSpaceDelimitedScopeContaining", """{"scope":"a b "}""", "joined by single spaces")]
    [InlineData("HasSpaceDelimitedScope", """{"scope":"a\tb"}""",
        "HasSpaceDelimitedScope failed: claim 'scope' holds a value that is not one RFC 6749 §3.3 scope: word at index 0 is empty or has a character outside %x21 / %x23-5B / %x5D-7E.\nExpected: space-delimited string \"a b\"\nActual:   space-delimited string \"a\\tb\"")]
    [InlineData("HasSpaceDelimitedScope", """{"scope":"a b\u00a0"}""", "word at index 1")]
    [InlineData("HasSpaceDelimitedScope", """{"scope":"b a b"}""", "holds the scope \"b\" more than once")]
    public void ScopeChecks_Failing_ShowExpectedAndActualShapeAndValues(string check, string payload, string expectedMessage)
    {
        var message = Tokens.Fails(Tokens.Make(payload), a => Run(check, a));

        Assert.Contains(expectedMessage, message, StringComparison.Ordinal);
    }

    [Fact]
    public void ScopeChecks_ExactMessage_HasNothingElse()
    {
        var message = Tokens.Fails(Tokens.Make("""{"scope":"a b"}"""), a => a.HasScopeArray("a", "b"));

        Assert.Equal("HasScopeArray failed: claim 'scope' is not a JSON array of scopes.\nExpected: array [\"a\",\"b\"]\nActual:   space-delimited string \"a b\"", message);
    }

    [Fact]
    public void ScopeChecks_CustomClaim_NamedInTheMessage()
    {
        var message = Tokens.Fails(Tokens.Make("""{"scope":["a"],"scp":"a"}"""), a => a.HasScopeArray("scp", ScopeSet.Parse("a")));

        Assert.StartsWith("HasScopeArray failed: claim 'scp' is not a JSON array of scopes.\nExpected: array [\"a\"]\nActual:   space-delimited string \"a\"", message, StringComparison.Ordinal);
    }

    [Fact]
    public void ScopeChecks_HugeClaim_ShortensTheActualValue()
    {
        var scopes = Enumerable.Range(0, 300).Select(i => $"scope:{i}").ToArray();
        var payload = $$"""{"scope":["{{string.Join("\",\"", scopes)}}"]}""";

        var message = Tokens.Fails(Tokens.Make(payload), a => a.HasScopeArray("a"));

        Assert.Contains("characters)", message, StringComparison.Ordinal);
        Assert.True(message.Length < 1200, message);
    }

    [Fact]
    public void ScopeChecks_OverTheDefaultLimits_Fail()
    {
        var scopes = Enumerable.Range(0, 257).Select(i => $"s{i}");
        var payload = $$"""{"scope":"{{string.Join(' ', scopes)}}"}""";

        var message = Tokens.Fails(Tokens.Make(payload), a => a.HasSpaceDelimitedScopeContaining("s1"));

        Assert.Contains("exceeds the default ScopeLimits", message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("""{"scp":["a"]}""", "scp", "DoesNotHaveClaim failed: claim 'scp' is present.\nExpected: absent\nActual:   array [\"a\"]")]
    [InlineData("""{"scope":"a b"}""", "scope", "DoesNotHaveClaim failed: claim 'scope' is present.\nExpected: absent\nActual:   space-delimited string \"a b\"")]
    [InlineData("""{"act":{"sub":"x"}}""", "act", "DoesNotHaveClaim failed: claim 'act' is present.\nExpected: absent\nActual:   an object {\"sub\":\"x\"}")]
    [InlineData("""{"n":null}""", "n", "DoesNotHaveClaim failed: claim 'n' is present.\nExpected: absent\nActual:   null null")]
    public void DoesNotHaveClaim_Present_ShowsTheClaim(string payload, string claim, string expectedMessage)
    {
        Assert.Equal(expectedMessage, Tokens.Fails(Tokens.Make(payload), a => a.DoesNotHaveClaim(claim)));
    }

    [Theory]
    [InlineData("a b")]
    [InlineData("")]
    [InlineData("a\"b")]
    public void ScopeChecks_InvalidExpectedScope_ThrowsScopeFormatException(string scope)
    {
        var assertions = ScopeTokenAssert.That(Tokens.Make("""{"scope":["a"]}"""));

        Assert.Throws<ScopeFormatException>(() => assertions.HasScopeArray(scope));
        Assert.Throws<ScopeFormatException>(() => assertions.HasScopeArrayContaining(scope));
        Assert.Throws<ScopeFormatException>(() => assertions.HasSpaceDelimitedScope(scope));
        Assert.Throws<ScopeFormatException>(() => assertions.HasSpaceDelimitedScopeContaining(scope));
    }

    [Fact]
    public void ScopeChecks_NullArguments_Throw()
    {
        var assertions = ScopeTokenAssert.That(Tokens.Make("""{"scope":["a"]}"""));

        Assert.Throws<ArgumentNullException>(() => assertions.HasScopeArray((string[])null!));
        Assert.Throws<ArgumentNullException>(() => assertions.HasScopeArray(null!, ScopeSet.Empty));
        Assert.Throws<ArgumentNullException>(() => assertions.HasScopeArray("scope", (ScopeSet)null!));
        Assert.Throws<ArgumentNullException>(() => assertions.HasScopeArrayContaining((string[])null!));
        Assert.Throws<ArgumentNullException>(() => assertions.HasScopeArrayContaining(null!, ScopeSet.Empty));
        Assert.Throws<ArgumentNullException>(() => assertions.HasSpaceDelimitedScope((string[])null!));
        Assert.Throws<ArgumentNullException>(() => assertions.HasSpaceDelimitedScope("scope", (ScopeSet)null!));
        Assert.Throws<ArgumentNullException>(() => assertions.HasSpaceDelimitedScopeContaining((string[])null!));
        Assert.Throws<ArgumentNullException>(() => assertions.HasSpaceDelimitedScopeContaining(null!, ScopeSet.Empty));
        Assert.Throws<ArgumentNullException>(() => assertions.DoesNotHaveClaim(null!));
    }

    [Fact]
    public void That_NullOrMalformedToken_Throws()
    {
        Assert.Throws<ArgumentNullException>(() => ScopeTokenAssert.That(null!));
        Assert.Throws<MalformedTokenException>(() => ScopeTokenAssert.That("not-a-token"));
    }

    [Fact]
    public void ScopeTokenAssertionException_Constructors_KeepMessageAndInner()
    {
        var inner = new InvalidOperationException();

        Assert.False(string.IsNullOrEmpty(new ScopeTokenAssertionException().Message));
        Assert.Equal("m", new ScopeTokenAssertionException("m").Message);
        Assert.Same(inner, new ScopeTokenAssertionException("m", inner).InnerException);
    }

    private static void Run(string check, ScopeTokenAssertions assertions)
    {
        _ = check switch
        {
            "HasScopeArray" => assertions.HasScopeArray("a", "b"),
            "HasScopeArrayContaining" => assertions.HasScopeArrayContaining("a", "b"),
            "HasSpaceDelimitedScope" => assertions.HasSpaceDelimitedScope("a", "b"),
            "HasSpaceDelimitedScopeContaining" => assertions.HasSpaceDelimitedScopeContaining("a", "b"),
            _ => throw new ArgumentOutOfRangeException(nameof(check), check, null),
        };
    }
}
