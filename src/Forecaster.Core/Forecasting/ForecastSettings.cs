namespace Forecaster.Core.Forecasting;

/// <summary>
/// Plain settings of the forecasting core for one shard (the worker builds them from its options; Core never
/// sees configuration types). Seasons are counted in steps of the series.
/// </summary>
public sealed record ForecastSettings
{
    /// <summary>K: steps ahead forecast at every step.</summary>
    public int Horizons { get; init; } = 12;

    /// <summary>Q quantile levels in (0, 1), ascending; must contain 0.5 (the point forecast).</summary>
    public float[] QuantileLevels { get; init; } = [0.1f, 0.5f, 0.9f];

    /// <summary>Main seasonal period in steps (24 for hourly data with a daily cycle).</summary>
    public int Season { get; init; } = 24;

    /// <summary>Components of the second season (168 for hourly data with a weekly cycle); 0 for none. It spans
    /// <see cref="WeeklySeason"/> × <see cref="WeeklyStride"/> steps.</summary>
    public int WeeklySeason { get; init; }

    /// <summary>Consecutive steps that share one component of the second season, ≥ 1 (12 on a 5-minute series: one
    /// component per hour of the week, 168 floats instead of 2016).</summary>
    public int WeeklyStride { get; init; } = 1;

    /// <summary>Steps the second season spans.</summary>
    public long WeeklyPeriod => (long)WeeklySeason * WeeklyStride;

    /// <summary>Raw values kept per series for retraining and re-warming.</summary>
    public int HistoryCapacity { get; init; } = 512;

    /// <summary>Steps a series is served by the smoothing baseline (status warming up) before the LSTM.</summary>
    public int WarmupPoints { get; init; } = 48;

    /// <summary>H: LSTM units.</summary>
    public int HiddenSize { get; init; } = 32;

    /// <summary>Seed of the initial weights.</summary>
    public int Seed { get; init; } = 1;

    /// <summary>Derive the phase features from timestamps (time of day, day of week) instead of the step index.</summary>
    public bool CalendarFeatures { get; init; }

    /// <summary>Exponential smoothing weight of the level, in (0, 1).</summary>
    public float LevelSmoothing { get; init; } = 0.05f;

    /// <summary>Smoothing weight of the main seasonal components, in [0, 1).</summary>
    public float SeasonSmoothing { get; init; } = 0.4f;

    /// <summary>Smoothing weight of the second seasonal components, in [0, 1).</summary>
    public float WeeklySmoothing { get; init; } = 0.2f;

    /// <summary>Choose the level and season weights per series from its own history (<see cref="Series.SeriesSmoothingFit"/>); off: the global ones serve every series.</summary>
    public bool PerSeriesSmoothing { get; init; }

    /// <summary>Values a series must have seen before its weights are fitted (with <see cref="PerSeriesSmoothing"/>), in [2 Season + 1, HistoryCapacity].</summary>
    public int SmoothingFitPoints { get; init; } = 336;

    /// <summary>Leads the weights are fitted on (see <see cref="Series.SeriesSmoothingFit"/>): 1 one-step surprises, 0 all <see cref="Horizons"/>.</summary>
    public int SmoothingFitLeads { get; init; }

    /// <summary>Which weights are fitted per series (the other stays global).</summary>
    public Series.SmoothingWeights SmoothingFitWeights { get; init; }

    /// <summary>Smoothing weight of the noise scale (mean absolute one-step surprise), in (0, 1).</summary>
    public float NoiseSmoothing { get; init; } = 0.05f;

    /// <summary>Serve the baseline for series on which the model has been losing to it (off when validating models).</summary>
    public bool Fallback { get; init; } = true;

    /// <summary>Anomaly likelihood at which an anomaly event fires (see <see cref="Anomaly.AnomalyEvent"/>), in (0, 1].</summary>
    public double AnomalyThreshold { get; init; } = DefaultAnomalyThreshold;

    /// <summary>The default <see cref="AnomalyThreshold"/>.</summary>
    public const double DefaultAnomalyThreshold = 0.62;

    /// <summary>Values a history needs to be retrained on: a season and the warm-up replayed before the <see cref="Horizons"/> held out, and one more.</summary>
    public long RetrainHistory => (long)Season + Horizons + WarmupPoints + 1;

    /// <summary>Index of the 0.5 level in <see cref="QuantileLevels"/>.</summary>
    public int MedianIndex => Array.IndexOf(QuantileLevels, 0.5f);

    /// <summary>Throws <see cref="ArgumentException"/> naming the first invalid setting.</summary>
    public void Validate()
    {
        Require(Horizons >= 1, nameof(Horizons), "must be at least 1");
        Require(QuantileLevels.Length >= 1, nameof(QuantileLevels), "must not be empty");
        for (var q = 0; q < QuantileLevels.Length; q++)
        {
            Require(QuantileLevels[q] > 0f && QuantileLevels[q] < 1f, nameof(QuantileLevels), "must be in (0, 1)");
            Require(q == 0 || QuantileLevels[q] > QuantileLevels[q - 1], nameof(QuantileLevels), "must be ascending");
        }

        Require(MedianIndex >= 0, nameof(QuantileLevels), "must contain 0.5");
        Require(Season >= 1, nameof(Season), "must be at least 1");
        Require(WeeklyStride >= 1, nameof(WeeklyStride), "must be at least 1");
        Require(WeeklySeason == 0 || WeeklyPeriod > Season, nameof(WeeklySeason), "must be 0 or span more steps than Season");
        Require(HistoryCapacity >= Season, nameof(HistoryCapacity), "must hold at least one season");
        Require(WarmupPoints >= Season, nameof(WarmupPoints), "must be at least one season");
        Require(HiddenSize >= 1, nameof(HiddenSize), "must be at least 1");
        Require(LevelSmoothing > 0f && LevelSmoothing < 1f, nameof(LevelSmoothing), "must be in (0, 1)");
        Require(SeasonSmoothing >= 0f && SeasonSmoothing < 1f, nameof(SeasonSmoothing), "must be in [0, 1)");
        Require(WeeklySmoothing >= 0f && WeeklySmoothing < 1f, nameof(WeeklySmoothing), "must be in [0, 1)");
        Require(!PerSeriesSmoothing || (SmoothingFitPoints > 2 * Season && SmoothingFitPoints <= HistoryCapacity), nameof(SmoothingFitPoints), "must be more than two seasons and at most HistoryCapacity");
        Require(Enum.IsDefined(SmoothingFitWeights), nameof(SmoothingFitWeights), "must be Both, Level or Season");
        Require(SmoothingFitLeads >= 0, nameof(SmoothingFitLeads), "must be 0 (all horizons) or more");
        Require(NoiseSmoothing > 0f && NoiseSmoothing < 1f, nameof(NoiseSmoothing), "must be in (0, 1)");
        Require(AnomalyThreshold > 0 && AnomalyThreshold <= 1, nameof(AnomalyThreshold), "must be in (0, 1]");
    }

    private static void Require(bool condition, string name, string rule)
    {
        if (!condition)
        {
            throw new ArgumentException($"Forecast setting {name} {rule}.", name);
        }
    }
}
