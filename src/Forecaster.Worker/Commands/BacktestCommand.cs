using System.CommandLine;
using Forecaster.Worker.Backtest;
using Forecaster.Worker.Options;
using Microsoft.Extensions.Configuration;

namespace Forecaster.Worker.Commands;

/// <summary>
/// The <c>backtest</c> command: M4-style scoring of forecasting methods on CSV files
/// (see <see cref="BacktestRun"/> for the exit codes).
/// </summary>
internal static class BacktestCommand
{
    /// <summary>The command with the LSTM (settings from its options) in front of the baselines.</summary>
    public static Command Create()
    {
        var defaults = LstmBacktestSettings.Default;
        var steps = new Option<int>("--lstm-steps") { Description = "LSTM training steps (truncated-BPTT windows of 64 series).", DefaultValueFactory = _ => defaults.Fit.Steps };
        var hidden = new Option<int>("--lstm-hidden") { Description = "LSTM units.", DefaultValueFactory = _ => defaults.Hidden };
        var pointLevel = new Option<float>("--lstm-point-level") { Description = "Pinball level the offline LSTM's point output is trained at (0.5: the median).", DefaultValueFactory = _ => 0.5f };
        var history = new Option<int>("--lstm-history") { Description = "Raw values kept per series (Forecast:HistoryCapacity): what stream-mode retraining trains on.", DefaultValueFactory = _ => defaults.History };
        var perSeries = new Option<bool>("--per-series-smoothing") { Description = "Fit each series' level and season smoothing weights from its own history (Forecast:PerSeriesSmoothing)." };
        var fitPoints = new Option<int>("--smoothing-fit-points") { Description = "Values a series must have seen before its weights are fitted (Forecast:SmoothingFitPoints).", DefaultValueFactory = _ => defaults.SmoothingFitPoints };
        var fitLeads = new Option<int>("--smoothing-fit-leads") { Description = "Leads the weights are fitted on (Forecast:SmoothingFitLeads): 1 one-step surprises, 0 all horizons.", DefaultValueFactory = _ => defaults.SmoothingFitLeads };
        var fitWeights = new Option<Core.Series.SmoothingWeights>("--smoothing-fit-weights") { Description = "Which weights are fitted per series (Forecast:SmoothingFitWeights): Both, Level or Season." };
        var noLstm = new Option<bool>("--no-lstm") { Description = "Score the baselines only." };
        var mode = new Option<string>("--mode") { Description = "offline: one LSTM trained on all training parts; stream: also the LSTM as the worker serves it (shard code, retraining schedule from config's Training section).", DefaultValueFactory = _ => "offline" };
        mode.AcceptOnlyFromAmong("offline", "stream");
        var startFrom = new Option<string?>("--start-from") { Description = "Stream mode's initial model: pretrained (the shipped model of the shape) or scratch (random weights); default: config's Training:StartFrom." };
        startFrom.AcceptOnlyFromAmong("pretrained", "scratch");
        var command = Create(parseResult => Methods(
            parseResult.GetValue(noLstm),
            parseResult.GetValue(mode) == "stream",
            defaults with { Hidden = parseResult.GetValue(hidden), History = parseResult.GetValue(history), PerSeriesSmoothing = parseResult.GetValue(perSeries), SmoothingFitPoints = parseResult.GetValue(fitPoints), SmoothingFitLeads = parseResult.GetValue(fitLeads), SmoothingFitWeights = parseResult.GetValue(fitWeights), Fit = defaults.Fit with { Steps = parseResult.GetValue(steps), PointLevel = parseResult.GetValue(pointLevel) } },
            parseResult.GetValue(startFrom),
            parseResult.InvocationConfiguration.Error));
        command.Options.Add(steps);
        command.Options.Add(hidden);
        command.Options.Add(pointLevel);
        command.Options.Add(history);
        command.Options.Add(perSeries);
        command.Options.Add(fitPoints);
        command.Options.Add(fitLeads);
        command.Options.Add(fitWeights);
        command.Options.Add(noLstm);
        command.Options.Add(mode);
        command.Options.Add(startFrom);
        return command;
    }

    private static List<IBacktestMethod> Methods(bool noLstm, bool stream, LstmBacktestSettings lstm, string? startFrom, TextWriter log)
    {
        var methods = new List<IBacktestMethod>();
        if (!noLstm)
        {
            methods.Add(new LstmMethod(lstm));
            if (stream)
            {
                var schedule = TrainingSchedule();
                if (startFrom is not null)
                {
                    schedule.StartFrom = startFrom == "scratch" ? InitialModel.Scratch : InitialModel.Pretrained;
                }

                var streamMethod = new StreamBacktestMethod(lstm, schedule, log);
                methods.Add(streamMethod);
                methods.Add(new StreamModelReplayMethod(streamMethod));
            }
        }

        methods.AddRange(BaselineMethod.All);
        return methods;
    }

    /// <summary>The Training section of config/appsettings.json (copied beside the executable) and the environment.</summary>
    private static TrainingOptions TrainingSchedule()
    {
        var configuration = new ConfigurationBuilder()
            .AddJsonFile(Path.Combine(AppContext.BaseDirectory, "appsettings.json"), optional: true)
            .AddEnvironmentVariables()
            .Build();
        var options = new TrainingOptions();
        DurationBinding.Bind(configuration.GetSection(TrainingOptions.Section), options);

        // A replay runs far faster than the data's clock: a wall-time interval has no meaning there, so only the
        // point-count trigger (Training:EveryPoints) schedules retraining in a backtest.
        options.Interval = 0;
        return options;
    }

    /// <param name="methods">The methods to score, in table order (the LSTM goes first, then the baselines).</param>
    public static Command Create(IReadOnlyList<IBacktestMethod> methods) => Create(_ => methods);

    private static Command Create(Func<ParseResult, IReadOnlyList<IBacktestMethod>> methods)
    {
        var input = new Option<FileInfo?>("--input") { Description = "Long-format CSV (series,timestamp,value); the last --horizon points of each series are the test part." };
        var train = new Option<FileInfo?>("--train") { Description = "M4 wide-format training CSV (use with --test)." };
        var test = new Option<FileInfo?>("--test") { Description = "M4 wide-format test CSV (use with --train)." };
        var horizon = new Option<int?>("--horizon") { Description = "Forecast horizon H in steps; default: each profile's with --input, 48 with --train/--test." };
        var season = new Option<int?>("--season") { Description = "Seasonal period m in steps of the baselines and the MASE scale; default: each profile's with --input, 24 with --train/--test." };
        var profiles = new Option<FileInfo?>("--profiles") { Description = "JSON file with a Profiles section (the worker's shape; also Forecast and Series for the default profile): with --input, each profile's series are a run of their own with its season and horizon. Default: the configuration's profiles, when --season or --horizon is left out." };
        var outDirectory = new Option<DirectoryInfo>("--out") { Description = "Output folder for summary.json and plots/.", DefaultValueFactory = _ => new DirectoryInfo(Path.Combine("out", "backtest")) };
        var plots = new Option<int>("--plots") { Description = "Plot the first N series.", DefaultValueFactory = _ => 4 };
        var limit = new Option<int?>("--limit") { Description = "Score only the first N series (quick runs)." };
        var seed = new Option<int>("--seed") { Description = "Seed for methods that draw random numbers.", DefaultValueFactory = _ => 1 };

        var command = new Command("backtest", "Scores forecasts on CSV files against the baselines (sMAPE, MASE, OWA, coverage).")
        {
            input, train, test, horizon, season, profiles, outDirectory, plots, limit, seed,
        };
        command.SetAction((parseResult, cancellationToken) =>
        {
            var options = new BacktestOptions(
                parseResult.GetValue(input)?.FullName,
                parseResult.GetValue(train)?.FullName,
                parseResult.GetValue(test)?.FullName,
                parseResult.GetValue(horizon),
                parseResult.GetValue(season),
                parseResult.GetValue(outDirectory)!.FullName,
                parseResult.GetValue(plots),
                parseResult.GetValue(limit),
                parseResult.GetValue(seed),
                parseResult.GetValue(profiles)?.FullName);
            var configuration = parseResult.InvocationConfiguration;
            return Task.FromResult(BacktestRun.Execute(options, methods(parseResult), configuration.Output, configuration.Error, cancellationToken));
        });
        return command;
    }
}
