using System.CommandLine;
using Forecaster.Worker.Commands;

var root = new RootCommand("Forecaster: streaming LSTM forecasts for metric streams on Kafka.")
{
    RunCommand.Create(),
    DemoCommand.Create(),
    ReplayCommand.Create(),
    BacktestCommand.Create(),
    BenchCommand.Create(),
};

// The host handles SIGTERM and Ctrl-C itself and needs its whole shutdown timeout to drain.
return await root.Parse(args).InvokeAsync(new InvocationConfiguration { ProcessTerminationTimeout = null });
