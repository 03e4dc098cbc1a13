using System.CommandLine;
using Forecaster.Worker.Hosting;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;

namespace Forecaster.Worker.Commands;

/// <summary>
/// The <c>run</c> command: the worker against Kafka until SIGTERM or Ctrl-C. Extra arguments are
/// configuration (<c>--Kafka:BootstrapServers=host:9092</c>). Bad settings end start-up with one
/// line naming each and exit code 2.
/// </summary>
internal static class RunCommand
{
    public static Command Create()
    {
        var command = new Command("run", "Runs the worker against Kafka (extra arguments are settings, e.g. --Kafka:BootstrapServers=host:9092).")
        {
            TreatUnmatchedTokensAsErrors = false,
        };
        command.SetAction(async (parseResult, cancellationToken) =>
        {
            var app = WorkerHost.Build([.. parseResult.UnmatchedTokens]);
            return await RunHostAsync(app, cancellationToken);
        });
        return command;
    }

    /// <summary>Runs a built host; turns an invalid setting or a wrong topic (<see cref="StartupTopics"/>) into one line each on stderr (<paramref name="errors"/>) and exit code 2.</summary>
    public static async Task<int> RunHostAsync(WebApplication app, CancellationToken cancellationToken, TextWriter? errors = null)
    {
        try
        {
            await using (app)
            {
                // Validate before starting, so a bad setting is one line here rather than a host error log.
                app.Services.GetService<IStartupValidator>()?.Validate();
                if (!StartupTopics.Check(app.Services, errors ?? Console.Error))
                {
                    return 2;
                }

                await HostingAbstractionsHostExtensions.RunAsync(app, cancellationToken);
            }

            return Environment.ExitCode;
        }
        catch (Exception e) when (InvalidSettings(e) is { Count: > 0 } failures)
        {
            foreach (var failure in failures)
            {
                await (errors ?? Console.Error).WriteLineAsync($"forecaster: invalid configuration: {failure}");
            }

            return 2;
        }
        catch (InvalidOperationException e) when (e.Message.StartsWith("Failed to convert configuration value", StringComparison.Ordinal))
        {
            await (errors ?? Console.Error).WriteLineAsync($"forecaster: invalid configuration: {e.Message}");
            return 2;
        }
    }

    /// <summary>
    /// Every distinct failure of an options validation, one line each; the start-up validator reports two or
    /// more failing sections (or one section that another's validator reads) as an aggregate. Empty for any other error.
    /// </summary>
    internal static List<string> InvalidSettings(Exception error) => error switch
    {
        OptionsValidationException e => [.. e.Failures],
        AggregateException e when e.InnerExceptions.All(i => i is OptionsValidationException) =>
            [.. e.InnerExceptions.SelectMany(i => ((OptionsValidationException)i).Failures).Distinct()],
        _ => [],
    };
}
