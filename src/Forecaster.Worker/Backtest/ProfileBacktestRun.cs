using System.Diagnostics;
using System.Globalization;

namespace Forecaster.Worker.Backtest;

/// <summary>
/// <c>backtest --input</c> through the profiles: the series are grouped by profile and model step (<see cref="ProfileGrouping"/>),
/// and each group is a run of its own with its own season and horizon, its table printed and its summary.json and plots written
/// to <c>--out</c>/profile (or profile/step when a profile's series have several steps). A profile with several steps is also
/// reported pooled: each method's means over all its series, OWA against Naive2's pooled means.
/// </summary>
internal static class ProfileBacktestRun
{
    public static int Execute(BacktestOptions options, IReadOnlyList<IBacktestMethod> methods, TextWriter output, TextWriter error, CancellationToken cancellationToken)
    {
        var profiles = BacktestProfiles.Load(options.Profiles, out var invalid);
        if (profiles is null)
        {
            foreach (var line in invalid)
            {
                error.WriteLine($"backtest: {line}");
            }

            return BacktestRun.UsageError;
        }

        var clock = Stopwatch.StartNew();
        var name = Path.GetFileName(options.Input!);
        List<InputProblem> problems;
        IReadOnlyList<ProfileGroup> groups;
        using (var reader = File.OpenText(options.Input!))
        {
            var points = LongFormatReader.ReadPoints(reader, name);
            problems = [.. points.Problems];
            groups = ProfileGrouping.Group(points.Series, profiles, options.Horizon, options.Season, options.Seed, name, problems);
        }

        BacktestRun.ReportProblems(problems, error);
        var progress = new ProgressLine(error);
        var scored = new List<(ProfileGroup Group, IReadOnlyList<MethodResult> Results)>();
        foreach (var group in groups)
        {
            var split = groups.Count(g => g.Profile.Index == group.Profile.Index) > 1;
            var step = ProfileGroup.StepText(group.StepMs);
            var directory = split ? Path.Combine(options.OutDirectory, group.Profile.Name, step) : Path.Combine(options.OutDirectory, group.Profile.Name);
            var series = options.Limit is int limit ? group.Series.Take(limit).ToArray() : group.Series;
            output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"profile {group.Profile.Name}, step {step}: season {group.Settings.Season}, horizon {group.Settings.Horizon}"));
            scored.Add((group, BacktestRun.Score(series, group.Settings, methods, directory, options.Plots, clock, output, error, progress, cancellationToken)));
            output.WriteLine();
        }

        foreach (var profile in scored.GroupBy(s => s.Group.Profile.Index).Where(p => p.Count() > 1))
        {
            var pooled = Pool(profile.Select(s => s.Results).ToArray());
            var count = pooled.Length == 0 ? 0 : pooled[0].Scores.Count;
            var steps = string.Join(", ", profile.Select(s => ProfileGroup.StepText(s.Group.StepMs)));
            output.WriteLine($"profile {profile.First().Group.Profile.Name}, all its steps pooled ({steps}): means over its {count} series");
            output.Write(ReportTable.Format(pooled, count, null));
            output.WriteLine();
        }

        return problems.Count == 0 ? BacktestRun.Success : BacktestRun.SomethingSkipped;
    }

    /// <summary>Each method's scores over every group (same methods, same order in each), OWA against the pooled Naive2.</summary>
    private static MethodResult[] Pool(IReadOnlyList<MethodResult>[] groups)
    {
        var methods = groups[0].Select(r => r.Method).ToArray();
        var scores = methods.Select((_, m) =>
        {
            var pooled = new Core.Scoring.ScoreAccumulator();
            foreach (var group in groups)
            {
                pooled.Add(group[m].Scores);
            }

            return pooled;
        }).ToArray();
        var naive2 = Array.FindIndex(methods, m => m.Key == "naive2");
        var seconds = methods.Select((_, m) => groups.Sum(g => g[m].Seconds)).ToArray();
        return methods.Select((method, m) => new MethodResult(method, [], scores[m], naive2 < 0 ? double.NaN : scores[m].Owa(scores[naive2]), seconds[m])).ToArray();
    }
}
