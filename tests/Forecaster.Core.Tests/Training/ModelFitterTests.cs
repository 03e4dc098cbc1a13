using Forecaster.Core.Forecasting;
using Forecaster.Core.Training;

namespace Forecaster.Core.Tests.Training;

public class ModelFitterTests
{
    private static readonly ForecastSettings Settings = new() { Season = 12, WarmupPoints = 12, HistoryCapacity = 64, HiddenSize = 8, Horizons = 6 };

    private static TrainingSeries[] NoisyWaves(int seed)
    {
        var random = new Random(seed);
        return Enumerable.Range(0, 6).Select(i =>
        {
            var level = 10 + (40 * i);
            var values = Enumerable.Range(0, 200)
                .Select(t => (float)(level * (1 + (0.3 * Math.Sin(2 * Math.PI * t / 12.0)) + (0.1 * Math.Sin(2 * Math.PI * t / 37.0)) + (0.02 * (random.NextDouble() - 0.5)))))
                .ToArray();
            return TrainingSeries.Build(values, [], Settings);
        }).ToArray();
    }

    [Fact]
    public void Loss_falls_and_the_start_model_is_left_alone()
    {
        var start = ModelFactory.CreateInitial(Settings);
        var before = (float[])start.Parameters.Clone();
        var fit = ModelFitter.Fit(start, NoisyWaves(3), new FitSettings(Window: 48, Batch: 8, Steps: 150, LearningRate: 5e-3f, BurnIn: 8));
        Assert.Equal(150, fit.StepsApplied);
        Assert.True(fit.LastLoss < 0.8 * fit.FirstLoss, $"loss {fit.FirstLoss} -> {fit.LastLoss}");
        Assert.Equal(before, start.Parameters);
        Assert.Equal(start.Version + 1, fit.Model.Version);
        Assert.True(fit.LastPreClipNorm > 0);
    }

    [Fact]
    public void Same_data_and_seeds_give_bit_identical_weights()
    {
        var settings = new FitSettings(Window: 24, Batch: 4, Steps: 20, BurnIn: 4);
        var first = ModelFitter.Fit(ModelFactory.CreateInitial(Settings), NoisyWaves(5), settings);
        var second = ModelFitter.Fit(ModelFactory.CreateInitial(Settings), NoisyWaves(5), settings);
        Assert.Equal(first.Model.Parameters, second.Model.Parameters);
    }

    [Fact]
    public void A_run_split_over_threads_repeats_bit_for_bit_and_zero_threads_are_refused()
    {
        var settings = new FitSettings(Window: 24, Batch: 4, Steps: 20, BurnIn: 4) { Threads = 2 };
        var first = ModelFitter.Fit(ModelFactory.CreateInitial(Settings), NoisyWaves(5), settings);
        var second = ModelFitter.Fit(ModelFactory.CreateInitial(Settings), NoisyWaves(5), settings);
        var one = ModelFitter.Fit(ModelFactory.CreateInitial(Settings), NoisyWaves(5), settings with { Threads = 1 });
        Assert.Equal(first.Model.Parameters, second.Model.Parameters);
        Assert.NotEqual(one.Model.Parameters, first.Model.Parameters); // the trainer really split the batch
        Assert.Throws<ArgumentOutOfRangeException>(() => ModelFitter.Fit(ModelFactory.CreateInitial(Settings), NoisyWaves(5), settings with { Threads = 0 }));
    }

    [Fact]
    public void A_cancelled_run_stops_before_its_first_step()
    {
        using var cancelled = new CancellationTokenSource();
        cancelled.Cancel();
        var fit = ModelFitter.Fit(ModelFactory.CreateInitial(Settings), NoisyWaves(1), new FitSettings(Window: 24, Batch: 4, Steps: 20, BurnIn: 4), cancellation: cancelled.Token);
        Assert.Equal(0, fit.StepsApplied);
    }

    [Fact]
    public void A_run_hands_back_its_optimizer_state_and_the_next_run_continues_from_it()
    {
        var settings = new FitSettings(Window: 24, Batch: 4, Steps: 12, BurnIn: 4);
        var first = ModelFitter.Fit(ModelFactory.CreateInitial(Settings), NoisyWaves(5), settings);
        var continued = ModelFitter.Fit(first.Model, NoisyWaves(5), settings with { Seed = 8 }, optimizer: first.Optimizer);
        var restarted = ModelFitter.Fit(first.Model, NoisyWaves(5), settings with { Seed = 8 });

        Assert.Equal(12, first.Optimizer!.StepCount);
        Assert.Equal(24, continued.Optimizer!.StepCount);
        Assert.Equal(12, restarted.Optimizer!.StepCount);
        Assert.NotEqual(restarted.Model.Parameters, continued.Model.Parameters);
    }

    [Fact]
    public void A_point_level_under_the_median_lowers_the_point_output_and_one_past_a_neighbour_is_refused()
    {
        var settings = new FitSettings(Window: 48, Batch: 8, Steps: 60, LearningRate: 5e-3f, BurnIn: 8);
        var median = ModelFitter.Fit(ModelFactory.CreateInitial(Settings), NoisyWaves(3), settings);
        var lower = ModelFitter.Fit(ModelFactory.CreateInitial(Settings), NoisyWaves(3), settings with { PointLevel = 0.3f });
        var shape = median.Model.Shape;
        double MeanPointBias(Core.Lstm.ForecastModel model)
        {
            var bias = model.Parameters.AsSpan(shape.HeadBiasOffset, shape.OutputSize);
            var sum = 0.0;
            for (var k = 0; k < shape.Horizons; k++)
            {
                sum += bias[(k * shape.Quantiles) + 1];
            }

            return sum / shape.Horizons;
        }

        Assert.True(MeanPointBias(lower.Model) < MeanPointBias(median.Model), $"{MeanPointBias(lower.Model)} vs {MeanPointBias(median.Model)}");
        Assert.Equal([0.1f, 0.5f, 0.9f], lower.Model.QuantileLevels);
        Assert.Throws<ArgumentException>(() => ModelFitter.Fit(ModelFactory.CreateInitial(Settings), NoisyWaves(3), settings with { PointLevel = 0.05f }));
    }
}
