using Forecaster.Core.Forecasting;
using Forecaster.Worker.Ingest;
using Forecaster.Worker.Processing;

namespace Forecaster.Worker.Profiles;

/// <summary>
/// What a profile sets for the series it takes, resolved against the default profile: every field is set. Seasons and
/// the horizon are durations (turned into steps of each series' step by <see cref="Plan"/>) unless the default profile
/// gave them in steps (<c>Forecast:Season</c>, <c>Forecast:WeeklySeason</c>, <c>Forecast:Horizons</c>) and the rule did not
/// override them.
/// </summary>
/// <param name="Name">Written into the forecast record.</param>
/// <param name="Index">Position in <see cref="ProfileSet.Profiles"/>: 0 is the default profile, rule i is i + 1.</param>
/// <param name="StepMs">A fixed model step (Series:StepSeconds); 0: the series' own (learned) step, floored by <paramref name="MinStepMs"/>.</param>
/// <param name="MinStepMs">Least step of a learned step (a rule's Step, else Series:MinStep), rounded up to a standard step; 0 for none.</param>
/// <param name="Aggregation">A gauge bucket's aggregation.</param>
/// <param name="Kind">Gauge or counter; null: as the record and the Ingest rules say.</param>
/// <param name="SeasonsMs">Seasons in time; null when they are given in steps.</param>
/// <param name="HorizonMs">The horizon in time; null when it is given in steps.</param>
/// <param name="SeasonSteps">Main season in steps, overriding <paramref name="SeasonsMs"/>.</param>
/// <param name="WeeklySteps">Second season in steps, overriding <paramref name="SeasonsMs"/>.</param>
/// <param name="HorizonSteps">Horizon in steps, overriding <paramref name="HorizonMs"/>.</param>
/// <param name="QuantileLevels">Ascending, including 0.5.</param>
/// <param name="Zone">The time zone whose local days and weeks the seasons follow (<see cref="Core.Series.SeriesState.Zone"/>); null for UTC.</param>
internal sealed record Profile(
    string Name,
    int Index,
    long StepMs,
    long MinStepMs,
    BucketAggregation Aggregation,
    MetricKind? Kind,
    long[]? SeasonsMs,
    long? HorizonMs,
    int? SeasonSteps,
    int? WeeklySteps,
    int? HorizonSteps,
    float[] QuantileLevels,
    Core.Series.UtcOffsets? Zone)
{
    /// <summary>True when turning seasons or the horizon into steps needs the series' step.</summary>
    public bool InTime => (SeasonsMs is not null && (SeasonSteps is null || WeeklySteps is null)) || (HorizonMs is not null && HorizonSteps is null);

    /// <summary>
    /// The model step of a series whose raw points are <paramref name="rawMs"/> apart, as the worker's timeline makes it: the fixed
    /// step, or the raw step floored by <see cref="MinStepMs"/> and rounded up to a standard step (<see cref="StepEstimate.ModelStep"/>;
    /// never finer than the raw spacing, which would be gaps).
    /// </summary>
    public long ModelStep(long rawMs) => StepMs > 0 ? StepMs : StepEstimate.ModelStep(rawMs, MinStepMs);

    /// <summary>Seasons and horizon in steps of <paramref name="stepMs"/>: each step count set wins, then the durations.</summary>
    /// <exception cref="ArgumentOutOfRangeException">A duration is to be counted and <paramref name="stepMs"/> is not positive.</exception>
    public SeasonPlan Plan(long stepMs)
    {
        var seasons = SeasonsMs is not null && (SeasonSteps is null || WeeklySteps is null)
            ? SeasonPlan.For(stepMs, SeasonsMs, stepMs)
            : new SeasonPlan(SeasonSteps ?? 24, WeeklySteps ?? 0, 1);
        var horizons = HorizonSteps ?? (HorizonMs is long horizonMs ? SeasonPlan.For(stepMs, [], horizonMs).Horizons : 12);
        return new SeasonPlan(SeasonSteps ?? seasons.Season, WeeklySteps ?? seasons.WeeklySeason, horizons, WeeklySteps is null ? seasons.WeeklyStride : 1);
    }
}
