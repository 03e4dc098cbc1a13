using Forecaster.Core.Forecasting;

namespace Forecaster.Core.Tests.Forecasting;

public class HistoryReplayTests
{
    private static readonly ForecastSettings Settings = new() { Season = 4, WarmupPoints = 8, HistoryCapacity = 16, HiddenSize = 4, Horizons = 2 };

    [Fact]
    public void Batched_replay_equals_feeding_each_series_alone()
    {
        var histories = new[]
        {
            Enumerable.Range(0, 30).Select(t => (float)(5 + Math.Sin(t))).ToArray(),
            Enumerable.Range(0, 19).Select(t => (float)(900 + (10 * Math.Cos(t / 2.0)))).ToArray(),
            Enumerable.Range(0, 3).Select(t => (float)t).ToArray(),
        };
        var batched = HistoryReplay.Run(new BatchForecaster(Settings, 2), histories);
        for (var i = 0; i < histories.Length; i++)
        {
            var alone = HistoryReplay.Run(new BatchForecaster(Settings, 1), [histories[i]]);
            Assert.Equal(alone[0].Quantiles, batched[i].Quantiles);
            Assert.Equal(alone[0].Status, batched[i].Status);
        }

        Assert.Equal(SeriesStatus.Ok, batched[0].Status);
        Assert.Equal(SeriesStatus.WarmingUp, batched[2].Status);
        Assert.All(batched[2].Quantiles, q => Assert.Equal(2.0, q));
    }

    [Fact]
    public void Refuses_an_empty_history() =>
        Assert.Throws<ArgumentException>(() => HistoryReplay.Run(new BatchForecaster(Settings, 1), [[]]));
}
