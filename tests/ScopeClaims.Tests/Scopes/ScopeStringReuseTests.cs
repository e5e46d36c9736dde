using System.Text;
using ScopeClaims;
using ScopeClaims.Internal;

namespace ScopeClaims.Tests.Scopes;

/// <summary>
/// The table of kept scope strings (ScopeStrings): a scope that keeps coming is handed out as one string instance, a
/// stream of never-repeated scopes does not evict it, a scope over the length limit is never kept.
/// </summary>
/// <remarks>
/// The table is one per process and every parse in the assembly uses it, so a test running alongside could take a slot
/// over between two reads of these tests (a preempted thread on a busy machine gives it the time to). These tests run
/// in a collection of their own with parallelization disabled: xunit runs them alone, after the parallel tests.
/// </remarks>
[Collection(ScopeStringTable.Name)]
public class ScopeStringReuseTests
{
    [Fact]
    public void ARepeatedScope_IsTheSameStringInstance_AcrossParses()
    {
        // Note: the slots may hold scopes of tests that ran before; a scope that keeps coming takes its slot over within a
        // few misses, so the pair of parses is repeated until both scopes come back as the kept instances.
        var reused = false;
        for (var i = 0; i < 200 && !reused; i++)
        {
            var first = ScopeSet.Parse("reuse:me other:scope");
            var second = ScopeSet.Parse("other:scope   reuse:me");
            Assert.Equal(first, second);
            reused = ReferenceEquals(first[0], second[1]) && ReferenceEquals(first[1], second[0]);
        }

        Assert.True(reused, "a repeated scope never came back as the same string instance");
    }

    [Fact]
    public void AStreamOfNeverRepeatedScopes_DoesNotEvictAScopeInUse_FromItsSlot()
    {
        // Note: the check is made for up to five scopes, in five slots, as a scope in use by a straggling task of an
        // earlier test may share this scope's slot and take it over (as it should: it is in use too); a stream of new
        // scopes that evicted a scope in use would fail it in every slot.
        Assert.True(Enumerable.Range(0, 5).Any(i => KeptThroughAStreamOfNewScopes($"steady:scope.{i}")), "a stream of never-repeated scopes evicted a scope in use, in five slots");
    }

    private static bool KeptThroughAStreamOfNewScopes(string scope)
    {
        // Note: parsed from a new value each time, of two scopes: a value of one scope is its own scope string.
        string Parsed() => ScopeSet.Parse(string.Concat(scope, " ", "steady:other")).Single(s => s == scope);

        string? kept = null;
        for (var i = 0; i < 40 && kept is null; i++)
        {
            var first = Parsed();
            kept = ReferenceEquals(first, Parsed()) ? first : null;
        }

        // Each new scope misses in some slot; far fewer than 16 of them land on this one between two uses.
        for (var round = 0; round < 400 && kept is not null; round++)
        {
            ScopeSet.Parse(string.Join(' ', Enumerable.Range(0, 20).Select(i => $"once:{scope}.{round}.{i}")));
            if (!ReferenceEquals(kept, Parsed()))
            {
                return false;
            }
        }

        return kept is not null;
    }

    [Fact]
    public void AScopeLongerThanTheReuseLimit_IsStillParsed_ButNotKept()
    {
        var scope = new string('x', ScopeStrings.MaxLength + 1);
        var first = ScopeSet.Parse(scope + " y");
        var second = ScopeSet.Parse(scope + " y");
        Assert.Equal(scope, first[0]);
        Assert.NotSame(first[0], second[0]);
    }

    [Fact]
    public void ReadPayloadJson_ArrayElementOfScopeStringsMaxLength_IsTheStringKeptForIt()
    {
        // An element of 128 characters (ScopeStrings.MaxLength, the longest kept) read again is the instance kept the
        // first time. A slot another scope holds is taken over after some misses: the reads are repeated until two in a
        // row give one instance.
        var scope = "kept:" + Guid.NewGuid().ToString("N") + new string('k', 128 - 5 - 32);
        Assert.Equal(128, scope.Length);
        var payload = Encoding.UTF8.GetBytes($$"""{"scope":["{{scope}}"]}""");
        var normalizer = new ScopeNormalizer();

        var previous = normalizer.ReadPayloadJson(payload).Single();
        var same = false;
        for (var i = 0; i < 200 && !same; i++)
        {
            var current = normalizer.ReadPayloadJson(payload).Single();
            same = ReferenceEquals(previous, current);
            previous = current;
        }

        Assert.Equal(scope, previous);
        Assert.True(same, "every read of the 128-character scope made a new string");
    }
}

/// <summary>The tests that look at which string instances the process-wide table of kept scopes hands out.</summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class ScopeStringTable
{
    public const string Name = "ScopeStrings table";
}
