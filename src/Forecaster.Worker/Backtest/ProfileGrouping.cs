using Forecaster.Worker.Processing;
using Forecaster.Worker.Profiles;

namespace Forecaster.Worker.Backtest;

/// <summary>
/// Puts every series of a long-format file into the group of its profile and model step: the first rule that takes its id,
/// the step from its timestamps (<see cref="StepEstimate"/>, as the worker learns it) and the profile, its points aggregated
/// to that step, its season and horizon the profile's plan at that step unless the command line gives them.
/// </summary>
internal static class ProfileGrouping
{
    /// <summary>Timestamps a series' step is learned from (the worker learns from its first few; these bound the stack used).</summary>
    private const int StepLearningPoints = 4096;

    /// <returns>The groups in the order of their first series; a series too short for its group's task is left out with a problem.</returns>
    public static IReadOnlyList<ProfileGroup> Group(
        IReadOnlyList<LongFormatSeries> series, ProfileSet profiles, int? horizon, int? season, int seed, string name, List<InputProblem> problems)
    {
        var groups = new Dictionary<(int Profile, long Step), (Profile Profile, BacktestSettings Settings, List<BacktestSeries> Series)>();
        var order = new List<(int, long)>();
        foreach (var one in series)
        {
            var profile = profiles.Resolve(one.Id);
            var rawMs = StepEstimate.FromSorted(one.Timestamps.AsSpan(0, Math.Min(one.Timestamps.Length, StepLearningPoints)));
            if (rawMs <= 0)
            {
                problems.Add(new InputProblem(name, one.FirstLine, $"series {one.Id} has no two timestamps 500 ms or more apart to learn its step from"));
                continue;
            }

            var stepMs = profile.ModelStep(rawMs);
            var key = (profile.Index, stepMs);
            if (!groups.TryGetValue(key, out var group))
            {
                var plan = profile.Plan(stepMs);
                group = (profile, new BacktestSettings(horizon ?? plan.Horizons, season ?? plan.Season, seed), []);
                groups.Add(key, group);
                order.Add(key);
            }

            var values = BacktestBuckets.Aggregate(one.Timestamps, one.Values, rawMs, stepMs, profile.Aggregation, profile.Kind);
            if (LongFormatReader.Split(one.Id, values, group.Settings, name, one.FirstLine, problems) is { } split)
            {
                group.Series.Add(split);
            }
        }

        return order.Select(key => new ProfileGroup(groups[key].Profile, key.Item2, groups[key].Settings, groups[key].Series)).ToArray();
    }
}
