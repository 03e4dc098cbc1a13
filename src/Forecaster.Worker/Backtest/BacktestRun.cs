using System.Diagnostics;
using System.Globalization;

namespace Forecaster.Worker.Backtest;

/// <summary>
/// The whole <c>backtest</c> command: read, forecast with every method, score, print the table,
/// draw plots, write summary.json.
/// </summary>
/// <remarks>
/// Exit codes: 0 when every row and series was used; 2 on a usage error (nothing is read or
/// written); 3 when something was skipped (each problem is printed on stderr with its file and
/// line, and everything else is still scored and written). System.CommandLine itself exits 1 on
/// parse errors (an unknown option, a non-number for a number).
/// </remarks>
internal static class BacktestRun
{
    public const int Success = 0;
    public const int UsageError = 2;
    public const int SomethingSkipped = 3;

    private const int MaxProblemsPrinted = 20;

    public static int Execute(
        BacktestOptions options,
        IReadOnlyList<IBacktestMethod> methods,
        TextWriter output,
        TextWriter error,
        CancellationToken cancellationToken)
    {
        string? usage = options.Validate();
        if (usage is not null)
        {
            error.WriteLine($"backtest: {usage}");
            return UsageError;
        }

        if (options.ByProfile)
        {
            return ProfileBacktestRun.Execute(options, methods, output, error, cancellationToken);
        }

        var clock = Stopwatch.StartNew();
        var settings = options.Settings;
        var input = Read(options, settings);
        var series = options.Limit is int limit ? input.Series.Take(limit).ToArray() : input.Series;
        ReportProblems(input.Problems, error);
        var progress = new ProgressLine(error);
        Score(series, settings, methods, options.OutDirectory, options.Plots, clock, output, error, progress, cancellationToken);
        return input.Problems.Count == 0 ? Success : SomethingSkipped;
    }

    /// <summary>Scores <paramref name="series"/> with every method, prints the table, draws the plots and writes summary.json into <paramref name="outDirectory"/>.</summary>
    public static IReadOnlyList<MethodResult> Score(
        IReadOnlyList<BacktestSeries> series,
        BacktestSettings settings,
        IReadOnlyList<IBacktestMethod> methods,
        string outDirectory,
        int plotCount,
        Stopwatch clock,
        TextWriter output,
        TextWriter error,
        ProgressLine progress,
        CancellationToken cancellationToken)
    {
        var results = series.Count == 0
            ? methods.Select(m => new MethodResult(m, [], new(), double.NaN, 0)).ToArray()
            : BacktestRunner.Run(series, methods, settings, progress, cancellationToken);
        output.Write(ReportTable.Format(results, series.Count, settings.Horizon));
        ReportUndefinedMase(results, error);

        Directory.CreateDirectory(outDirectory);
        int plots = Math.Min(plotCount, series.Count);
        if (plots > 0)
        {
            string plotDirectory = Path.Combine(outDirectory, "plots");
            Directory.CreateDirectory(plotDirectory);
            for (int i = 0; i < plots; i++)
            {
                ForecastPlotter.Save(Path.Combine(plotDirectory, ForecastPlotter.FileName(series[i].Id, i)), series[i], i, results, settings);
            }
        }

        double seconds = clock.Elapsed.TotalSeconds;
        using (var summary = File.Create(Path.Combine(outDirectory, "summary.json")))
        {
            BacktestSummary.Write(summary, series.Count, settings.Horizon, seconds, results);
        }

        output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{seconds:F1} s; summary and {plots} plots in {outDirectory}"));
        return results;
    }

    private static BacktestInput Read(BacktestOptions options, BacktestSettings settings)
    {
        if (options.Input is not null)
        {
            using var reader = File.OpenText(options.Input);
            return LongFormatReader.Read(reader, Path.GetFileName(options.Input), settings);
        }

        using var train = File.OpenText(options.Train!);
        using var test = File.OpenText(options.Test!);
        return M4WideReader.Read(train, Path.GetFileName(options.Train!), test, Path.GetFileName(options.Test!), settings);
    }

    public static void ReportProblems(IReadOnlyList<InputProblem> problems, TextWriter error)
    {
        foreach (var problem in problems.Take(MaxProblemsPrinted))
        {
            error.WriteLine($"backtest: skipped {problem}");
        }

        if (problems.Count > MaxProblemsPrinted)
        {
            error.WriteLine($"backtest: ... and {problems.Count - MaxProblemsPrinted} more problems");
        }
    }

    private static void ReportUndefinedMase(IReadOnlyList<MethodResult> results, TextWriter error)
    {
        int undefined = results.Count == 0 ? 0 : results[0].Scores.UndefinedMaseCount;
        if (undefined > 0)
        {
            error.WriteLine($"backtest: {undefined} series have a zero MASE scale (no seasonal variation in training); they are left out of the MASE means");
        }
    }
}
