using Forecaster.Core.Forecasting;
using Forecaster.Core.Training;

namespace Forecaster.Core.Tests.Forecasting;

public class StateRewarmTests
{
    private static readonly ForecastSettings Settings = new() { Season = 6, WarmupPoints = 6, HistoryCapacity = 128, HiddenSize = 4, Horizons = 2 };

    private static double Value(int series, int t) => (10 + series) * (1 + (0.3 * Math.Sin(t * 1.1)) + (0.1 * Math.Cos(t / (3.0 + series))));

    [Fact]
    public void Rewarming_a_whole_history_equals_replaying_it_under_the_new_model()
    {
        var old = ModelFactory.CreateInitial(Settings);
        var next = ModelFactory.CreateInitial(Settings with { Seed = 9 }).Clone(1);
        var forecaster = new BatchForecaster(old, Settings, 4);
        var fresh = new BatchForecaster(next, Settings, 4);
        var lengths = new[] { 60, 45, 30 };
        var states = lengths.Select(_ => forecaster.CreateSeries()).ToArray();
        var reference = lengths.Select(_ => fresh.CreateSeries()).ToArray();
        for (var i = 0; i < lengths.Length; i++)
        {
            for (var t = 0; t < lengths[i]; t++)
            {
                forecaster.Add(states[i], t, Value(i, t));
                forecaster.Step();
                fresh.Add(reference[i], t, Value(i, t));
                fresh.Step();
            }
        }

        StateRewarm.Run(next, Settings, states, steps: 100, maxBatch: 2);
        for (var i = 0; i < lengths.Length; i++)
        {
            // Batches of other sizes take other kernel paths: equal to rounding, not to the bit.
            for (var u = 0; u < Settings.HiddenSize; u++)
            {
                Assert.Equal(reference[i].Hidden[u], states[i].Hidden[u], 5);
                Assert.Equal(reference[i].Cell[u], states[i].Cell[u], 5);
            }
        }
    }

    [Fact]
    public void A_rewarm_in_shares_of_one_step_equals_the_one_go_run_to_the_bit()
    {
        var old = ModelFactory.CreateInitial(Settings);
        var next = ModelFactory.CreateInitial(Settings with { Seed = 9 }).Clone(1);
        var forecaster = new BatchForecaster(old, Settings, 8);
        int[] lengths = [60, 45, 30, 12, 3];
        var whole = lengths.Select(_ => forecaster.CreateSeries()).ToArray();
        var shared = lengths.Select(_ => forecaster.CreateSeries()).ToArray();
        for (var i = 0; i < lengths.Length; i++)
        {
            for (var t = 0; t < lengths[i]; t++)
            {
                forecaster.Add(whole[i], t, Value(i, t));
                forecaster.Add(shared[i], t, Value(i, t));
                forecaster.Step();
            }
        }

        StateRewarm.Run(next, Settings, whole, steps: 100, maxBatch: 2);
        var run = new RewarmRun(next, Settings, shared, steps: 100, maxBatch: 2);
        var shares = 0;
        while (!run.Advance(1))
        {
            shares++;
        }

        Assert.True(shares > lengths.Length, $"only {shares} shares");
        Assert.Equal(lengths.Length, run.SeriesDone);
        for (var i = 0; i < lengths.Length; i++)
        {
            Assert.Equal(whole[i].Hidden, shared[i].Hidden);
            Assert.Equal(whole[i].Cell, shared[i].Cell);
        }
    }

    [Fact]
    public void A_replay_that_starts_mid_series_keeps_the_seasonal_phases()
    {
        var values = Enumerable.Range(0, 40).Select(t => (float)Value(0, t)).ToArray();
        var whole = TrainingSeries.Build(values, [], Settings);
        var tail = TrainingSeries.Build(values.AsSpan(5), [], Settings, firstStep: 5);
        for (var row = 0; row < tail.Rows; row++)
        {
            var wholeRow = whole.Inputs.AsSpan((row + 5) * 8, 8);
            var tailRow = tail.Inputs.AsSpan(row * 8, 8);
            Assert.Equal(wholeRow[3..7].ToArray(), tailRow[3..7].ToArray());
        }
    }
}
