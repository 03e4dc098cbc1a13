using Forecaster.Worker.Processing;

namespace Forecaster.Worker.Training;

/// <summary>
/// A shard's self-measured accuracy: the means over its scored series of each series' rolling figures
/// (<see cref="Forecaster.Core.Series.SeriesAccuracy"/>), for the model and the baseline, and how many series
/// are in fallback or still warming up. The scaled errors pool one and K steps ahead; the one-step errors are those
/// the fallback compares. NaN where no series has a figure yet. One pass over the series; nothing allocated.
/// </summary>
internal readonly record struct ShardAccuracy(double ModelScaledError, double BaselineScaledError, double ModelCoverage, double BaselineCoverage, int Fallback, int Scored, int WarmingUp = 0)
{
    /// <summary>Mean of the model's rolling one-step scaled errors.</summary>
    public double ModelOneStepError { get; init; } = double.NaN;

    /// <summary>Mean of the baseline's rolling one-step scaled errors.</summary>
    public double BaselineOneStepError { get; init; } = double.NaN;

    /// <summary>Summarises the series of <paramref name="shard"/> (consume thread).</summary>
    public static ShardAccuracy Of(Shard shard)
    {
        double modelError = 0, baselineError = 0, modelCoverage = 0, baselineCoverage = 0, modelOne = 0, baselineOne = 0;
        int modelCount = 0, baselineCount = 0, fallback = 0, warming = 0, modelOneCount = 0, baselineOneCount = 0;
        foreach (var series in shard.Series)
        {
            var accuracy = series.State.Accuracy;
            if (series.State.Steps <= shard.Groups.Current(series).Settings.WarmupPoints)
            {
                warming++;
            }

            if (series.State.InFallback)
            {
                fallback++;
            }

            if (!double.IsNaN(accuracy.BaselineScaledError))
            {
                baselineError += accuracy.BaselineScaledError;
                baselineCoverage += accuracy.BaselineCoverage;
                baselineCount++;
            }

            if (!double.IsNaN(accuracy.ModelScaledError))
            {
                modelError += accuracy.ModelScaledError;
                modelCoverage += accuracy.ModelCoverage;
                modelCount++;
            }

            if (!double.IsNaN(accuracy.ModelOneStepError))
            {
                modelOne += accuracy.ModelOneStepError;
                modelOneCount++;
            }

            if (!double.IsNaN(accuracy.BaselineOneStepError))
            {
                baselineOne += accuracy.BaselineOneStepError;
                baselineOneCount++;
            }
        }

        return new ShardAccuracy(
            Mean(modelError, modelCount), Mean(baselineError, baselineCount), Mean(modelCoverage, modelCount), Mean(baselineCoverage, baselineCount),
            fallback, baselineCount, warming)
        {
            ModelOneStepError = Mean(modelOne, modelOneCount),
            BaselineOneStepError = Mean(baselineOne, baselineOneCount),
        };
    }

    private static double Mean(double sum, int count) => count > 0 ? sum / count : double.NaN;
}
