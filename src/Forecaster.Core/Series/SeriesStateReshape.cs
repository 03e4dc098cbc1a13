using Forecaster.Core.Forecasting;

namespace Forecaster.Core.Series;

/// <summary>
/// Carries a series state across a change of the model's shape (hidden size, horizons) or of the history
/// capacity: the smoothing state, counters, flags, history (its newest values, as many as the new ring holds),
/// accuracy and anomaly state are kept; the LSTM state (h, c) starts from zero, to be re-warmed under the new
/// model; the K-step pending accuracy entries are kept only when the horizons did not change (their ring
/// positions depend on K). The season lengths must be equal: seasonal components cannot be mapped.
/// </summary>
internal static class SeriesStateReshape
{
    /// <summary>Whether a state of <paramref name="from"/> can be carried to <paramref name="to"/>: the same season lengths.</summary>
    public static bool Possible(ForecastSettings from, ForecastSettings to) =>
        from.Season == to.Season && from.WeeklySeason == to.WeeklySeason;

    /// <summary>A state under <paramref name="settings"/> holding what <paramref name="old"/> can give it.</summary>
    public static SeriesState To(SeriesState old, ForecastSettings settings)
    {
        var state = new SeriesState(settings)
        {
            Steps = old.Steps,
            LastTimestampMs = old.LastTimestampMs,
            StepMs = old.StepMs,
            Zone = old.Zone,
            Initialized = old.Initialized,
            InFallback = old.InFallback,
            HasPreviousBand = old.HasPreviousBand,
            Scale = old.Scale,
            Level = old.Level,
            Noise = old.Noise,
            PreviousLower = old.PreviousLower,
            PreviousMedian = old.PreviousMedian,
            PreviousUpper = old.PreviousUpper,
        };
        old.Season.AsSpan().CopyTo(state.Season);
        old.Weekly.AsSpan().CopyTo(state.Weekly);
        var kept = Math.Min(old.History.Count, state.History.Capacity);
        for (var age = kept - 1; age >= 0; age--)
        {
            state.History.Add(old.History.Back(age));
        }

        var a = old.Accuracy;
        state.Accuracy.Restore(a.Samples, a.ModelScaledError, a.BaselineScaledError, a.ModelCoverage, a.BaselineCoverage, a.NaiveScale, a.ModelAbsoluteError, a.BaselineAbsoluteError);
        state.Accuracy.RestoreOneStep(a.ModelOneStepError, a.BaselineOneStepError);
        a.OneStep.AsSpan().CopyTo(state.Accuracy.OneStep);
        if (a.Horizons == state.Accuracy.Horizons)
        {
            a.KStep.AsSpan().CopyTo(state.Accuracy.KStep);
        }

        state.Anomaly = old.Anomaly;
        return state;
    }
}
