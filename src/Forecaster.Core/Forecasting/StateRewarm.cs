using Forecaster.Core.Lstm;
using Forecaster.Core.Series;

namespace Forecaster.Core.Forecasting;

/// <summary>
/// Re-warms the LSTM states (h, c) of series under a new model: each series' last <c>steps</c> values are
/// replayed from zero state, batched, with features from a scratch smoothing replay of the recent history.
/// The series' own smoothing state, history and accuracy are untouched. Runs on the thread that owns the
/// series, right after a model swap. In one go here; <see cref="RewarmRun"/> does the same work in shares.
/// </summary>
public static class StateRewarm
{
    /// <exception cref="InvalidOperationException">A series is pending in a forecaster.</exception>
    public static void Run(ForecastModel model, ForecastSettings settings, IReadOnlyList<SeriesState> series, int steps, int maxBatch = 1024)
    {
        var run = new RewarmRun(model, settings, series, steps, maxBatch);
        while (!run.Advance(int.MaxValue))
        {
        }
    }
}
