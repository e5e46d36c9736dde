using ScopeClaims;
using ScopeClaims.Testing;

namespace ScopeClaims.Testing.Tests.Time;

public class ManualTimeProviderTests
{
    private static readonly DateTimeOffset Start = new(2030, 1, 1, 0, 0, 0, TimeSpan.Zero);

    [Fact]
    public void GetUtcNow_MovesOnlyWhenTold()
    {
        var time = new ManualTimeProvider(Start);

        Assert.Equal(Start, time.GetUtcNow());
        time.Advance(TimeSpan.FromSeconds(90));
        Assert.Equal(Start.AddSeconds(90), time.GetUtcNow());
        time.SetUtcNow(Start.AddHours(1));
        Assert.Equal(Start.AddHours(1), time.GetUtcNow());
        time.SetUtcNow(Start.AddHours(1));
        Assert.Equal(Start.AddHours(1), time.GetUtcNow());
    }

    [Fact]
    public void Constructor_OffsetTime_IsKeptAsUtc()
    {
        var time = new ManualTimeProvider(new DateTimeOffset(2030, 1, 1, 2, 0, 0, TimeSpan.FromHours(2)));

        Assert.Equal(TimeSpan.Zero, time.GetUtcNow().Offset);
        Assert.Equal(Start, time.GetUtcNow());
        Assert.Equal(TimeZoneInfo.Utc, time.LocalTimeZone);
        Assert.Equal(Start.DateTime, time.GetLocalNow().DateTime);
    }

    [Fact]
    public void Constructor_Default_StartsAtSystemTimeInWholeSeconds()
    {
        var before = DateTimeOffset.UtcNow.AddSeconds(-1);
        var time = new ManualTimeProvider();

        Assert.Equal(0, time.GetUtcNow().UtcTicks % TimeSpan.TicksPerSecond);
        Assert.InRange(time.GetUtcNow(), before, DateTimeOffset.UtcNow);
    }

    [Fact]
    public void GetElapsedTime_FollowsTheClock()
    {
        var time = new ManualTimeProvider(Start);
        var started = time.GetTimestamp();

        time.Advance(TimeSpan.FromSeconds(5));

        Assert.Equal(TimeSpan.FromSeconds(5), time.GetElapsedTime(started));
        Assert.Equal(TimeSpan.TicksPerSecond, time.TimestampFrequency);
    }

    [Fact]
    public void TimeGoingBackwards_IsRefused()
    {
        var time = new ManualTimeProvider(Start);

        Assert.Throws<ArgumentOutOfRangeException>(() => time.Advance(TimeSpan.FromTicks(-1)));
        Assert.Throws<ArgumentOutOfRangeException>(() => time.SetUtcNow(Start.AddTicks(-1)));
        Assert.Equal(Start, time.GetUtcNow());
    }

    [Fact]
    public void Timer_FiresWhenTheClockReachesItsDueTime_WithTheClockAtThatTime()
    {
        var time = new ManualTimeProvider(Start);
        var fired = new List<DateTimeOffset>();
        using var timer = time.CreateTimer(_ => fired.Add(time.GetUtcNow()), null, TimeSpan.FromSeconds(10), Timeout.InfiniteTimeSpan);

        time.Advance(TimeSpan.FromSeconds(9));
        Assert.Empty(fired);
        time.Advance(TimeSpan.FromSeconds(30));

        Assert.Equal(new[] { Start.AddSeconds(10) }, fired);
        Assert.Equal(Start.AddSeconds(39), time.GetUtcNow());
    }

    [Fact]
    public void Timer_Periodic_FiresOncePerPeriodPassed()
    {
        var time = new ManualTimeProvider(Start);
        var fired = new List<DateTimeOffset>();
        using var timer = time.CreateTimer(_ => fired.Add(time.GetUtcNow()), null, TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(2));

        time.SetUtcNow(Start.AddSeconds(6));

        Assert.Equal(new[] { Start.AddSeconds(1), Start.AddSeconds(3), Start.AddSeconds(5) }, fired);
    }

    [Fact]
    public void Timers_FireInDueOrder_AndPassTheirState()
    {
        var time = new ManualTimeProvider(Start);
        var fired = new List<object?>();
        using var late = time.CreateTimer(fired.Add, "late", TimeSpan.FromSeconds(2), TimeSpan.Zero);
        using var early = time.CreateTimer(fired.Add, "early", TimeSpan.FromSeconds(1), TimeSpan.Zero);
        using var tie = time.CreateTimer(fired.Add, "tie", TimeSpan.FromSeconds(2), TimeSpan.Zero);

        time.Advance(TimeSpan.FromMinutes(1));

        Assert.Equal(new object?[] { "early", "late", "tie" }, fired);
    }

    [Fact]
    public void Timer_DueNow_FiresAtTheNextAdvance()
    {
        var time = new ManualTimeProvider(Start);
        var count = 0;
        using var timer = time.CreateTimer(_ => count++, null, TimeSpan.Zero, Timeout.InfiniteTimeSpan);

        Assert.Equal(0, count);
        time.Advance(TimeSpan.Zero);
        Assert.Equal(1, count);
        time.Advance(TimeSpan.FromDays(1));
        Assert.Equal(1, count);
    }

    [Fact]
    public void Timer_ChangeAndDispose_Reschedule()
    {
        var time = new ManualTimeProvider(Start);
        var count = 0;
        var timer = time.CreateTimer(_ => count++, null, Timeout.InfiniteTimeSpan, Timeout.InfiniteTimeSpan);

        time.Advance(TimeSpan.FromDays(1));
        Assert.Equal(0, count);
        Assert.True(timer.Change(TimeSpan.FromSeconds(1), Timeout.InfiniteTimeSpan));
        time.Advance(TimeSpan.FromSeconds(1));
        Assert.Equal(1, count);
        Assert.True(timer.Change(TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(1)));
        timer.Dispose();
        time.Advance(TimeSpan.FromSeconds(10));
        Assert.Equal(1, count);
        Assert.False(timer.Change(TimeSpan.Zero, TimeSpan.Zero));
    }

    [Fact]
    public async Task Timer_CallbackDisposingItself_StopsRepeating()
    {
        var time = new ManualTimeProvider(Start);
        var count = 0;
        ITimer? timer = null;
        timer = time.CreateTimer(_ => { count++; timer!.Dispose(); }, null, TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(1));

        time.Advance(TimeSpan.FromSeconds(10));

        Assert.Equal(1, count);
        await timer.DisposeAsync();
    }

    [Fact]
    public async Task TaskDelay_CompletesWhenTheClockAdvances()
    {
        var time = new ManualTimeProvider(Start);

        var delay = Task.Delay(TimeSpan.FromMinutes(5), time);
        Assert.False(delay.IsCompleted);
        time.Advance(TimeSpan.FromMinutes(5));

        await delay;
    }

    [Fact]
    public void CreateTimer_InvalidArguments_Throw()
    {
        var time = new ManualTimeProvider(Start);

        Assert.Throws<ArgumentNullException>(() => time.CreateTimer(null!, null, TimeSpan.Zero, TimeSpan.Zero));
        Assert.Throws<ArgumentOutOfRangeException>(() => time.CreateTimer(_ => { }, null, TimeSpan.FromSeconds(-1), TimeSpan.Zero));
        Assert.Throws<ArgumentOutOfRangeException>(() => time.CreateTimer(_ => { }, null, TimeSpan.Zero, TimeSpan.FromDays(60)));
    }

    [Fact]
    public void ScopeTokenIssuer_UsesTheClock()
    {
        var time = new ManualTimeProvider(Start);
        var options = new ScopeTokenOptions { Issuer = "https://issuer.test", SigningKeys = new SigningKeySet(TestSigningKeys.Ec) };
        options.Audiences.Add("https://partner.test");
        var issuer = new ScopeTokenIssuer(options, timeProvider: time);

        time.Advance(TimeSpan.FromMinutes(1));
        var inspection = TokenInspector.InspectUnvalidated(issuer.Issue(ScopeSet.Parse("a")));

        Assert.Equal(Start.AddMinutes(1), inspection.IssuedAt);
    }
}
