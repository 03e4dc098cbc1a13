using Forecaster.Core.Forecasting;
using Forecaster.Core.Training;

namespace Forecaster.Core.Tests.Training;

public class RetrainerTests
{
    private static readonly ForecastSettings Settings = new() { Season = 12, WarmupPoints = 12, HistoryCapacity = 256, HiddenSize = 8, Horizons = 6 };

    private static readonly FitSettings Fit = new(Window: 48, Batch: 8, Steps: 120, LearningRate: 5e-3f, BurnIn: 8, Seed: 3);

    /// <summary>Waves with a second, slower cycle the smoothing baseline does not model, so a trained LSTM can beat it.</summary>
    private static float[][] Histories(int count, int length, int seed)
    {
        var random = new Random(seed);
        return Enumerable.Range(0, count).Select(i =>
            Enumerable.Range(0, length).Select(t => (float)((20 + (10 * i)) * (1 + (0.2 * Math.Sin(2 * Math.PI * t / 12.0)) + (0.25 * Math.Sin(2 * Math.PI * (t + (3 * i)) / 30.0)) + (0.01 * random.NextDouble())))).ToArray())
            .ToArray();
    }

    [Theory]
    [InlineData(1.0, 0.5, 0.8, true, true, RetrainOutcome.Accepted)]
    [InlineData(1.0, 1.0, 2.0, true, true, RetrainOutcome.WorseThanChampion)]
    [InlineData(1.0, 0.9, 0.8, true, true, RetrainOutcome.WorseThanBaseline)]
    [InlineData(1.0, double.NaN, 0.8, true, true, RetrainOutcome.NonFinite)]
    [InlineData(1.0, 0.5, 0.8, true, false, RetrainOutcome.NonFinite)]
    [InlineData(1.0, 0.5, 0.8, false, true, RetrainOutcome.NonFinite)]
    public void The_gate_lets_through_only_a_finite_challenger_that_beats_champion_and_baseline(double champion, double challenger, double baseline, bool trained, bool finite, RetrainOutcome expected) =>
        Assert.Equal(expected, Retrainer.Gate(champion, challenger, baseline, trained, finite));

    [Fact]
    public void A_trained_challenger_replaces_an_untrained_champion()
    {
        var champion = ModelFactory.CreateInitial(Settings);
        var result = Retrainer.Run(champion, Histories(8, 240, 1), Settings, Fit);
        Assert.Equal(RetrainOutcome.Accepted, result.Outcome);
        Assert.NotNull(result.Challenger);
        Assert.Equal(champion.Version + 1, result.Challenger.Version);
        Assert.True(result.ChallengerScore < result.ChampionScore);
        Assert.True(result.ChallengerScore < result.BaselineScore);
        Assert.Equal(8, result.SeriesUsed);
    }

    [Fact]
    public void With_a_champion_share_the_gate_judges_and_serves_the_blend_of_champion_and_trained_weights()
    {
        var champion = ModelFactory.CreateInitial(Settings);
        var result = Retrainer.Run(champion, Histories(8, 240, 1), Settings, Fit, championShare: 0.25f);

        Assert.Equal(RetrainOutcome.Accepted, result.Outcome);
        var trained = result.Fit!.Model.Parameters;
        var served = result.Challenger!.Parameters;
        for (var i = 0; i < served.Length; i += 97)
        {
            Assert.Equal((0.25f * champion.Parameters[i]) + (0.75f * trained[i]), served[i], 1e-6f);
        }

        Assert.NotEqual(trained, served);
        Assert.Throws<ArgumentOutOfRangeException>(() => Retrainer.Run(champion, Histories(8, 240, 1), Settings, Fit, championShare: 1f));
    }

    [Fact]
    public void Short_histories_are_not_enough()
    {
        var result = Retrainer.Run(ModelFactory.CreateInitial(Settings), Histories(3, 20, 1), Settings, Fit);
        Assert.Equal(RetrainOutcome.NotEnoughData, result.Outcome);
        Assert.Null(result.Challenger);
    }

    [Fact]
    public void A_cancelled_retraining_yields_no_challenger()
    {
        using var cancelled = new CancellationTokenSource();
        cancelled.Cancel();
        var result = Retrainer.Run(ModelFactory.CreateInitial(Settings), Histories(4, 240, 2), Settings, Fit, cancellation: cancelled.Token);
        Assert.Equal(RetrainOutcome.Cancelled, result.Outcome);
        Assert.Null(result.Challenger);
    }

    [Fact]
    public void Same_snapshot_and_seeds_give_bit_identical_challengers()
    {
        var first = Retrainer.Run(ModelFactory.CreateInitial(Settings), Histories(6, 200, 5), Settings, Fit with { Steps = 30 });
        var second = Retrainer.Run(ModelFactory.CreateInitial(Settings), Histories(6, 200, 5), Settings, Fit with { Steps = 30 });
        Assert.Equal(first.Fit!.Model.Parameters, second.Fit!.Model.Parameters);
        Assert.Equal(first.ChallengerScore, second.ChallengerScore);
    }
}
