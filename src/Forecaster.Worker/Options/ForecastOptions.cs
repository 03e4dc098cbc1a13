using Forecaster.Core.Forecasting;

namespace Forecaster.Worker.Options;

/// <summary>The <c>Forecast</c> section: model and output shape, turned into Core's plain settings.</summary>
internal sealed class ForecastOptions
{
    public const string Section = "Forecast";

    /// <summary>K: steps ahead, overriding <see cref="Horizon"/>; 12 when neither is set.</summary>
    public int? Horizons { get; set; }

    /// <summary>The horizon in time (<c>"1h"</c>), turned into steps of <see cref="StepMs"/>; used when <see cref="Horizons"/> is not set.</summary>
    public string? Horizon { get; set; }

    /// <summary>Seasons in time (<c>["1d", "1w"]</c>), turned into steps of <see cref="StepMs"/> (<see cref="SeasonPlan"/>); used where
    /// <see cref="Season"/> or <see cref="WeeklySeason"/> is not set. Null (and no <see cref="Horizon"/>): seasons of 24 and 0 steps.</summary>
    public string[]? Seasons { get; set; }

    /// <summary>The step durations are counted in: Series:StepSeconds, set by the host (0: learned per series, which durations cannot use yet).</summary>
    internal long StepMs { get; set; }

    /// <summary>Ascending levels in (0, 1), including 0.5; null means the default 0.1, 0.5, 0.9.
    /// (Null rather than a filled array: the configuration binder appends to an existing array.)</summary>
    public float[]? QuantileLevels { get; set; }

    public float[] Levels => QuantileLevels is { Length: > 0 } levels ? levels : [0.1f, 0.5f, 0.9f];

    /// <summary>Main seasonal period in steps, overriding <see cref="Seasons"/>.</summary>
    public int? Season { get; set; }

    /// <summary>Second seasonal period in steps (0 for none), overriding <see cref="Seasons"/>.</summary>
    public int? WeeklySeason { get; set; }

    /// <summary>True when seasons or the horizon are given in time.</summary>
    public bool InTime => Seasons is { Length: > 0 } || !string.IsNullOrWhiteSpace(Horizon);

    /// <summary>The seasons and horizon in steps: each step count set wins, then durations (defaults 1d, 1w and 1h) at <see cref="StepMs"/>, then 24, 0 and 12.</summary>
    public SeasonPlan Plan()
    {
        var plan = InTime && StepMs > 0 && TryDurations(out var seasons, out var horizon, out _) ? SeasonPlan.For(StepMs, seasons, horizon) : new SeasonPlan(24, 0, 12);
        return new SeasonPlan(Season ?? plan.Season, WeeklySeason ?? plan.WeeklySeason, Horizons ?? plan.Horizons, WeeklySeason is null ? plan.WeeklyStride : 1);
    }

    /// <summary>Parses <see cref="Seasons"/> and <see cref="Horizon"/> (their defaults where absent) into ms; false with one line per bad value.</summary>
    public bool TryDurations(out long[] seasonsMs, out long horizonMs, out List<string> problems)
    {
        problems = [];
        string[] seasons = Seasons is { Length: > 0 } given ? given : ["1d", "1w"];
        seasonsMs = new long[seasons.Length];
        for (var i = 0; i < seasons.Length; i++)
        {
            seasonsMs[i] = Milliseconds(seasons[i], $"Forecast:Seasons:{i}", problems);
        }

        horizonMs = Milliseconds(string.IsNullOrWhiteSpace(Horizon) ? "1h" : Horizon, "Forecast:Horizon", problems);
        return problems.Count == 0;
    }

    private static long Milliseconds(string text, string setting, List<string> problems)
    {
        if (!DurationSetting.TryParse(text, DurationUnit.Seconds, out var seconds, out var problem))
        {
            problems.Add($"{setting} {problem}.");
        }
        else if (seconds < 1 || seconds > 366L * 86_400)
        {
            problems.Add($"{setting} must be from 1s to 366d (was '{text}').");
        }

        return seconds * 1000;
    }
    public bool CalendarFeatures { get; set; }
    public int HistoryCapacity { get; set; } = 512;
    public int WarmupPoints { get; set; } = 48;
    public int HiddenSize { get; set; } = 32;
    public int Seed { get; set; } = 1;
    public float LevelSmoothing { get; set; } = 0.05f;
    public float SeasonSmoothing { get; set; } = 0.4f;
    public float WeeklySmoothing { get; set; } = 0.2f;
    public float NoiseSmoothing { get; set; } = 0.05f;
    public bool PerSeriesSmoothing { get; set; }
    public int SmoothingFitPoints { get; set; } = 336;
    public int SmoothingFitLeads { get; set; }
    public Core.Series.SmoothingWeights SmoothingFitWeights { get; set; }

    /// <summary>Model name written into every forecast record.</summary>
    public string ModelName { get; set; } = "lstm";

    /// <summary>Core's settings; with seasons counted from durations at a fixed step, the warm-up and history are raised as a model group's are (<see cref="Profiles.ModelShapes.Sized"/>).</summary>
    public ForecastSettings ToSettings() => InTime && StepMs > 0 && (Season is null || WeeklySeason is null || Horizons is null) ? Profiles.ModelShapes.Sized(ToSettings(Plan())) : ToSettings(Plan());

    private ForecastSettings ToSettings(SeasonPlan plan) => new()
    {
        Horizons = plan.Horizons,
        QuantileLevels = (float[])Levels.Clone(),
        Season = plan.Season,
        WeeklySeason = plan.WeeklySeason,
        WeeklyStride = plan.WeeklyStride,
        CalendarFeatures = CalendarFeatures,
        HistoryCapacity = HistoryCapacity,
        WarmupPoints = WarmupPoints,
        HiddenSize = HiddenSize,
        Seed = Seed,
        LevelSmoothing = LevelSmoothing,
        SeasonSmoothing = SeasonSmoothing,
        WeeklySmoothing = WeeklySmoothing,
        NoiseSmoothing = NoiseSmoothing,
        PerSeriesSmoothing = PerSeriesSmoothing,
        SmoothingFitPoints = SmoothingFitPoints,
        SmoothingFitLeads = SmoothingFitLeads,
        SmoothingFitWeights = SmoothingFitWeights,
    };
}
