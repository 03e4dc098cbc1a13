using System.CommandLine;

namespace Forecaster.Worker.Commands;

/// <summary>The <c>demo</c> command.</summary>
internal static class DemoCommand
{
    public static Command Create()
    {
        var command = new Command("demo", "Runs the whole pipeline on an embedded Kafka with a bundled data set.");
        command.SetAction(_ =>
        {
            Console.Error.WriteLine("demo: not implemented yet");
            return 2;
        });
        return command;
    }
}
