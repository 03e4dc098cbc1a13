using System.CommandLine;

namespace Forecaster.Worker.Commands;

/// <summary>The <c>run</c> command.</summary>
internal static class RunCommand
{
    public static Command Create()
    {
        var command = new Command("run", "Runs the worker against Kafka.");
        command.SetAction(_ =>
        {
            Console.Error.WriteLine("run: not implemented yet");
            return 2;
        });
        return command;
    }
}
