using System.CommandLine;
using Forecaster.Worker.Pretrain;

namespace Forecaster.Worker.Commands;

/// <summary>The <c>pretrain</c> command: trains the shipped initial model of one shape from public data (see <see cref="PretrainRun"/>).</summary>
internal static class PretrainCommand
{
    public static Command Create()
    {
        var train = new Option<FileInfo?>("--train") { Description = "M4 wide-format training CSV (only its training part exists there; no test file is read)." };
        var input = new Option<FileInfo?>("--input") { Description = "Long-format CSV (series,timestamp,value); the last --horizon points of each series are left out." };
        var horizon = new Option<int>("--horizon") { Description = "K: steps ahead the model forecasts.", DefaultValueFactory = _ => 12 };
        var season = new Option<int>("--season") { Description = "Main seasonal period.", DefaultValueFactory = _ => 24 };
        var weekly = new Option<int>("--weekly") { Description = "Second seasonal period (0 none; -1: 7 seasons when the shortest series holds two, as the backtest).", DefaultValueFactory = _ => -1 };
        var hidden = new Option<int>("--hidden") { Description = "LSTM units.", DefaultValueFactory = _ => 32 };
        var steps = new Option<int>("--steps") { Description = "Optimizer steps (truncated-BPTT windows of 64 series).", DefaultValueFactory = _ => 1500 };
        var seed = new Option<int>("--seed") { Description = "Seed of the initial weights (window sampling: seed + 6).", DefaultValueFactory = _ => 1 };
        var pointLevel = new Option<float>("--point-level") { Description = "Pinball level the point (0.5) output is trained at (0.5: the median).", DefaultValueFactory = _ => 0.5f };
        var outFile = new Option<FileInfo?>("--out") { Description = "Model file to write (default: the shape's name in the current folder)." };
        var command = new Command("pretrain", "Trains an initial model on training parts of public data and writes it (ModelSerializer format).")
        {
            train, input, horizon, season, weekly, hidden, steps, seed, pointLevel, outFile,
        };
        command.SetAction((parseResult, cancellationToken) =>
        {
            var options = new PretrainOptions(
                parseResult.GetValue(train)?.FullName,
                parseResult.GetValue(input)?.FullName,
                parseResult.GetValue(horizon),
                parseResult.GetValue(season),
                parseResult.GetValue(weekly),
                parseResult.GetValue(hidden),
                parseResult.GetValue(steps),
                parseResult.GetValue(seed),
                parseResult.GetValue(outFile)?.FullName)
            {
                PointLevel = parseResult.GetValue(pointLevel),
            };
            var configuration = parseResult.InvocationConfiguration;
            return Task.FromResult(PretrainRun.Execute(options, configuration.Output, configuration.Error, cancellationToken));
        });
        return command;
    }
}
