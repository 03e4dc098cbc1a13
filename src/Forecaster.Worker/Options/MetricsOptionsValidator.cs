using Microsoft.Extensions.Options;

namespace Forecaster.Worker.Options;

/// <summary>Keeps the forecast gauges bounded: a short allow-list of non-empty ids and a sane expiry.</summary>
internal sealed class MetricsOptionsValidator : IValidateOptions<MetricsOptions>
{
    public ValidateOptionsResult Validate(string? name, MetricsOptions options)
    {
        if (options.ForecastSeries.Count > MetricsOptions.MaxForecastSeries)
        {
            return ValidateOptionsResult.Fail($"Metrics:ForecastSeries lists {options.ForecastSeries.Count} series; at most {MetricsOptions.MaxForecastSeries} keep the label set bounded.");
        }

        if (options.ForecastSeries.Any(string.IsNullOrWhiteSpace))
        {
            return ValidateOptionsResult.Fail("Metrics:ForecastSeries has an empty series id.");
        }

        return options.ForecastGaugeTtlSeconds is < 10 or > 86_400
            ? ValidateOptionsResult.Fail($"Metrics:ForecastGaugeTtlSeconds must be in 10..86400 (was {options.ForecastGaugeTtlSeconds}).")
            : ValidateOptionsResult.Success;
    }
}
