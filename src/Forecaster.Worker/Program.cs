using System.CommandLine;
using Forecaster.Worker.Commands;

var root = new RootCommand("Forecaster: streaming LSTM forecasts for metric streams on Kafka.")
{
    RunCommand.Create(),
    DemoCommand.Create(),
    ReplayCommand.Create(),
    BacktestCommand.Create(),
};

return await root.Parse(args).InvokeAsync();
