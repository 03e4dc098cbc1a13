using Microsoft.Extensions.Options;

namespace Forecaster.Worker.Options;

/// <summary>Refuses ingest limits that would reject everything or nothing sensible.</summary>
internal sealed class IngestOptionsValidator : IValidateOptions<IngestOptions>
{
    public ValidateOptionsResult Validate(string? name, IngestOptions options)
    {
        var failures = new List<string>();
        if (options.MaxSeriesIdLength is < 8 or > 65536)
        {
            failures.Add($"Ingest:MaxSeriesIdLength must be in 8..65536 (was {options.MaxSeriesIdLength}).");
        }

        if (options.MaxLabels is < 0 or > 1024)
        {
            failures.Add($"Ingest:MaxLabels must be in 0..1024 (was {options.MaxLabels}).");
        }

        if (options.MaxFutureSkewSeconds < 0)
        {
            failures.Add($"Ingest:MaxFutureSkewSeconds must not be negative (was {options.MaxFutureSkewSeconds}).");
        }

        if (options.MaxAgeSeconds < 0)
        {
            failures.Add($"Ingest:MaxAgeSeconds must not be negative (was {options.MaxAgeSeconds}).");
        }

        var both = Ingest.KindRules.Split(options.CounterMetrics).Intersect(Ingest.KindRules.Split(options.GaugeMetrics), StringComparer.Ordinal).ToList();
        if (both.Count > 0)
        {
            failures.Add($"Ingest:CounterMetrics and Ingest:GaugeMetrics both name {string.Join(", ", both)}.");
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}
