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
}
