using FunctionsIvr.Simulator.Load;

namespace FunctionsIvr.Tests.Simulator.Load;

public class CallerPacingTests
{
    [Theory]
    [InlineData(2000, 2000, 1000, true)]   // scripts/load.sh: paced, a second wave fills every slot
    [InlineData(0, 2000, 1000, false)]     // back to back: early slots use up the calls before a ramp-up ends
    [InlineData(2000, 1000, 1000, false)]  // one wave: with a ramp-up the first calls may end before the last start
    public void MustReachConcurrency_OnlyForPacedCallsWithASecondWave(int thinkMs, int calls, int concurrency, bool must)
    {
        var options = new LoadOptions
        {
            Calls = calls, Concurrency = concurrency, Pacing = new CallerPacing { Think = TimeSpan.FromMilliseconds(thinkMs) },
        };

        Assert.Equal(must, options.MustReachConcurrency);
    }

    [Fact]
    public void NextPause_None_IsBackToBack()
    {
        Assert.Equal(TimeSpan.Zero, CallerPacing.None.NextPause(new Random(1)));
        Assert.Equal(TimeSpan.Zero, CallerPacing.None.StartDelay(0, 10, new Random(1)));
    }

    [Fact]
    public void NextPause_NoJitter_IsExactlyTheThinkTime()
    {
        var pacing = new CallerPacing { Think = TimeSpan.FromMilliseconds(1500) };

        Assert.All(Enumerable.Range(0, 50).Select(_ => pacing.NextPause(new Random())), p => Assert.Equal(TimeSpan.FromMilliseconds(1500), p));
    }

    [Fact]
    public void NextPause_HalfJitter_SpreadsOverHalfToOneAndAHalfTimesTheThinkTime()
    {
        var pacing = new CallerPacing { Think = TimeSpan.FromMilliseconds(2000), Jitter = 0.5 };
        var random = new Random(5);

        var pauses = Enumerable.Range(0, 2000).Select(_ => pacing.NextPause(random).TotalMilliseconds).ToList();

        Assert.All(pauses, p => Assert.InRange(p, 1000, 3000));
        Assert.True(pauses.Min() < 1100 && pauses.Max() > 2900, $"pauses from {pauses.Min()} to {pauses.Max()} ms do not spread");
        Assert.InRange(pauses.Average(), 1900, 2100);
    }

    [Fact]
    public void NextPause_JitterAboveOne_NeverGoesBelowZero()
    {
        var pacing = new CallerPacing { Think = TimeSpan.FromMilliseconds(100), Jitter = 5 };
        var random = new Random(2);

        Assert.All(Enumerable.Range(0, 500).Select(_ => pacing.NextPause(random).TotalMilliseconds), p => Assert.InRange(p, 0, 200));
    }

    [Fact]
    public void StartDelay_RampUp_FirstWaveSpreadWithinItLaterCallsAtOnce()
    {
        var pacing = new CallerPacing { RampUp = TimeSpan.FromSeconds(10) };
        var random = new Random(9);

        var firstWave = Enumerable.Range(0, 100).Select(i => pacing.StartDelay(i, 100, random).TotalMilliseconds).ToList();
        var later = Enumerable.Range(100, 50).Select(i => pacing.StartDelay(i, 100, random)).ToList();

        Assert.All(firstWave, d => Assert.InRange(d, 0, 10_000));
        Assert.True(firstWave.Max() - firstWave.Min() > 5000, "the first wave should not start at one moment");
        Assert.All(later, d => Assert.Equal(TimeSpan.Zero, d));
    }
}
