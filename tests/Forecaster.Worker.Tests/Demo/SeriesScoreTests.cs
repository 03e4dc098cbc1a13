using Forecaster.Worker.Demo;

namespace Forecaster.Worker.Tests.Demo;

/// <summary>
/// The demo's table scores what was published: a forecast served by the baseline in fallback counts as much as
/// one served by the LSTM (the old table scored only status <c>ok</c>, so it froze once a series fell back),
/// warm-up forecasts do not count, and the LSTM's share is of the scored points.
/// </summary>
public sealed class SeriesScoreTests
{
    private const long StepMs = 300_000;
    private const int Season = 4;

    [Fact]
    public void Every_forecast_served_after_the_warm_up_is_scored_whichever_model_served_it()
    {
        // Values 0..11 one step apart: the actual one step after origin t is t + 1, seasonal naive's error is Season.
        var timestamps = Enumerable.Range(0, 12).Select(i => i * StepMs).ToArray();
        var score = new SeriesScore(new DemoSeries("m", "a", timestamps, [.. Enumerable.Range(0, 12).Select(i => (double)i)]), StepMs, Season);

        score.Add(4 * StepMs, "warming_up", 1, 0, 5, 5, 5);         // not scored (warm-up)
        score.Add(5 * StepMs, "ok", 1, 0, 6.5, 5.5, 7.5);           // actual 6: covered, error 0.5
        score.Add(6 * StepMs, "fallback", 2, 1, 9, 8, 10);          // actual 7: not covered, error 2
        score.Add(7 * StepMs, "fallback", 2, 0, 8, 7, 9);           // actual 8: covered, error 0
        score.Add(11 * StepMs, "ok", 2, 0, 12, 11, 13);             // no actual after the data: not scored
        score.Add(2 * StepMs, "ok", 2, 0, 3, 2, 4);                 // no value a season before the target: not scored

        Assert.Equal(6, score.Forecasts);
        Assert.Equal(3, score.Scored);
        Assert.Equal(1, score.ScoredByLstm);
        Assert.Equal(2, score.Covered);
        Assert.Equal(2.5, score.ServedAbsError, 12);
        Assert.Equal(3.0 * Season, score.NaiveAbsError, 12);
        Assert.Equal(1, score.Anomalies);
        Assert.Equal(2, score.ModelVersion);
        Assert.Equal("ok", score.Status);
    }
}
