using System.CommandLine;

namespace Forecaster.Worker.Commands;

/// <summary>The <c>replay</c> command.</summary>
internal static class ReplayCommand
{
    public static Command Create()
    {
        var command = new Command("replay", "Produces a long-format CSV into a Kafka topic.");
        command.SetAction(_ =>
        {
            Console.Error.WriteLine("replay: not implemented yet");
            return 2;
        });
        return command;
    }
}
