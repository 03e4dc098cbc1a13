using Forecaster.Worker.Options;

namespace Forecaster.Worker.Profiles;

/// <summary>The profile of a series no rule takes: today's Forecast and Series settings, unchanged.</summary>
internal static class DefaultProfile
{
    public const string Name = "default";

    /// <summary>
    /// Seasons and horizon as <see cref="ForecastOptions.Plan"/> reads them (step counts win over durations; without durations
    /// 24, 0 and 12 steps), the quantile levels of the Forecast section, the step and aggregation of the Series section.
    /// </summary>
    public static Profile From(ForecastOptions forecast, SeriesOptions series)
    {
        long[]? seasonsMs = null;
        long? horizonMs = null;
        if (forecast.InTime && forecast.TryDurations(out var seasons, out var horizon, out _))
        {
            (seasonsMs, horizonMs) = (seasons, horizon);
        }

        var inSteps = seasonsMs is null;
        return new Profile(
            Name,
            0,
            series.StepSeconds * 1000L,
            series.StepSeconds > 0 ? 0 : series.MinStep * 1000L, // a fixed step is never floored (the shipped MinStep stays harmless under it)
            series.Aggregation,
            null,
            seasonsMs,
            horizonMs,
            forecast.Season ?? (inSteps ? 24 : null),
            forecast.WeeklySeason ?? (inSteps ? 0 : null),
            forecast.Horizons ?? (inSteps ? 12 : null),
            (float[])forecast.Levels.Clone(),
            null);
    }
}
