namespace Forecaster.Worker.Backtest;

/// <summary>The <c>backtest</c> command's options, as parsed.</summary>
/// <param name="Input">Long-format CSV; exclusive with <paramref name="Train"/>/<paramref name="Test"/>.</param>
/// <param name="Train">M4 wide training CSV.</param>
/// <param name="Test">M4 wide test CSV.</param>
/// <param name="Horizon">H ≥ 1.</param>
/// <param name="Season">m ≥ 1.</param>
/// <param name="OutDirectory">Receives summary.json and plots/.</param>
/// <param name="Plots">Plot the first N series (0 for none).</param>
/// <param name="Limit">Score only the first N usable series; null for all.</param>
/// <param name="Seed">Seed for methods that draw random numbers.</param>
internal sealed record BacktestOptions(
    string? Input,
    string? Train,
    string? Test,
    int Horizon,
    int Season,
    string OutDirectory,
    int Plots,
    int? Limit,
    int Seed)
{
    public BacktestSettings Settings => new(Horizon, Season, Seed);

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

        foreach (string? file in new[] { Input, Train, Test })
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
