using Forecaster.Core.Forecasting;
using Forecaster.Worker.Processing;

namespace Forecaster.Worker.Training;

/// <summary>
/// The snapshot a retraining works on: copies of the histories of up to N series (0: all) of a model group that hold enough
/// values to train and validate, chosen by a seeded partial shuffle of the candidates ordered by series id
/// (so the same series and inputs give the same sample whatever the table's internal order), with where each
/// sits in time (its <see cref="HistoryAxis"/>), so the run replays it with the phases serving saw.
/// </summary>
internal static class TrainingSample
{
    public static float[][] Take(IEnumerable<SeriesEntry> series, ForecastSettings settings, int maxSeries, int seed, out HistoryAxis[] axes)
    {
        var minimum = settings.RetrainHistory;
        var candidates = series.Where(s => s.State.Steps >= minimum).ToArray();
        Array.Sort(candidates, (a, b) => a.Key.AsSpan().SequenceCompareTo(b.Key));
        var take = maxSeries == 0 ? candidates.Length : Math.Min(maxSeries, candidates.Length);
        var random = new Random(seed);
        for (var i = 0; i < take; i++)
        {
            var j = random.Next(i, candidates.Length);
            (candidates[i], candidates[j]) = (candidates[j], candidates[i]);
        }

        var histories = new float[take][];
        axes = new HistoryAxis[take];
        for (var i = 0; i < take; i++)
        {
            histories[i] = candidates[i].State.CopyHistory();
            axes[i] = HistoryAxis.Of(candidates[i].State);
        }

        return histories;
    }
}
