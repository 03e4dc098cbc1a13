using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;
using Forecaster.Core.Forecasting;

namespace Forecaster.Worker.Profiles;

/// <summary>
/// The model shape of a series: its profile's seasons, horizon and quantile levels counted in its step, over the
/// worker's Forecast settings (hidden size, smoothing, seed stay the worker's). A shape needs a warm-up at least a season
/// long, and a history that holds what a retraining replays (Season + Horizons + WarmupPoints + 1 values), so those are
/// raised where the worker's are shorter (at 5 minutes with seasons 1d/1w and horizon 1h: warm-up 288, history 589);
/// per-series smoothing is kept only where its fit window still fits the history.
/// </summary>
internal static partial class ModelShapes
{
    /// <summary>The settings of <paramref name="profile"/>'s series at a step of <paramref name="stepMs"/>.</summary>
    public static ForecastSettings For(ForecastSettings worker, Profile profile, long stepMs)
    {
        var plan = profile.Plan(stepMs);
        return Sized(worker with
        {
            Season = plan.Season,
            WeeklySeason = plan.WeeklySeason,
            WeeklyStride = plan.WeeklyStride,
            Horizons = plan.Horizons,
            QuantileLevels = (float[])profile.QuantileLevels.Clone(),
        });
    }

    /// <summary>
    /// <paramref name="shape"/> with the warm-up raised to a season and the history to what a retraining replays
    /// (Season + Horizons + WarmupPoints + 1; <c>TrainingHistoryValidator</c>'s rule) where they are shorter, and per-series
    /// smoothing off where its fit window no longer fits: what a shape whose seasons were counted from durations needs.
    /// </summary>
    public static ForecastSettings Sized(ForecastSettings shape)
    {
        var warmed = shape with { WarmupPoints = Math.Max(shape.WarmupPoints, shape.Season) };
        var sized = warmed with { HistoryCapacity = (int)Math.Max(warmed.HistoryCapacity, warmed.RetrainHistory) };
        var fits = sized.SmoothingFitPoints > 2 * sized.Season && sized.SmoothingFitPoints <= sized.HistoryCapacity;
        return fits || !sized.PerSeriesSmoothing ? sized : sized with { PerSeriesSmoothing = false };
    }

    /// <summary>
    /// One line for each profile whose seasons and horizon make no valid model at a step its series may get (its fixed step,
    /// or every standard step from its floor up): a horizon of more than 1,000 steps, a second season no longer than the first.
    /// </summary>
    public static IEnumerable<string> Problems(ForecastSettings worker, ProfileSet profiles)
    {
        foreach (var profile in profiles.Profiles)
        {
            var where = profile.Index == 0 ? "Forecast" : $"{ProfilesOptions.Section}:Rules:{profile.Index - 1}";
            var steps = profile.StepMs > 0 ? [profile.StepMs] : Processing.StepEstimate.Candidates(profile.MinStepMs);
            foreach (var step in steps)
            {
                if (Problem(worker, profile, step) is { } problem)
                {
                    yield return $"{where} ({profile.Name}): at a step of {TimeSpan.FromMilliseconds(step)} {problem}.";
                    break;
                }
            }
        }
    }

    private static string? Problem(ForecastSettings worker, Profile profile, long stepMs)
    {
        var settings = For(worker, profile, stepMs);
        if (settings.Horizons > 1000)
        {
            return $"the horizon is {settings.Horizons} steps (at most 1000)";
        }

        try
        {
            settings.Validate();
            return null;
        }
        catch (ArgumentException e)
        {
            return e.Message.Split(" (Parameter", 2)[0];
        }
    }

    /// <summary>True when <paramref name="a"/> and <paramref name="b"/> forecast with models and states of one shape (seasons, horizon, levels).</summary>
    public static bool Same(ForecastSettings a, ForecastSettings b) =>
        a.Season == b.Season && a.WeeklySeason == b.WeeklySeason && a.WeeklyStride == b.WeeklyStride && a.Horizons == b.Horizons
        && a.QuantileLevels.AsSpan().SequenceEqual(b.QuantileLevels);

    /// <summary>The season, weekly season and horizon count a series state of the shape <paramref name="name"/> (<see cref="Name"/>) has; null when it is not such a name.</summary>
    public static (int Season, int WeeklySeason, int Horizons)? StateShape(string name)
    {
        var match = ShapeName().Match(name);
        return match.Success
            ? (int.Parse(match.Groups[1].Value, CultureInfo.InvariantCulture), int.Parse(match.Groups[2].Value, CultureInfo.InvariantCulture), int.Parse(match.Groups[3].Value, CultureInfo.InvariantCulture))
            : null;
    }

    [GeneratedRegex(@"^s(\d{1,9})w(\d{1,9})x\d{1,9}h(\d{1,9})q")]
    private static partial Regex ShapeName();

    /// <summary>A short name of the shape, safe in a state-topic key: <c>s288w168x12h12q0.1_0.5_0.9</c>.</summary>
    public static string Name(ForecastSettings settings)
    {
        var name = new StringBuilder();
        name.Append(CultureInfo.InvariantCulture, $"s{settings.Season}w{settings.WeeklySeason}x{settings.WeeklyStride}h{settings.Horizons}q");
        for (var i = 0; i < settings.QuantileLevels.Length; i++)
        {
            name.Append(i == 0 ? string.Empty : "_").Append(settings.QuantileLevels[i].ToString("R", CultureInfo.InvariantCulture));
        }

        return name.ToString();
    }
}
