using System.CommandLine;
using Forecaster.Worker.Commands;

var root = new RootCommand("Forecaster: streaming LSTM forecasts for metric streams on Kafka.")
{
    RunCommand.Create(),
    DemoCommand.Create(),
    ReplayCommand.Create(),
    BacktestCommand.Create(),
    BenchCommand.Create(),
    NabCommand.Create(),
    PretrainCommand.Create(),
};

var parsed = root.Parse(args);
if (parsed.Errors.Count > 0)
{
    // A usage error exits 2, like every command's own argument checks.
    foreach (var error in parsed.Errors)
    {
        Console.Error.WriteLine($"forecaster: {error.Message}");
    }

    return 2;
}

// The host handles SIGTERM and Ctrl-C itself and needs its whole shutdown timeout to drain.
return await parsed.InvokeAsync(new InvocationConfiguration { ProcessTerminationTimeout = null });
