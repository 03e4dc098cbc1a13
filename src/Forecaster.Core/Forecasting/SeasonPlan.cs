namespace Forecaster.Core.Forecasting;

/// <summary>
/// Seasons and a horizon given in time, turned into steps of a series with step <c>stepMs</c>: each season is
/// its length in whole steps (rounded), kept when it spans at least two steps; the shortest kept is the main
/// season, the next longer one the second, kept in at most <see cref="MaxWeeklyComponents"/> components (consecutive
/// steps share one); the horizon is rounded up to whole steps, at least one. A 5-minute series with seasons 1 d
/// and 1 w and a 1 h horizon gets 288, a week of 168 hourly components (2016 steps) and 12; an hourly one 24, 168 and 1.
/// </summary>
/// <param name="Season">Main seasonal period in steps (1 when no season spans two steps).</param>
/// <param name="WeeklySeason">Components of the second season, 0 for none.</param>
/// <param name="Horizons">Steps ahead that cover the horizon.</param>
/// <param name="WeeklyStride">Steps per component of the second season.</param>
public readonly record struct SeasonPlan(int Season, int WeeklySeason, int Horizons, int WeeklyStride = 1)
{
    /// <summary>Most components of the second season: an hour of the week each, whatever the step.</summary>
    public const int MaxWeeklyComponents = 168;

    /// <exception cref="ArgumentOutOfRangeException">The step, a season or the horizon is not positive, or a count overflows.</exception>
    public static SeasonPlan For(long stepMs, ReadOnlySpan<long> seasonsMs, long horizonMs)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(stepMs, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(horizonMs, 1);
        var main = 0L;
        var second = 0L;
        foreach (var seasonMs in seasonsMs)
        {
            ArgumentOutOfRangeException.ThrowIfLessThan(seasonMs, 1, nameof(seasonsMs));
            var steps = (seasonMs + (stepMs / 2)) / stepMs;
            if (steps < 2 || steps == main || steps == second)
            {
                continue;
            }

            if (main == 0 || steps < main)
            {
                (main, second) = (steps, main);
            }
            else if (second == 0 || steps < second)
            {
                second = steps;
            }
        }

        var horizons = Math.Max(1, (horizonMs + stepMs - 1) / stepMs);
        if (second > int.MaxValue || horizons > int.MaxValue)
        {
            throw new ArgumentOutOfRangeException(nameof(seasonsMs), "A season or the horizon spans more than int.MaxValue steps.");
        }

        var stride = 1L;
        if (second > MaxWeeklyComponents)
        {
            stride = (second + MaxWeeklyComponents - 1) / MaxWeeklyComponents;
            while (second % stride != 0)
            {
                stride++;
            }
        }

        return new SeasonPlan(main == 0 ? 1 : (int)main, (int)(second / stride), (int)horizons, (int)stride);
    }
}
