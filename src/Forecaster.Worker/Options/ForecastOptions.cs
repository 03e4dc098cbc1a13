using Forecaster.Core.Forecasting;

namespace Forecaster.Worker.Options;

/// <summary>The <c>Forecast</c> section: model and output shape, turned into Core's plain settings.</summary>
internal sealed class ForecastOptions
{
    public const string Section = "Forecast";

    public int Horizons { get; set; } = 12;

    /// <summary>Ascending levels in (0, 1), including 0.5; null means the default 0.1, 0.5, 0.9.
    /// (Null rather than a filled array: the configuration binder appends to an existing array.)</summary>
    public float[]? QuantileLevels { get; set; }

    public float[] Levels => QuantileLevels is { Length: > 0 } levels ? levels : [0.1f, 0.5f, 0.9f];

    /// <summary>Main seasonal period in steps.</summary>
    public int Season { get; set; } = 24;

    /// <summary>Second seasonal period in steps; 0 for none.</summary>
    public int WeeklySeason { get; set; }
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

    public ForecastSettings ToSettings() => new()
    {
        Horizons = Horizons,
        QuantileLevels = (float[])Levels.Clone(),
        Season = Season,
        WeeklySeason = WeeklySeason,
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
