using Forecaster.Core.Training;
using Forecaster.Worker.Backtest;
using Forecaster.Worker.Options;

namespace Forecaster.Worker.Tests.Backtest;

public class StreamBacktestMethodTests
{
    private static readonly BacktestSettings Settings = new(Horizon: 6, Season: 12, Seed: 1);

    private static readonly LstmBacktestSettings Lstm = new(8, new FitSettings(Window: 48, Batch: 4, Steps: 20, BurnIn: 8), 1);

    private static readonly TrainingOptions Schedule = new() { Interval = 0, EveryPoints = 600, Steps = 15, Batch = 4, Window = 48, BurnIn = 8, MaxSeries = 6, RewarmSteps = 12, MaxSeconds = 60 };

    private static ReadOnlyMemory<double>[] Training()
    {
        var random = new Random(2);
        return Enumerable.Range(0, 6).Select(i => (ReadOnlyMemory<double>)Enumerable.Range(0, 200 + (10 * i))
            .Select(t => (20.0 + (5 * i)) * (1 + (0.3 * Math.Sin(2 * Math.PI * t / 12))) + random.NextDouble())
            .ToArray()).ToArray();
    }

    [Fact]
    public void Forecasts_every_series_through_the_shard_with_ordered_bands_and_retrains_on_schedule()
    {
        var method = new StreamBacktestMethod(Lstm, Schedule);
        var forecasts = method.Forecast(Training(), Settings, ProgressLine.Silent, CancellationToken.None);

        Assert.Equal(6, forecasts.Count);
        foreach (var forecast in forecasts)
        {
            Assert.Equal(Settings.Horizon, forecast.Point.Length);
            for (var k = 0; k < Settings.Horizon; k++)
            {
                Assert.True(double.IsFinite(forecast.Point[k]));
                Assert.InRange(forecast.Point[k], forecast.Lower![k], forecast.Upper![k]);
            }
        }

        Assert.True(method.RetrainingsStarted > 0, "the point-count trigger should have started a retraining");
        var served = method.Served; // what was served at every point: a seasonal series the LSTM and the baseline both track
        Assert.Equal(6, served.Series);
        Assert.True(served.OneStep is > 0 and < 1, $"served one step ahead {served.OneStep}: a tracked seasonal series beats seasonal naive's noise");
        Assert.True(served.Lstm is > 0 and < 10 && served.Baseline is > 0 and < 10 && served.AllHorizons is > 0 and < 10, $"{served}");
        Assert.InRange(served.LstmShare, 0, 1);
    }

    [Fact]
    public void Same_input_and_seeds_give_the_same_forecasts()
    {
        var first = new StreamBacktestMethod(Lstm, Schedule).Forecast(Training(), Settings, ProgressLine.Silent, CancellationToken.None);
        var second = new StreamBacktestMethod(Lstm, Schedule).Forecast(Training(), Settings, ProgressLine.Silent, CancellationToken.None);
        Assert.Equal(first.Select(f => f.Point), second.Select(f => f.Point));
    }
}
