using Forecaster.Worker.Profiles;

namespace Forecaster.Worker.Backtest;

/// <summary>The series of one profile at one model step: one backtest run with the season and horizon that profile gives that step.</summary>
/// <param name="Profile">The profile every series of the group resolved to.</param>
/// <param name="StepMs">The model step of every series of the group.</param>
/// <param name="Settings">Season and horizon in steps (the profile's, or the command line's overrides).</param>
/// <param name="Series">In the order of the file.</param>
internal sealed record ProfileGroup(Profile Profile, long StepMs, BacktestSettings Settings, IReadOnlyList<BacktestSeries> Series)
{
    /// <summary>A step as the shortest duration text that says it exactly: 5m, 1h, 90s, 1d.</summary>
    public static string StepText(long stepMs) =>
        stepMs % 86_400_000 == 0 ? $"{stepMs / 86_400_000}d"
        : stepMs % 3_600_000 == 0 ? $"{stepMs / 3_600_000}h"
        : stepMs % 60_000 == 0 ? $"{stepMs / 60_000}m"
        : stepMs % 1000 == 0 ? $"{stepMs / 1000}s"
        : $"{stepMs}ms";
}
