using System.CommandLine;

namespace Forecaster.Worker.Commands;

/// <summary>The <c>backtest</c> command.</summary>
internal static class BacktestCommand
{
    public static Command Create()
    {
        var command = new Command("backtest", "Scores forecasts on CSV files against the baselines.");
        command.SetAction(_ =>
        {
            Console.Error.WriteLine("backtest: not implemented yet");
            return 2;
        });
        return command;
    }
}
