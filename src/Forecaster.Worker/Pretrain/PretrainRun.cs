using System.Diagnostics;
using System.Globalization;
using System.Security.Cryptography;
using Forecaster.Core.Checkpoints;
using Forecaster.Core.Forecasting;
using Forecaster.Core.Training;
using Forecaster.Worker.Backtest;
using Forecaster.Worker.Training;

namespace Forecaster.Worker.Pretrain;

/// <summary>
/// The whole <c>pretrain</c> command: reads training parts only, trains one global model from seeded random
/// weights exactly as the backtest's offline LSTM does (same settings, seeds and fitter), and writes it with
/// <see cref="ModelSerializer"/>. Exit codes as the backtest's: 0, 2 on a usage error, 3 when rows were skipped.
/// </summary>
internal static class PretrainRun
{
    public static int Execute(PretrainOptions options, TextWriter output, TextWriter error, CancellationToken cancellationToken)
    {
        var usage = options.Validate();
        if (usage is not null)
        {
            error.WriteLine($"pretrain: {usage}");
            return BacktestRun.UsageError;
        }

        var clock = Stopwatch.StartNew();
        var task = new BacktestSettings(options.Horizon, options.Season, options.Seed);
        var inputs = Read(options, task);
        foreach (var problem in inputs.SelectMany(i => i.Problems).Take(20))
        {
            error.WriteLine($"pretrain: skipped {problem}");
        }

        var values = inputs.SelectMany(i => i.Series).Select(s => ToSingle(s.Train)).ToArray();
        if (values.Length == 0)
        {
            error.WriteLine("pretrain: no usable series");
            return BacktestRun.UsageError;
        }

        var lstm = new LstmBacktestSettings(options.Hidden, new FitSettings(Steps: options.Steps, Seed: options.Seed + 6, PointLevel: options.PointLevel), options.Seed);
        var settings = LstmBacktest.SettingsFor(options.Horizon, options.Season, values.Min(v => v.Length), lstm);
        if (options.Weekly >= 0)
        {
            settings = settings with { WeeklySeason = options.Weekly };
        }

        var data = values.Select(v => TrainingSeries.Build(v, [], settings)).ToArray();
        var progress = new ProgressLine(error);
        var fit = ModelFitter.Fit(ModelFactory.CreateInitial(settings), data, lstm.Fit, new StepProgress(done => progress.Report("pretrain steps", done, options.Steps)), cancellation: cancellationToken);
        progress.Finish();
        if (cancellationToken.IsCancellationRequested)
        {
            error.WriteLine("pretrain: cancelled, nothing written");
            return BacktestRun.UsageError;
        }

        var path = options.Out ?? PretrainedModels.FileName(fit.Model.Shape);
        Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(path))!);
        using (var file = File.Create(path))
        {
            ModelSerializer.Write(fit.Model, file);
        }

        var bytes = File.ReadAllBytes(path);
        output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"pretrain: {values.Length} series, shape {fit.Model.Shape}, levels [{string.Join(", ", settings.QuantileLevels)}], season {settings.Season}, weekly {settings.WeeklySeason}, point level {options.PointLevel}"));
        output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"pretrain: {fit.StepsApplied} steps ({fit.StepsRefused} refused), loss {fit.FirstLoss:F4} -> {fit.LastLoss:F4}, {clock.Elapsed.TotalSeconds:F1} s"));
        output.WriteLine($"pretrain: wrote {path} ({bytes.Length} bytes, sha256 {Convert.ToHexStringLower(SHA256.HashData(bytes))})");
        return inputs.Any(i => i.Problems.Count > 0) ? BacktestRun.SomethingSkipped : BacktestRun.Success;
    }

    private static List<BacktestInput> Read(PretrainOptions options, BacktestSettings task)
    {
        var inputs = new List<BacktestInput>();
        if (options.Train is not null)
        {
            using var train = File.OpenText(options.Train);
            inputs.Add(M4WideReader.ReadTraining(train, Path.GetFileName(options.Train), task));
        }

        if (options.Input is not null)
        {
            using var reader = File.OpenText(options.Input);
            inputs.Add(LongFormatReader.Read(reader, Path.GetFileName(options.Input), task));
        }

        return inputs;
    }

    private static float[] ToSingle(double[] values) => Array.ConvertAll(values, v => (float)v);

    /// <summary>Reports on the training thread itself, in order.</summary>
    private sealed class StepProgress(Action<int> report) : IProgress<int>
    {
        public void Report(int value) => report(value);
    }
}
