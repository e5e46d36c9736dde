using CsCheck;
using ScopeClaims;
using ScopeClaims.Internal;

namespace ScopeClaims.Tests.Scopes;

/// <summary>
/// The one-pass parser (duplicates found on characters, distinct scopes materialized once and reused) against a plain
/// reference model: split on spaces, drop empties, keep first appearances.
/// </summary>
public class ScopeParserTests
{
    // Few distinct scopes so that duplicates are common; some longer than the reuse table keeps.
    private static readonly Gen<string> Scope = Gen.OneOf(
        Pick("a", "b", "read:a", "write:b", "api://x/.default"),
        ScopePropertyTests.ScopeChar.Array[1, 8].Select(a => new string(a)),
        ScopePropertyTests.ScopeChar.Array[ScopeStrings.MaxLength - 2, ScopeStrings.MaxLength + 40].Select(a => new string(a)));

    private static readonly Gen<string> Separator = Pick(" ", " ", " ", "  ", "   ");

    private static readonly Gen<string> Value = Gen.Select(Scope.Array[0, 40], Separator.Array[41], Gen.Bool, Gen.Bool)
        .Select((scopes, separators, leading, trailing) =>
        {
            var builder = new System.Text.StringBuilder(leading ? " " : string.Empty);
            for (var i = 0; i < scopes.Length; i++)
            {
                builder.Append(i == 0 ? string.Empty : separators[i]).Append(scopes[i]);
            }

            return builder.Append(trailing ? " " : string.Empty).ToString();
        });

    private static readonly ScopeLimits Roomy = new() { MaxScopes = 4096, MaxScopeLength = 1024, MaxTotalLength = 1 << 20 };

    private static Gen<string> Pick(params string[] values) => Gen.Int[0, values.Length - 1].Select(i => values[i]);

    private static string[] Reference(string value) =>
        value.Split(' ', StringSplitOptions.RemoveEmptyEntries).Distinct(StringComparer.Ordinal).ToArray();

    [Fact]
    public void AnyValue_ParsesToTheReferenceModel_InOrderOfFirstAppearance()
    {
        Value.Sample(value =>
        {
            var set = ScopeSet.Parse(value, Roomy);
            Assert.Equal(Reference(value), set.ToArray());
            Assert.Equal(string.Join(' ', Reference(value)), set.ToString());
        }, iter: 3000);
    }

    [Fact]
    public void AValueInCanonicalForm_IsItsOwnText_AndAnyOtherFormIsRebuilt()
    {
        Value.Sample(value =>
        {
            var set = ScopeSet.Parse(value, Roomy);
            var canonical = string.Join(' ', Reference(value));
            Assert.Equal(canonical == value, ReferenceEquals(value, set.ToString()));
        }, iter: 2000);
    }

    [Fact]
    public void ManyScopes_BeyondTheStackBookkeeping_ParseToTheReferenceModel()
    {
        Gen.Int[65, 3000].Select(n => Gen.Int[0, 400].Array[n]).Sample(indices =>
        {
            var value = string.Join(' ', indices.Select(i => "scope." + i));
            Assert.Equal(Reference(value), ScopeSet.Parse(value, Roomy).ToArray());
        }, iter: 60);
    }

    [Fact]
    public void TheFirstCharacterOutsideTheGrammar_IsTheOneReported_WhereverItFallsInABlock()
    {
        var outside = Gen.OneOf(Gen.Char['\0', '\x1F'], Gen.Const('\x7F'), Gen.Const('"'), Gen.Const('\\'), Gen.Char['\x80', '\uFFFF']);
        Gen.Select(Value, outside, Gen.Int[0, 2000], Gen.Bool).Sample((value, bad, at, second) =>
        {
            var position = at % (value.Length + 1);
            var hostile = value.Insert(position, bad.ToString());
            if (second)
            {
                hostile += "\t";
            }

            var ex = Assert.Throws<ScopeFormatException>(() => ScopeSet.Parse(hostile, Roomy));
            Assert.Equal(ScopeErrorReason.InvalidCharacter, ex.Reason);
            Assert.Contains($"at position {position},", ex.Message, StringComparison.Ordinal);
        }, iter: 3000);
    }

    [Fact]
    public void ACharacterOutsideTheGrammar_IsReportedBeforeALimit_WhereverItIs()
    {
        var limits = new ScopeLimits { MaxScopes = 2, MaxScopeLength = 10 };
        var tooLong = new string('a', 11) + " b \u00A0";
        var tooMany = "a b c d e f g h i j k l m n o p q r s t\n";

        Assert.Equal(ScopeErrorReason.InvalidCharacter, Assert.Throws<ScopeFormatException>(() => ScopeSet.Parse(tooLong, limits)).Reason);
        Assert.Equal(ScopeErrorReason.InvalidCharacter, Assert.Throws<ScopeFormatException>(() => ScopeSet.Parse(tooMany, limits)).Reason);
        Assert.Equal(ScopeErrorReason.ScopeTooLong, Assert.Throws<ScopeFormatException>(() => ScopeSet.Parse(tooLong[..^2], limits)).Reason);
        Assert.Equal(ScopeErrorReason.TooManyScopes, Assert.Throws<ScopeFormatException>(() => ScopeSet.Parse(tooMany[..^1], limits)).Reason);
    }

    [Fact]
    public void LimitsAsLargeAsAnInt_DoNotOverflow_InTheJsonPaths()
    {
        // int.MaxValue as "no limit": the size checks before unescaping multiply the limits and must not wrap.
        var unlimited = new ScopeLimits { MaxScopes = int.MaxValue, MaxScopeLength = int.MaxValue, MaxTotalLength = int.MaxValue };
        var normalizer = new ScopeNormalizer(new ScopeNormalizerOptions { Limits = unlimited });

        Assert.Equal(new[] { "a", "b" }, normalizer.ReadPayloadJson("""{"scope":"a b"}""").ToArray());
        Assert.Equal(new[] { "a", "b" }, normalizer.ReadPayloadJson("""{"scope":["a","b"]}""").ToArray());
        Assert.Equal(new[] { "a", "b" }, ScopeSet.Parse("a b a", unlimited).ToArray());
        Assert.Equal(
            new[] { "a", "b" },
            normalizer.Read(new[] { new System.Security.Claims.Claim("scope", """["a","b"]""", Microsoft.IdentityModel.JsonWebTokens.JsonClaimValueTypes.JsonArray) }).ToArray());
    }

    [Fact]
    public void TheScopeCountLimit_CountsRepeatedScopes_AsBefore()
    {
        var limits = new ScopeLimits { MaxScopes = 3 };
        Assert.Equal(3, ScopeSet.Parse("a b c", limits).Count);
        var ex = Assert.Throws<ScopeFormatException>(() => ScopeSet.Parse("a a a a", limits));
        Assert.Equal(ScopeErrorReason.TooManyScopes, ex.Reason);
    }

    [Fact]
    public void ScopeCount_HasAHardBoundOf2To24_WhateverTheLimits()
    {
        // With every limit as large as an int, a value of exactly 2^24 scopes is parsed and one more is refused: the
        // parser's own bound, which sizes its bookkeeping, is 2^24 scopes (a value of "a a a ...", 32 MiB of text).
        var unlimited = new ScopeLimits { MaxScopes = int.MaxValue, MaxScopeLength = int.MaxValue, MaxTotalLength = int.MaxValue };
        static string Repeated(int count) => string.Create((2 * count) - 1, 0, static (chars, _) =>
        {
            chars.Fill(' ');
            for (var i = 0; i < chars.Length; i += 2)
            {
                chars[i] = 'a';
            }
        });

        Assert.Equal(new[] { "a" }, ScopeSet.Parse(Repeated(1 << 24), unlimited).ToArray());
        var ex = Assert.Throws<ScopeFormatException>(() => ScopeSet.Parse(Repeated((1 << 24) + 1), unlimited));
        Assert.Equal(ScopeErrorReason.TooManyScopes, ex.Reason);
    }

    [Fact]
    public void ParsingFromManyThreads_AlwaysGivesTheReferenceModel()
    {
        // Threads race on the shared reuse table; a race may cost an allocation but never a wrong scope.
        Value.Array[200].Sample(values => Parallel.For(0, 8, _ =>
        {
            for (var round = 0; round < 20; round++)
            {
                foreach (var value in values)
                {
                    Assert.Equal(Reference(value), ScopeSet.Parse(value, Roomy).ToArray());
                }
            }
        }), iter: 1);
    }

    [Fact]
    public void TheHash_DependsOnEveryCharacter_AndTheLength()
    {
        Gen.Select(ScopePropertyTests.ScopeChar.Array[1, 64], Gen.Int, Gen.Char['!', '~']).Sample((chars, at, replacement) =>
        {
            var value = new string(chars);
            var position = (int)((uint)at % (uint)chars.Length);
            if (chars[position] == replacement)
            {
                return;
            }

            var changed = chars.ToArray();
            changed[position] = replacement;
            Assert.Equal(ScopeStrings.Hash(value), ScopeStrings.Hash(new string(chars)));

            // Not a guarantee for one pair, but a collision across these samples would show a broken mix.
            Assert.NotEqual(ScopeStrings.Hash(value), ScopeStrings.Hash(new string(changed)));
            Assert.NotEqual(ScopeStrings.Hash(value), ScopeStrings.Hash(value + "!"));
        }, iter: 5000);
    }

    [Theory]
    [InlineData("read\twrite", "contains a tab (only the space character separates scopes) (U+0009) at position 4,")]
    [InlineData("read\rwrite", "contains a line break (only the space character separates scopes) (U+000D) at position 4,")]
    [InlineData("read\nwrite", "contains a line break (only the space character separates scopes) (U+000A) at position 4,")]
    [InlineData("read\u00A0write", "contains a non-breaking space (only the space character separates scopes) (U+00A0) at position 4,")]
    [InlineData("a \"b\"", "contains a double quote (U+0022) at position 2,")]
    [InlineData("a\\b", "contains a backslash (U+005C) at position 1,")]
    [InlineData("a b\u0001", "contains a control character (U+0001) at position 3,")]
    [InlineData("a\u007F", "contains a control character (U+007F) at position 1,")]
    [InlineData("caf\u00e9", "contains a non-ASCII character (U+00E9) at position 3,")]
    public void Parse_CharacterOutsideTheGrammar_MessageNamesItAndWhere(string value, string expected)
    {
        var ex = Assert.Throws<ScopeFormatException>(() => ScopeSet.Parse(value));

        Assert.Equal(ScopeErrorReason.InvalidCharacter, ex.Reason);
        Assert.Equal($"The scope value {expected} outside the RFC 6749 §3.3 grammar (printable ASCII except space, '\"' and '\\').", ex.Message);
    }

    [Fact]
    public void Create_ElementOutsideTheGrammar_MessageNamesTheElementAndThePosition()
    {
        var ex = Assert.Throws<ScopeFormatException>(() => ScopeSet.Create(["read", "wr\u007Fite"]));

        Assert.Contains("contains a control character (U+007F) at position 2 of the element at index 1,", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void ReadClaims_ElementsOverTheLimits_MessagesNameTheClaimAndTheIndex()
    {
        var normalizer = new ScopeNormalizer(new ScopeNormalizerOptions { Limits = new ScopeLimits { MaxScopeLength = 3, MaxScopes = 2, MaxTotalLength = 6 } });
        static System.Security.Claims.Claim[] Claims(params string[] values) => values.Select(v => new System.Security.Claims.Claim("scope", v)).ToArray();

        var empty = Assert.Throws<ScopeFormatException>(() => normalizer.Read(Claims("a", "")));
        var tooLong = Assert.Throws<ScopeFormatException>(() => normalizer.Read(Claims("a", "abcd")));
        var space = Assert.Throws<ScopeFormatException>(() => normalizer.Read(Claims("a", "b c")));
        var tooMany = Assert.Throws<ScopeFormatException>(() => normalizer.Read(Claims("a", "b", "c")));
        var total = Assert.Throws<ScopeFormatException>(() => normalizer.Read(Claims("abc", "def")));

        Assert.Equal("The scope claim 'scope' has an empty or null element at index 1; every element must be one scope.", empty.Message);
        Assert.Equal("The scope claim 'scope' has an element of 4 characters at index 1; the limit is 3.", tooLong.Message);
        Assert.Equal(ScopeErrorReason.ElementContainsSeparator, space.Reason);
        Assert.Contains("has an element at index 1 that contains a space", space.Message, StringComparison.Ordinal);
        Assert.Equal("The scope claim 'scope' holds more than 2 scopes. Raise ScopeLimits.MaxScopes if this is expected.", tooMany.Message);
        Assert.Equal("The scope claim 'scope' holds more than 6 characters of scopes. Raise ScopeLimits.MaxTotalLength if this is expected.", total.Message);
        Assert.Equal(ScopeErrorReason.TooLong, total.Reason);
        Assert.Equal(["abc", "de"], normalizer.Read(Claims("abc", "de")).ToArray());
        Assert.Equal(["ab"], normalizer.Read(Claims("ab", "ab")).ToArray());
    }

    [Fact]
    public void Create_TotalLength_CountsOneSpaceBetweenEachTwoScopes()
    {
        // "ab c d" is 6 characters: over a limit of 5 however the separators are counted short.
        var limits = new ScopeLimits { MaxTotalLength = 5 };

        Assert.Equal(ScopeErrorReason.TooLong, Assert.Throws<ScopeFormatException>(() => ScopeSet.Create(["ab", "c", "d"], limits)).Reason);
        Assert.Equal(["a", "b", "c"], ScopeSet.Create(["a", "b", "c"], limits).ToArray());
    }

    [Theory]
    [InlineData("abc", 3, true)]
    [InlineData("abcd", 3, false)]
    [InlineData("ab cd", 5, true)]
    [InlineData("ab cd", 4, false)]
    public void Parse_TotalLengthAtTheLimit_IsAcceptedAndOneOverRefused(string value, int maxTotalLength, bool accepted)
    {
        var limits = new ScopeLimits { MaxTotalLength = maxTotalLength };

        if (accepted)
        {
            Assert.Equal(value, ScopeSet.Parse(value, limits).ToString());
        }
        else
        {
            var ex = Assert.Throws<ScopeFormatException>(() => ScopeSet.Parse(value, limits));
            Assert.Equal($"The scope value is {value.Length} characters long; the limit is {maxTotalLength}. Raise ScopeLimits.MaxTotalLength if this is expected.", ex.Message);
        }
    }

    [Fact]
    public void Parse_ScopeAtTheLengthLimit_IsAcceptedAndOneOverRefusedWithItsPosition()
    {
        var limits = new ScopeLimits { MaxScopeLength = 4 };

        Assert.Equal(["ab", "abcd"], ScopeSet.Parse("ab abcd", limits).ToArray());
        var ex = Assert.Throws<ScopeFormatException>(() => ScopeSet.Parse("ab abcde", limits));
        Assert.Equal("The scope value has a scope of 5 characters at position 3; the limit is 4.", ex.Message);
    }

    [Fact]
    public void Parse_TwoScopesWithTheSameHash_AreBothKept()
    {
        // The hash only narrows the comparison: two different scopes whose 32-bit hashes are equal (found here by
        // search; about 2^16 candidates suffice) are both kept, in order.
        var seen = new Dictionary<int, string>();
        string? first = null;
        string? second = null;
        for (var i = 0; second is null; i++)
        {
            var candidate = "s" + i.ToString(System.Globalization.CultureInfo.InvariantCulture);
            var hash = ScopeStrings.Hash(candidate);
            if (seen.TryGetValue(hash, out var earlier))
            {
                (first, second) = (earlier, candidate);
            }
            else
            {
                seen.Add(hash, candidate);
            }
        }

        Assert.Equal(ScopeStrings.Hash(first!), ScopeStrings.Hash(second));
        Assert.Equal([first!, second], ScopeSet.Parse($"{first} {second}").ToArray());
        Assert.Equal([first!, second], ScopeSet.Parse($"{first} {second} {first}").ToArray());
    }

    [Theory]
    [InlineData(" ")]
    [InlineData("   ")]
    public void Parse_SpacesOnly_IsTheEmptySet(string value)
    {
        var set = ScopeSet.Parse(value);

        Assert.Same(ScopeSet.Empty, set);
        Assert.Equal(string.Empty, set.ToString());
    }
}
