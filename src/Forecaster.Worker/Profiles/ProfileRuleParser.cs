using Forecaster.Worker.Ingest;
using Forecaster.Worker.Options;

namespace Forecaster.Worker.Profiles;

/// <summary>Turns one configured rule into a compiled <see cref="ProfileRule"/>, with one line per bad value naming its setting.</summary>
internal static class ProfileRuleParser
{
    /// <returns>The rule, or null when <paramref name="problems"/> got a line for it.</returns>
    public static ProfileRule? Parse(ProfileRuleOptions rule, int position, Profile defaults, List<string> problems)
    {
        var at = $"{ProfilesOptions.Section}:Rules:{position}";
        var before = problems.Count;
        var name = rule.Name?.Trim() ?? "";
        if (name.Length == 0 || name.Equals(DefaultProfile.Name, StringComparison.OrdinalIgnoreCase))
        {
            problems.Add($"{at}:Name is required and must not be '{DefaultProfile.Name}' (was '{rule.Name}').");
        }

        var metric = Compile(string.IsNullOrWhiteSpace(rule.Metric) ? "*" : rule.Metric.Trim(), $"{at}:Metric", problems);
        var labels = (rule.Labels ?? []).OrderBy(l => l.Key, StringComparer.Ordinal)
            .Select(l => (l.Key, Compile(l.Value ?? "", $"{at}:Labels:{l.Key}", problems)))
            .ToArray();
        // A rule's step must be a standard model step, the steps a learned step is rounded up to (StepEstimate.ModelStep).
        var stepMs = rule.Step is null ? defaults.StepMs : Duration(rule.Step, $"{at}:Step", 1_000, 86_400_000, problems);
        if (rule.Step is not null && stepMs > 0 && !Processing.StepEstimate.IsModelStep(stepMs))
        {
            problems.Add($"{at}:Step must be one of 1m, 5m, 10m, 15m, 30m, 1h, 1d (was '{rule.Step}').");
        }

        var aggregation = Parse(rule.Aggregation, defaults.Aggregation, $"{at}:Aggregation", "mean, last, min, max or sum", problems);
        MetricKind? kind = rule.Kind is null ? defaults.Kind : Parse(rule.Kind, MetricKind.Gauge, $"{at}:Kind", "gauge or counter", problems);
        var seasonsMs = rule.Seasons is { Length: > 0 } seasons
            ? seasons.Select((s, i) => Duration(s, $"{at}:Seasons:{i}", 1_000, 366L * 86_400_000, problems)).ToArray()
            : defaults.SeasonsMs;
        long? horizonMs = rule.Horizon is null ? defaults.HorizonMs : Duration(rule.Horizon, $"{at}:Horizon", 1_000, 366L * 86_400_000, problems);
        if (stepMs > 0 && seasonsMs is not null && (rule.Seasons is { Length: > 0 } || rule.Step is not null))
        {
            foreach (var (seasonMs, i) in seasonsMs.Select((s, i) => (s, i)).Where(s => s.s > 0 && s.s % stepMs != 0))
            {
                problems.Add($"{at}:Seasons:{i} ({seasonMs / 1000}s) is not a whole number of steps of {stepMs / 1000}s.");
            }
        }

        var levels = rule.QuantileLevels is { Length: > 0 } given ? given : defaults.QuantileLevels;
        if (!LevelsAreValid(levels))
        {
            problems.Add($"{at}:QuantileLevels must ascend strictly in (0, 1) and include 0.5 (was {string.Join(", ", levels)}).");
        }

        var zone = defaults.Zone;
        if (!string.IsNullOrWhiteSpace(rule.TimeZone))
        {
            zone = TimeZoneInfo.TryFindSystemTimeZoneById(rule.TimeZone.Trim(), out var found) ? ZoneOffsets.From(found) : null;
            if (zone is null)
            {
                problems.Add($"{at}:TimeZone '{rule.TimeZone}' is not a known time zone (an IANA name such as Europe/Berlin).");
            }
        }

        if (problems.Count > before)
        {
            return null;
        }

        var profile = defaults with
        {
            Name = name,
            Index = position + 1,
            StepMs = rule.Step is null ? defaults.StepMs : 0,
            MinStepMs = rule.Step is null ? defaults.MinStepMs : stepMs,
            Aggregation = aggregation,
            Kind = kind,
            SeasonsMs = seasonsMs,
            HorizonMs = horizonMs,
            SeasonSteps = rule.Seasons is { Length: > 0 } ? null : defaults.SeasonSteps,
            WeeklySteps = rule.Seasons is { Length: > 0 } ? null : defaults.WeeklySteps,
            HorizonSteps = rule.Horizon is null ? defaults.HorizonSteps : null,
            QuantileLevels = (float[])levels.Clone(),
            Zone = zone,
        };
        return new ProfileRule(metric, labels, profile);
    }

    private static Glob Compile(string pattern, string setting, List<string> problems)
    {
        if (!Glob.TryCompile(pattern, out var glob, out var problem))
        {
            problems.Add($"{setting} is not a glob: {problem}.");
        }

        return glob;
    }

    private static long Duration(string text, string setting, long minMs, long maxMs, List<string> problems)
    {
        if (!DurationSetting.TryParse(text, DurationUnit.Milliseconds, out var ms, out var problem))
        {
            problems.Add($"{setting} {problem}.");
            return 0;
        }

        if (ms < minMs || ms > maxMs)
        {
            problems.Add($"{setting} must be from {minMs / 1000}s to {maxMs / 86_400_000}d (was '{text}').");
            return 0;
        }

        return ms;
    }

    private static TEnum Parse<TEnum>(string? text, TEnum fallback, string setting, string allowed, List<string> problems)
        where TEnum : struct, Enum
    {
        if (text is null)
        {
            return fallback;
        }

        if (Enum.TryParse<TEnum>(text.Trim(), ignoreCase: true, out var value) && Enum.IsDefined(value) && !char.IsAsciiDigit(text.Trim()[0]))
        {
            return value;
        }

        problems.Add($"{setting} must be {allowed} (was '{text}').");
        return fallback;
    }

    private static bool LevelsAreValid(float[] levels) =>
        levels.Length > 0 && levels.All(l => l > 0 && l < 1) && levels.Zip(levels.Skip(1)).All(p => p.First < p.Second) && levels.Contains(0.5f);
}
