using ScopeClaims.Fuzz;

namespace ScopeClaims.Reliability.Tests.Fuzzing;

/// <summary>
/// Replays every input of fuzz/corpus and fuzz/crashes through the very targets AFL++ ran (FuzzTargets.cs is linked
/// in): a target returns normally when the input is accepted or refused with an expected exception
/// (<see cref="ScopeFormatException"/>, <see cref="TokenConversionException"/>); anything else fails the case.
/// </summary>
public class FuzzCorpusReplayTests
{
    private static readonly string s_root = Path.Combine(AppContext.BaseDirectory, "fuzz");

    public static TheoryData<string, string> Inputs()
    {
        var data = new TheoryData<string, string>();
        foreach (var kind in new[] { "corpus", "crashes" })
        {
            foreach (var target in FuzzTargets.Names)
            {
                var directory = Path.Combine(s_root, kind, target);
                if (!Directory.Exists(directory))
                {
                    continue;
                }

                foreach (var file in Directory.EnumerateFiles(directory).Order(StringComparer.Ordinal))
                {
                    data.Add(target, Path.GetRelativePath(s_root, file));
                }
            }
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(Inputs))]
    public void Replay_Input_OnlyExpectedExceptions(string target, string file)
    {
        var input = File.ReadAllBytes(Path.Combine(s_root, file));

        // Returns whether the input was accepted; an unexpected exception or a broken invariant throws and fails the case.
        FuzzTargets.Run(target, input);
    }

    [Fact]
    public void Corpus_EveryTarget_HasSeeds()
    {
        foreach (var target in FuzzTargets.Names)
        {
            Assert.NotEmpty(Directory.EnumerateFiles(Path.Combine(s_root, "corpus", target)));
        }
    }

    [Fact]
    public void ConverterTarget_ValidToken_IsAccepted_SoTheFuzzerReachesThePathsAfterValidation()
    {
        var token = FuzzTargets.SignSeed(
            $$"""{"alg":"HS256","kid":"{{FuzzTargets.InboundKeyId}}","typ":"JWT"}""",
            $$"""{"iss":"{{FuzzTargets.InboundIssuer}}","aud":"{{FuzzTargets.Audience}}","sub":"client-1","exp":4102444800,"scope":"read:a write:b"}""");

        Assert.True(FuzzTargets.Run("converter", System.Text.Encoding.UTF8.GetBytes(token)));
        Assert.False(FuzzTargets.Run("converter", System.Text.Encoding.UTF8.GetBytes(token[..^2] + "AA")));
    }

    [Theory]
    [InlineData("converter-json")]
    [InlineData("converter-signature")]
    public void NamedSeeds_AcceptedOrRefusedAsNamed_SoTheInvariantsAreReached(string target)
    {
        // Seeds named valid-* must convert (so the reference checks on accepted tokens run), refused-* must not.
        var named = Directory.EnumerateFiles(Path.Combine(s_root, "corpus", target))
            .Select(f => (File: f, Valid: Path.GetFileName(f).StartsWith("valid-", StringComparison.Ordinal), Refused: Path.GetFileName(f).StartsWith("refused-", StringComparison.Ordinal)))
            .Where(f => f.Valid || f.Refused)
            .ToList();
        Assert.Contains(named, f => f.Valid);
        Assert.Contains(named, f => f.Refused);
        foreach (var (file, valid, _) in named)
        {
            Assert.True(valid == FuzzTargets.Run(target, File.ReadAllBytes(file)), Path.GetFileName(file));
        }
    }

    [Theory]
    [InlineData("normalizer-json", """{"scp":["read:a","write:b"]}""", true)]
    [InlineData("normalizer-json", """{"scope":"a","scope":"b"}""", false)]
    [InlineData("scopeset", "read:a write:b", true)]
    [InlineData("scopeset", "a\"b", false)]
    public void Run_KnownInputs_AcceptOrRefuseAsExpected(string target, string input, bool accepted)
    {
        Assert.Equal(accepted, FuzzTargets.Run(target, System.Text.Encoding.UTF8.GetBytes(input)));
    }

    [Fact]
    public void Run_UnknownTarget_Throws()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => FuzzTargets.Run("nope", ReadOnlySpan<byte>.Empty));
    }
}
