using Forecaster.Core.Forecasting;
using Forecaster.Core.Lstm;

namespace Forecaster.Core.Training;

/// <summary>Result of one retraining: the outcome, the challenger (only when accepted) and the three validation scores.</summary>
/// <param name="Outcome">Accepted, or why not.</param>
/// <param name="Challenger">The new model when accepted, else null.</param>
/// <param name="ChampionScore">Scaled pinball loss of the serving model on the held-out window.</param>
/// <param name="ChallengerScore">The same for the challenger.</param>
/// <param name="BaselineScore">The same for the smoothing baseline.</param>
/// <param name="Fit">The training run, when one took place.</param>
/// <param name="SeriesUsed">Series that had enough history.</param>
public sealed record RetrainResult(RetrainOutcome Outcome, ForecastModel? Challenger, double ChampionScore, double ChallengerScore, double BaselineScore, FitResult? Fit, int SeriesUsed);

/// <summary>
/// One retraining of a shard's model on snapshot copies of its series' histories: the last K values of
/// every history are held out; the challenger starts from the champion's weights and trains with truncated
/// BPTT on the rest; then champion, challenger and baseline each forecast the held-out window from the same
/// replayed state, and the challenger is accepted only if it beats both. Pure: the caller runs it on a
/// background thread with copies, and swaps the accepted model in on the thread that owns the series.
/// </summary>
public static class Retrainer
{
    /// <param name="champion">The serving model (not changed).</param>
    /// <param name="histories">Snapshot copies of recent raw values per series, oldest first (NaN = gap).</param>
    /// <param name="settings">The shard's forecast settings.</param>
    /// <param name="fit">Training settings.</param>
    /// <param name="optimizer">Adam's state at the end of the run that made <paramref name="champion"/>, to continue from; null for zero moments.</param>
    /// <param name="championShare">
    /// In [0, 1): the challenger's weights are this share of the champion's plus the rest of the trained ones, so
    /// accepted models average recent champions with geometrically falling weights (0: the trained weights alone).
    /// </param>
    /// <param name="axes">Where each history sits in time (its phases), one per history; null: each starts at slot 0.</param>
    /// <param name="cancellation">Abandons the run (the result is then <see cref="RetrainOutcome.Cancelled"/>).</param>
    public static RetrainResult Run(ForecastModel champion, IReadOnlyList<float[]> histories, ForecastSettings settings, FitSettings fit, OptimizerState? optimizer = null, float championShare = 0f, IReadOnlyList<HistoryAxis>? axes = null, CancellationToken cancellation = default)
    {
        ArgumentNullException.ThrowIfNull(champion);
        ArgumentNullException.ThrowIfNull(histories);
        ArgumentNullException.ThrowIfNull(settings);
        if (!(championShare >= 0f && championShare < 1f))
        {
            throw new ArgumentOutOfRangeException(nameof(championShare), championShare, "The champion's share must lie in [0, 1).");
        }

        var horizon = settings.Horizons;
        var minimum = settings.Season + horizon + settings.WarmupPoints + 1;
        if (axes is not null && axes.Count != histories.Count)
        {
            throw new ArgumentException($"{axes.Count} axes for {histories.Count} histories.", nameof(axes));
        }

        var training = new List<float[]>();
        var actuals = new List<float[]>();
        var trainingAxes = new List<HistoryAxis>();
        for (var i = 0; i < histories.Count; i++)
        {
            var history = histories[i];
            if (history.Length >= minimum)
            {
                training.Add(history[..^horizon]);
                actuals.Add(history[^horizon..]);
                trainingAxes.Add(axes is null ? new HistoryAxis(0, 1) : axes[i]);
            }
        }

        if (training.Count == 0)
        {
            return new RetrainResult(RetrainOutcome.NotEnoughData, null, double.NaN, double.NaN, double.NaN, null, 0);
        }

        var data = training.Select((values, i) => TrainingSeries.Build(values, [], settings, trainingAxes[i].FirstSlot, trainingAxes[i].StepMs, trainingAxes[i].Zone)).ToArray();
        var result = ModelFitter.Fit(champion, data, fit, cancellation: cancellation, optimizer: optimizer);
        if (cancellation.IsCancellationRequested)
        {
            return new RetrainResult(RetrainOutcome.Cancelled, null, double.NaN, double.NaN, double.NaN, result, training.Count);
        }

        var challenger = championShare > 0f ? Blend(champion, result.Model, championShare) : result.Model;
        var validation = settings with { Fallback = false };
        var championScore = Score(champion, validation, training, actuals, trainingAxes);
        var challengerScore = Score(challenger, validation, training, actuals, trainingAxes);
        var baselineScore = Score(champion, validation with { WarmupPoints = int.MaxValue }, training, actuals, trainingAxes);
        var outcome = Gate(championScore, challengerScore, baselineScore, result.StepsApplied > 0 || result.StepsRefused == 0, Finite.All<float>(challenger.Parameters));
        return new RetrainResult(outcome, outcome == RetrainOutcome.Accepted ? challenger : null, championScore, challengerScore, baselineScore, result, training.Count);
    }

    /// <summary>
    /// The validation gate: a challenger serves only if training took steps, its weights and score are finite,
    /// and it beats both the champion and the baseline.
    /// </summary>
    public static RetrainOutcome Gate(double championScore, double challengerScore, double baselineScore, bool trained, bool finiteWeights) =>
        !trained || !finiteWeights || !double.IsFinite(challengerScore) ? RetrainOutcome.NonFinite
        : !(challengerScore < championScore) ? RetrainOutcome.WorseThanChampion
        : !(challengerScore < baselineScore) ? RetrainOutcome.WorseThanBaseline
        : RetrainOutcome.Accepted;

    /// <summary>share · champion + (1 − share) · trained, weight by weight, with the trained model's version.</summary>
    private static ForecastModel Blend(ForecastModel champion, ForecastModel trained, float share)
    {
        var blended = new float[trained.Parameters.Length];
        var old = champion.Parameters;
        var fresh = trained.Parameters;
        for (var i = 0; i < blended.Length; i++)
        {
            blended[i] = (share * old[i]) + ((1f - share) * fresh[i]);
        }

        return new ForecastModel(trained.Shape, (float[])trained.QuantileLevels.Clone(), blended, trained.Version);
    }

    private static double Score(ForecastModel model, ForecastSettings settings, List<float[]> training, List<float[]> actuals, List<HistoryAxis> axes)
    {
        var forecaster = new BatchForecaster(model, settings, Math.Min(training.Count, 1024));
        var forecasts = HistoryReplay.Run(forecaster, training, axes: axes);
        return ValidationScore.Of(forecasts, training, actuals, settings.QuantileLevels, settings.Season);
    }
}
