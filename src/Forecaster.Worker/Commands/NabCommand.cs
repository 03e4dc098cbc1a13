using System.CommandLine;
using System.Diagnostics;
using System.Globalization;
using Forecaster.Core.Forecasting;
using Forecaster.Worker.Nab;

namespace Forecaster.Worker.Commands;

/// <summary>
/// The <c>nab</c> command: runs NAB-format files through the worker's shard code with its defaults and
/// scores the anomaly events with NAB's rules, beside the published leaderboard; writes per-file results
/// and a plot per file.
/// </summary>
internal static class NabCommand
{
    public static Command Create()
    {
        var data = new Option<DirectoryInfo>("--data") { Description = "NAB data folder (files as <category>/<name>.csv).", DefaultValueFactory = _ => new DirectoryInfo("../shared/data/nab") };
        var labels = new Option<FileInfo?>("--labels") { Description = "NAB combined_windows.json (default: <data>/labels/combined_windows.json)." };
        var output = new Option<DirectoryInfo>("--out") { Description = "Folder for nab-results.csv and the plots.", DefaultValueFactory = _ => new DirectoryInfo("nab-out") };
        var threshold = new Option<double>("--threshold") { Description = "The worker's Anomaly:Threshold to score beside NAB's optimised one.", DefaultValueFactory = _ => ForecastSettings.DefaultAnomalyThreshold };
        var noPlots = new Option<bool>("--no-plots") { Description = "Skip the per-file plots." };
        var normal = new Option<FileInfo?>("--calibrate") { Description = "Instead of scoring NAB: event rates per threshold on unlabelled normal data (M4 wide format, hourly), e.g. ../shared/data/m4-hourly/train.csv." };
        var target = new Option<double>("--target-rate") { Description = "With --calibrate: the most anomaly events per scored point the default threshold may give on normal data (default: one per week of 5-minute steps).", DefaultValueFactory = _ => 1.0 / 2016 };
        var command = new Command("nab", "Scores the worker's anomaly events on the Numenta Anomaly Benchmark.") { data, labels, output, threshold, noPlots, normal, target };
        command.SetAction((parseResult, cancellationToken) => Task.FromResult(parseResult.GetValue(normal) is { } file
            ? Calibrate(file, parseResult.GetValue(target))
            : Run(
            parseResult.GetValue(data)!, parseResult.GetValue(labels), parseResult.GetValue(output)!, parseResult.GetValue(threshold), !parseResult.GetValue(noPlots), cancellationToken)));
        return command;
    }

    private static int Calibrate(FileInfo normal, double target)
    {
        if (!normal.Exists || !(target > 0))
        {
            Console.Error.WriteLine(normal.Exists ? "nab: --target-rate must be positive." : $"nab: {normal.FullName} does not exist.");
            return 2;
        }

        try
        {
            var (rates, series, points) = NormalDataCalibration.Rates(normal.FullName);
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"Anomaly events per scored point on {series} unlabelled series ({points} points after warm-up) of {normal.Name}:"));
            for (var i = 0; i < rates.Length; i += 10)
            {
                Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"  threshold {NabBenchmark.Grid[i]:0.000}: {rates[i]:0.00000} (one per {(rates[i] > 0 ? 1 / rates[i] : double.PositiveInfinity):F0} points)"));
            }

            var chosen = Array.FindIndex(rates, r => r <= target);
            Console.WriteLine(chosen < 0
                ? string.Create(CultureInfo.InvariantCulture, $"No threshold gives at most {target} events per point.")
                : string.Create(CultureInfo.InvariantCulture, $"Lowest threshold with at most {target:0.000000} events per point: {NabBenchmark.Grid[chosen]:0.000} ({rates[chosen]:0.00000}, one per {1 / Math.Max(rates[chosen], 1e-12):F0} points)"));
            return 0;
        }
        catch (Exception e) when (e is FormatException or IOException)
        {
            Console.Error.WriteLine($"nab: {e.Message}");
            return 2;
        }
    }

    private static int Run(DirectoryInfo data, FileInfo? labelFile, DirectoryInfo output, double threshold, bool plots, CancellationToken cancellationToken)
    {
        var labelsPath = labelFile?.FullName ?? Path.Combine(data.FullName, "labels", "combined_windows.json");
        if (!data.Exists || !File.Exists(labelsPath) || !(threshold > 0 && threshold <= 1))
        {
            Console.Error.WriteLine(!data.Exists ? $"nab: {data.FullName} does not exist." : !File.Exists(labelsPath) ? $"nab: {labelsPath} does not exist." : "nab: --threshold must be in (0, 1].");
            return 2;
        }

        var clock = Stopwatch.StartNew();
        List<NabDetection> detections = [];
        try
        {
            var labels = NabLabels.Read(labelsPath);
            foreach (var path in Directory.EnumerateFiles(data.FullName, "*.csv", SearchOption.AllDirectories).Order(StringComparer.Ordinal))
            {
                var relative = Path.GetRelativePath(data.FullName, path).Replace('\\', '/');
                if (!labels.TryGetValue(relative, out var windows) || cancellationToken.IsCancellationRequested)
                {
                    continue;
                }

                var detection = NabRunner.Run(NabFile.Read(path, relative, windows), threshold);
                var replayed = detection.Events(threshold);
                if (Enumerable.Range(0, replayed.Length).Any(i => replayed[i] != (detection.Trace.Events[i] != 0)))
                {
                    throw new InvalidOperationException($"{relative}: the replayed events differ from the worker's; the sweep would not score the worker.");
                }

                detections.Add(detection);
                Console.Error.WriteLine(string.Create(CultureInfo.InvariantCulture, $"nab: {relative}: {detection.File.Rows} rows, step {detection.StepSeconds} s, season {detection.Season}, {detection.Refused} refused, {replayed.Count(e => e)} events"));
            }
        }
        catch (Exception e) when (e is FormatException or System.Text.Json.JsonException or IOException)
        {
            Console.Error.WriteLine($"nab: {e.Message}");
            return 2;
        }

        if (detections.Count == 0)
        {
            Console.Error.WriteLine($"nab: no file under {data.FullName} has labels in {labelsPath}.");
            return 2;
        }

        var benchmark = new NabBenchmark(detections);
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"NAB scores of the worker's anomaly events on {detections.Count} files ({detections.Sum(d => d.File.Rows)} rows, {detections.Sum(d => d.File.Windows.Length)} windows):"));
        Console.WriteLine("profile               optimised threshold  score   default threshold  score");
        var optimisedStandard = 0.0;
        foreach (var profile in NabProfile.All)
        {
            var (best, score) = benchmark.Optimise(profile);
            optimisedStandard = profile == NabProfile.Standard ? best : optimisedStandard;
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{profile.Name,-21} {best,19:0.000}  {score,5:F1}   {threshold,17:0.000}  {benchmark.Normalised(profile, threshold),5:F1}"));
        }

        Console.WriteLine("Published leaderboard, standard profile, all 58 NAB files (NAB README):");
        foreach (var (detector, standard) in NabBenchmark.Leaderboard)
        {
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"  {detector,-20} {standard,5:F1}"));
        }

        var outside = benchmark.OutsideWindows(threshold).ToList();
        var worst = outside.MaxBy(o => o.Days > 0 ? o.Events / o.Days : 0);
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"Outside every window after probation at {threshold:0.000}: {outside.Sum(o => o.Events)} events in {outside.Sum(o => o.Days):F1} series-days; most per day: {(worst.Days > 0 ? worst.Events / worst.Days : 0):F2} ({worst.Detection.File.Path}, {worst.Events} in {worst.Days:F1} days)"));
        output.Create();
        benchmark.WriteCsv(Path.Combine(output.FullName, "nab-results.csv"), threshold, optimisedStandard);
        var traces = Directory.CreateDirectory(Path.Combine(output.FullName, "rows"));
        foreach (var detection in detections)
        {
            NabRowsCsv.Write(Path.Combine(traces.FullName, detection.File.Path.Replace('/', '_')), detection, threshold);
        }

        if (plots)
        {
            var folder = Directory.CreateDirectory(Path.Combine(output.FullName, "plots"));
            foreach (var detection in detections)
            {
                NabPlotter.Save(Path.Combine(folder.FullName, detection.File.Path.Replace('/', '_').Replace(".csv", ".png", StringComparison.Ordinal)), detection, threshold);
            }
        }

        Console.Error.WriteLine(string.Create(CultureInfo.InvariantCulture, $"nab: wrote {output.FullName} in {clock.Elapsed.TotalSeconds:F1} s"));
        return 0;
    }
}
