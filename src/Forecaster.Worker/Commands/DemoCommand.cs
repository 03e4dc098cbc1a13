using System.CommandLine;
using System.Globalization;
using Forecaster.Worker.Demo;
using Forecaster.Worker.Hosting;
using Forecaster.Worker.Ingest;
using Forecaster.Worker.Observability;
using Forecaster.Worker.Training;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;

namespace Forecaster.Worker.Commands;

/// <summary>
/// The <c>demo</c> command: librdkafka's mock cluster in-process, the bundled NAB streams replayed into
/// it at <c>--speed</c> steps per second, the unchanged worker host against it, and a live table of
/// forecasts, band coverage and error against the seasonal naive forecast, read back from the forecast
/// topic. Ends after <c>--duration</c> seconds or on Ctrl-C.
/// </summary>
internal static class DemoCommand
{
    public static Command Create()
    {
        var duration = new Option<int>("--duration") { Description = "Seconds to run.", DefaultValueFactory = _ => 60 };
        var speed = new Option<double>("--speed") { Description = "Data steps (5 minutes each) replayed per second.", DefaultValueFactory = _ => 100 };
        var port = new Option<int>("--port") { Description = "HTTP port for /metrics, /healthz, /readyz (0: any free port).", DefaultValueFactory = _ => 0 };
        var command = new Command("demo", "Runs the whole pipeline on an embedded Kafka with a bundled data set.") { duration, speed, port };
        command.SetAction((parseResult, _) => RunAsync(parseResult.GetValue(duration), parseResult.GetValue(speed), parseResult.GetValue(port)));
        return command;
    }

    private static async Task<int> RunAsync(int durationSeconds, double speed, int port)
    {
        if (durationSeconds < 1 || !(speed > 0) || port is < 0 or > 65535)
        {
            await Console.Error.WriteLineAsync("demo: --duration must be ≥ 1, --speed > 0 and --port in 0..65535.");
            return 2;
        }

        Console.WriteLine("Starting librdkafka's in-process mock Kafka cluster...");
        using var cluster = new MockKafkaCluster();
        var series = DemoDataset.Load();
        var app = WorkerHost.Build([], Settings(cluster.BootstrapServers, port));
        await using (app)
        {
            Console.WriteLine($"Replaying {series.Count} NAB streams ({series.Sum(s => s.Values.Length)} points, 5-minute steps) at {speed.ToString(CultureInfo.InvariantCulture)} steps/s for {durationSeconds} s; Ctrl-C stops.");
            await RunPipelineAsync(app, series, cluster.BootstrapServers, speed, TimeSpan.FromSeconds(durationSeconds));
            await app.StopAsync();
        }

        return Environment.ExitCode;
    }

    private static async Task RunPipelineAsync(WebApplication app, List<DemoSeries> series, string bootstrap, double speed, TimeSpan duration)
    {
        var metrics = app.Services.GetRequiredService<ForecasterMetrics>();
        using var feeder = new DemoFeeder(series, bootstrap, "metrics", speed);
        var scoreboard = new DemoScoreboard(series, bootstrap, "forecasts");
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(app.Lifetime.ApplicationStopping);
        var feeding = Task.Factory.StartNew(() => feeder.Run(stop.Token), stop.Token, TaskCreationOptions.LongRunning, TaskScheduler.Default);

        // The worker subscribes once the input topic exists (the mock creates topics on first produce).
        feeder.FirstStepDelivered.Wait(TimeSpan.FromSeconds(30));
        await app.StartAsync();
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()?.Addresses.FirstOrDefault();
        Console.WriteLine($"Kafka (mock) at {bootstrap}; worker metrics at {address?.Replace("[::]", "localhost", StringComparison.Ordinal)}/metrics");
        var scoring = Task.Factory.StartNew(() => scoreboard.Run(() => metrics.ForecastsPublished.Value > 0, stop.Token), stop.Token, TaskCreationOptions.LongRunning, TaskScheduler.Default);
        var started = DateTime.UtcNow;
        using var tick = new PeriodicTimer(TimeSpan.FromSeconds(2));
        try
        {
            while (DateTime.UtcNow - started < duration && await tick.WaitForNextTickAsync(stop.Token))
            {
                Console.WriteLine(Render(scoreboard, metrics, DateTime.UtcNow - started, feeder.Produced));
            }
        }
        catch (OperationCanceledException)
        {
            // Ctrl-C: the host is stopping; fall through to the summary.
        }

        await stop.CancelAsync();
        await Task.WhenAll(feeding, scoring);
        Console.WriteLine("Final:");
        Console.WriteLine(Render(scoreboard, metrics, DateTime.UtcNow - started, feeder.Produced));
    }

    private static string Render(DemoScoreboard scoreboard, ForecasterMetrics metrics, TimeSpan elapsed, long produced)
    {
        var accepted = metrics.TrainingRuns.WithLabels(TrainingOutcomes.Accepted).Value;
        // Refused: the challenger was trained and evaluated but not taken (the gate), not a run skipped or cut short.
        string[] gate = [TrainingOutcomes.WorseThanChampion, TrainingOutcomes.WorseThanBaseline, TrainingOutcomes.NonFinite];
        var refused = gate.Sum(o => metrics.TrainingRuns.WithLabels(o).Value);
        return scoreboard.Render(elapsed, produced, Invalid(metrics), accepted, refused);
    }

    private static double Invalid(ForecasterMetrics metrics) => RejectReasons.All.Sum(r => metrics.RecordsInvalid.WithLabels(r).Value);

    private static Dictionary<string, string?> Settings(string bootstrap, int port) => new()
    {
        ["Logging:LogLevel:Default"] = "Error",
        ["Logging:LogLevel:Microsoft.Hosting.Lifetime"] = "Error",
        ["Kafka:BootstrapServers"] = bootstrap,
        ["Kafka:GroupId"] = "forecaster-demo",
        ["Kafka:AutoCommitIntervalMs"] = "1000",
        ["Http:Port"] = port.ToString(CultureInfo.InvariantCulture),
        ["Forecast:Season"] = DemoDataset.Season.ToString(CultureInfo.InvariantCulture),
        ["Forecast:WeeklySeason"] = "0", // the demo's model is pinned in steps (a day of 5-minute steps, one hour ahead), whatever the shipped time defaults
        ["Forecast:Horizons"] = "12",
        ["Forecast:WarmupPoints"] = DemoDataset.Season.ToString(CultureInfo.InvariantCulture),
        ["Forecast:HistoryCapacity"] = "1024",
        ["Forecast:CalendarFeatures"] = "true",
        ["Series:StepSeconds"] = "0",
        // The replay runs 14 days of data through in about 40 s, so the shipped wall-clock trigger (Training:Interval,
        // 600 s) never comes and a shard of one series never reaches the shipped 10,000 points: retrain by data instead,
        // first after 1,000 points of a shard (about 3.5 days of 5-minute steps), then every 1,000 to 2,000.
        ["Training:FirstPoints"] = "1000",
        ["Training:EveryPoints"] = "2000",
    };
}
