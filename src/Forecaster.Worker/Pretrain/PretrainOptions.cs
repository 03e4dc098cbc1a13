namespace Forecaster.Worker.Pretrain;

/// <summary>The <c>pretrain</c> command's options, as parsed.</summary>
/// <param name="Train">M4 wide training CSV (its training part only; no test file is read).</param>
/// <param name="Input">Long-format CSV (series,timestamp,value); the last <paramref name="Horizon"/> points of each series are left out.</param>
/// <param name="Horizon">K: steps ahead the model forecasts.</param>
/// <param name="Season">Main seasonal period.</param>
/// <param name="Weekly">Second seasonal period; -1: seven seasons when the shortest series holds two of them (as the backtest does), else 0.</param>
/// <param name="Hidden">LSTM units.</param>
/// <param name="Steps">Optimizer steps.</param>
/// <param name="Seed">Seed of the initial weights; the window sampling uses <paramref name="Seed"/> + 6, as the backtest's LSTM.</param>
/// <param name="Out">The model file to write.</param>
internal sealed record PretrainOptions(string? Train, string? Input, int Horizon, int Season, int Weekly, int Hidden, int Steps, int Seed, string? Out)
{
    /// <summary>Pinball level the point (0.5) output is trained at.</summary>
    public float PointLevel { get; init; } = 0.5f;

    /// <returns>Why these options cannot run, or null when they can.</returns>
    public string? Validate()
    {
        if (Train is null && Input is null)
        {
            return "give --train FILE (M4 wide training part) and/or --input FILE (long format)";
        }

        foreach (var file in new[] { Train, Input })
        {
            if (file is not null && !File.Exists(file))
            {
                return $"no such file: {file}";
            }
        }

        return Horizon < 1 ? "--horizon must be at least 1"
            : Season < 1 ? "--season must be at least 1"
            : Weekly < -1 || (Weekly > 0 && Weekly <= Season) ? "--weekly must be -1 (auto), 0 or longer than --season"
            : Hidden < 1 ? "--hidden must be at least 1"
            : Steps < 1 ? "--steps must be at least 1"
            : !(PointLevel > 0.1f && PointLevel < 0.9f) ? "--point-level must be in (0.1, 0.9)"
            : null;
    }
}
