namespace Forecaster.Worker.Backtest;

/// <summary>The <c>backtest</c> command's options, as parsed.</summary>
/// <param name="Input">Long-format CSV; exclusive with <paramref name="Train"/>/<paramref name="Test"/>.</param>
/// <param name="Train">M4 wide training CSV.</param>
/// <param name="Test">M4 wide test CSV.</param>
/// <param name="Horizon">H ≥ 1; null: each profile's (long format), 48 (wide format).</param>
/// <param name="Season">m ≥ 1; null: each profile's (long format), 24 (wide format).</param>
/// <param name="OutDirectory">Receives summary.json and plots/.</param>
/// <param name="Plots">Plot the first N series (0 for none).</param>
/// <param name="Limit">Score only the first N usable series; null for all.</param>
/// <param name="Seed">Seed for methods that draw random numbers.</param>
/// <param name="Profiles">A JSON configuration file whose <c>Profiles</c> section (and Forecast and Series sections, for the default
/// profile) group the series of <paramref name="Input"/>; null: the configuration beside the executable.</param>
internal sealed record BacktestOptions(
    string? Input,
    string? Train,
    string? Test,
    int? Horizon,
    int? Season,
    string OutDirectory,
    int Plots,
    int? Limit,
    int Seed,
    string? Profiles = null)
{
    /// <summary>The one task of a run that is not grouped by profile: the given horizon and season, else 48 and 24.</summary>
    public BacktestSettings Settings => new(Horizon ?? 48, Season ?? 24, Seed);

    /// <summary>
    /// True when the series are grouped by profile, each group a run with its profile's season and horizon (the given ones override
    /// them): long format with <c>--profiles</c>, or without <c>--season</c> or <c>--horizon</c>.
    /// </summary>
    public bool ByProfile => Input is not null && (Profiles is not null || Horizon is null || Season is null);

    /// <returns>Why these options cannot run, or null when they can.</returns>
    public string? Validate()
    {
        bool wide = Train is not null || Test is not null;
        if (Input is not null == wide)
        {
            return "give either --input FILE (long format) or both --train FILE and --test FILE (M4 wide format)";
        }

        if (wide && (Train is null || Test is null))
        {
            return "--train and --test go together";
        }

        if (wide && Profiles is not null)
        {
            return "--profiles needs --input (the wide format has neither metric names nor timestamps)";
        }

        foreach (string? file in new[] { Input, Train, Test, Profiles })
        {
            if (file is not null && !File.Exists(file))
            {
                return $"no such file: {file}";
            }
        }

        return Horizon < 1 ? "--horizon must be at least 1"
            : Season < 1 ? "--season must be at least 1"
            : Plots < 0 ? "--plots must not be negative"
            : Limit is < 1 ? "--limit must be at least 1"
            : null;
    }
}
