using ScopeClaims.Cli.Internal;

namespace ScopeClaims.Cli.Tests;

public class DurationTests
{
    [Theory]
    [InlineData("30s", 30)]
    [InlineData("5m", 300)]
    [InlineData("1h", 3600)]
    [InlineData("1d", 86400)]
    [InlineData("5M", 300)]
    [InlineData(" 10s ", 10)]
    [InlineData("00:05:00", 300)]
    [InlineData("1:00:00", 3600)]
    [InlineData("1.00:00:00", 86400)]
    public void TryParse_UnitOrTimeSpan_Parses(string text, int seconds)
    {
        Assert.True(Duration.TryParse(text, out var value));
        Assert.Equal(TimeSpan.FromSeconds(seconds), value);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("300")]
    [InlineData("5")]
    [InlineData("5w")]
    [InlineData("s")]
    [InlineData("-5m")]
    [InlineData("1.5h")]
    [InlineData("5 m")]
    [InlineData("99999999999h")]
    [InlineData("ab:cd")]
    public void TryParse_Other_IsRefused(string? text)
    {
        Assert.False(Duration.TryParse(text, out _));
    }

    [Theory]
    [InlineData("10675200d")]
    [InlineData("256204779h")]
    [InlineData("922337203686s")]
    [InlineData("99999999999999999999d")]
    [InlineData("10675200.00:00:00")]
    [InlineData("00:60:00")]
    public void Parse_BeyondTimeSpan_IsOutOfRange_NeverThrows(string text)
    {
        Assert.Equal(Duration.Outcome.OutOfRange, Duration.Parse(text, out _));
    }

    [Theory]
    [InlineData("10675198d")]
    [InlineData("922337203685s")]
    [InlineData("10675199.02:48:05")]
    public void Parse_JustWithinTimeSpan_Parses(string text)
    {
        Assert.Equal(Duration.Outcome.Parsed, Duration.Parse(text, out var value));
        Assert.True(value > TimeSpan.FromDays(10_000_000));
    }

    [Theory]
    [InlineData("issue", "10675200d")]
    [InlineData("issue", "99999999999999999999999d")]
    [InlineData("issue", "10675200.00:00:00")]
    [InlineData("issue", "9223372036854775807s")]
    [InlineData("convert", "10675200d")]
    [InlineData("convert", "99999999999h")]
    public void Lifetime_OutOfRange_IsAUsageError_OneLine(string command, string lifetime)
    {
        var args = command == "issue"
            ? new[] { "issue", "--scope", "a", "--lifetime", lifetime }
            : new[] { "convert", "a.b.c", "--jwks", "j.json", "--valid-issuer", "i", "--valid-audience", "a", "--lifetime", lifetime };

        var result = CliRunner.Run(args);

        Assert.Equal(2, result.ExitCode);
        Assert.Equal(string.Empty, result.Out);
        Assert.Equal($"error: --lifetime '{lifetime}' is out of range; it must be positive and at most 24h. See 'scopeclaims {command} --help'.", result.Error.TrimEnd());
    }

    [Fact]
    public void Lifetime_LargestTimeSpanInRange_IsRefusedAsOverTheCap()
    {
        var result = CliRunner.Run("issue", "--scope", "a", "--lifetime", "10675199d");

        Assert.Equal(2, result.ExitCode);
        Assert.StartsWith("error: --lifetime must be positive and at most 24h; '10675199d' is 10675199.00:00:00.", result.Error, StringComparison.Ordinal);
    }
}
