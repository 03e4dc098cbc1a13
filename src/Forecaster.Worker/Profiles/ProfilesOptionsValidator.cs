using Forecaster.Worker.Options;
using Microsoft.Extensions.Options;

namespace Forecaster.Worker.Profiles;

/// <summary>
/// Refuses a Profiles section that does not compile over the default profile (one line per bad value), and, until a shard
/// holds one model per shape, a rule that sets what changes the model's shape or phases (seasons, horizon, quantile levels,
/// time zone): the worker would serve its series with the default's silently. <c>backtest --profiles</c> applies those.
/// </summary>
internal sealed class ProfilesOptionsValidator(IOptions<ForecastOptions> forecast, IOptions<SeriesOptions> series) : IValidateOptions<ProfilesOptions>
{
    public ValidateOptionsResult Validate(string? name, ProfilesOptions options)
    {
        ForecastOptions forecastOptions;
        SeriesOptions seriesOptions;
        try
        {
            (forecastOptions, seriesOptions) = (forecast.Value, series.Value);
        }
        catch (OptionsValidationException)
        {
            // Those sections report themselves; the rules are checked over the shipped defaults meanwhile.
            (forecastOptions, seriesOptions) = (new ForecastOptions(), new SeriesOptions());
        }

        ProfileSet.TryBuild(options, forecastOptions, seriesOptions, out var problems);
        problems.AddRange(NotServedYet(options));
        problems.AddRange(StepsUnderDurations(options, forecastOptions));
        return problems.Count > 0 ? ValidateOptionsResult.Fail(problems) : ValidateOptionsResult.Success;
    }

    /// <summary>
    /// A rule's Step gives its series another step than the one the Forecast section's seasons and horizon in time were
    /// counted in (the shard's one model shape): a daily season of 288 five-minute steps would be 12 days at an hour.
    /// </summary>
    private static IEnumerable<string> StepsUnderDurations(ProfilesOptions options, ForecastOptions forecast)
    {
        var inTime = forecast.InTime && (forecast.Season is null || forecast.WeeklySeason is null || forecast.Horizons is null);
        var rules = options.Rules ?? [];
        for (var i = 0; i < rules.Length; i++)
        {
            if (inTime && rules[i].Step is not null)
            {
                yield return $"{ProfilesOptions.Section}:Rules:{i}:Step cannot be set while Forecast:Seasons or Forecast:Horizon are durations: the shard's one model counts them in Series:StepSeconds steps (give Forecast:Season and Forecast:Horizons in steps, or leave the rule's Step out).";
            }
        }
    }

    private static IEnumerable<string> NotServedYet(ProfilesOptions options)
    {
        var rules = options.Rules ?? [];
        for (var i = 0; i < rules.Length; i++)
        {
            var set = new[]
            {
                rules[i].Seasons is { Length: > 0 } ? "Seasons" : null,
                rules[i].Horizon is not null ? "Horizon" : null,
                rules[i].QuantileLevels is { Length: > 0 } ? "QuantileLevels" : null,
            }.OfType<string>().ToArray();
            if (set.Length > 0)
            {
                yield return $"{ProfilesOptions.Section}:Rules:{i} sets {string.Join(", ", set)}: the worker serves one model shape per shard for now, so only Step, Aggregation, Kind and TimeZone may differ from the default profile (backtest --profiles applies the seasons, horizon and levels).";
            }
        }
    }
}
