using System.CommandLine;
using System.Globalization;
using Forecaster.Worker.Bench;
using Forecaster.Worker.Demo;
using Forecaster.Worker.Options;
using Forecaster.Worker.Training;

namespace Forecaster.Worker.Commands;

/// <summary>
/// The <c>bench</c> command: on an in-process mock cluster, the worker's throughput as a ratio to the
/// bare consume rate of the same broker in the same run, bytes per forecast, and p50/p99 latency from a
/// point's append to its forecast being readable, at half the measured throughput.
/// </summary>
internal static class BenchCommand
{
    public static Command Create()
    {
        var series = new Option<int>("--series") { Description = "Number of series.", DefaultValueFactory = _ => 10_000 };
        var steps = new Option<int>("--steps") { Description = "Points per series timed in the throughput phase.", DefaultValueFactory = _ => 10 };
        var warmSteps = new Option<int>("--warm-steps") { Description = "Points per series consumed before the timed ones (past Forecast:WarmupPoints, so the LSTM serves).", DefaultValueFactory = _ => 50 };
        var hidden = new Option<int>("--hidden") { Description = "LSTM hidden size.", DefaultValueFactory = _ => 32 };
        var horizons = new Option<int>("--horizons") { Description = "Forecast horizons.", DefaultValueFactory = _ => 12 };
        var latencySeconds = new Option<int>("--latency-seconds") { Description = "Length of the latency phase.", DefaultValueFactory = _ => 5 };
        var trainingRounds = new Option<int>("--training-rounds") { Description = "Rounds of pipeline throughput with one training thread busy vs idle (0 skips).", DefaultValueFactory = _ => 2 };
        var checkpoint = new Option<bool>("--checkpoint") { Description = "Instead: checkpoint pauses (synchronous vs spread), bytes per series and restore time (see CheckpointBenchmark)." };
        var checkpointSeries = new Option<int>("--checkpoint-series") { Description = "Series of the checkpoint benchmark.", DefaultValueFactory = _ => 100_000 };
        var partitions = new Option<int>("--partitions") { Description = "Partitions (= shards) of the checkpoint benchmark's input and state topics; the mock broker keeps 5 MiB per partition.", DefaultValueFactory = _ => 64 };
        var maxBatch = new Option<int>("--max-batch") { Description = "Kafka:MaxBatchRecords of the worker (0: the default).", DefaultValueFactory = _ => 0 };
        var sizing = new Option<int>("--sizing") { Description = "Instead: managed bytes per series of a shard holding this many series (hidden and history from the defaults), after --steps points each." };
        var sizingStep = new Option<string?>("--sizing-step") { Description = "With --sizing: the series' step as a duration (\"5m\"), with seasons 1d and 1w and horizon 1h in time (the issue's default profile) instead of 60 s with 24-step seasons." };
        var rawInterval = new Option<string?>("--raw-interval") { Description = "Instead: raw points this far apart (\"15s\") aggregated into --min-step buckets; throughput in raw points/s against bare consume (--warm-steps and --steps count buckets)." };
        var minStep = new Option<string>("--min-step") { Description = "With --raw-interval: Series:MinStep of the worker.", DefaultValueFactory = _ => "5m" };
        var rekey = new Option<int>("--rekey") { Description = "Instead: this many alternated rounds of pipeline throughput with unkeyed input (re-keyed through the repartition topic) against keyed input, and their ratio (0: off)." };
        var breakdown = new Option<int>("--breakdown") { Description = "Instead: µs per point of each part of the consume thread's work, without Kafka, after this many warm steps per series (0: off)." };
        var command = new Command("bench", "Measures pipeline throughput, bytes per forecast and latency on the in-process mock Kafka.")
        {
            series, steps, warmSteps, hidden, horizons, latencySeconds, trainingRounds, maxBatch, breakdown, rekey, sizing, sizingStep, rawInterval, minStep, checkpoint, checkpointSeries, partitions,
        };
        command.SetAction(parseResult => parseResult.GetValue(checkpoint)
            ? CheckpointBenchRun.Run(parseResult.GetValue(checkpointSeries), parseResult.GetValue(partitions), steps: 30, rounds: 3)
            : parseResult.GetValue(sizing) > 0
            ? Sizing(parseResult.GetValue(sizing), parseResult.GetValue(steps), parseResult.GetValue(hidden), parseResult.GetValue(sizingStep))
            : parseResult.GetValue(rawInterval) is { } interval
            ? Aggregated(parseResult.GetValue(series), interval, parseResult.GetValue(minStep)!, parseResult.GetValue(warmSteps), parseResult.GetValue(steps), parseResult.GetValue(hidden), parseResult.GetValue(horizons))
            : parseResult.GetValue(rekey) > 0
            ? Rekey(parseResult.GetValue(series), parseResult.GetValue(warmSteps), parseResult.GetValue(steps), parseResult.GetValue(hidden), parseResult.GetValue(horizons), parseResult.GetValue(maxBatch), parseResult.GetValue(rekey))
            : parseResult.GetValue(breakdown) > 0
            ? Breakdown(parseResult.GetValue(series), parseResult.GetValue(breakdown), parseResult.GetValue(steps), parseResult.GetValue(hidden), parseResult.GetValue(horizons))
            : Run(
            parseResult.GetValue(series), parseResult.GetValue(steps), parseResult.GetValue(warmSteps), parseResult.GetValue(hidden), parseResult.GetValue(horizons), parseResult.GetValue(latencySeconds),
            parseResult.GetValue(trainingRounds), parseResult.GetValue(maxBatch)));
        return command;
    }

    private static int Run(int series, int steps, int warmSteps, int hidden, int horizons, int latencySeconds, int trainingRounds, int maxBatch)
    {
        var inv = CultureInfo.InvariantCulture;
        using var cluster = new MockKafkaCluster();
        var bench = new PipelineBenchmark(cluster.BootstrapServers, series, hidden, horizons, maxBatch);
        var input = new BenchInput(series);
        long count = (long)series * steps;
        long warm = (long)series * warmSteps;
        Console.WriteLine(string.Create(inv, $"bench: {series} series x ({warmSteps} warm + {steps} timed) steps = {warm + count} points, hidden {hidden}, horizons {horizons}, 3 quantiles, Kafka:MaxBatchRecords {(maxBatch > 0 ? maxBatch : new KafkaOptions().MaxBatchRecords)}"));
        var produced = input.ProduceAll(cluster.BootstrapServers, "bench.throughput", 0, warmSteps + steps);
        Console.WriteLine(string.Create(inv, $"  produce (idempotent, mock broker):    {produced,10:F0} points/s"));
        var bare = bench.BareConsume("bench.throughput", warm + count);
        Console.WriteLine(string.Create(inv, $"  bare consume (same broker, same run): {bare,10:F0} records/s"));
        var gc = GcSnapshot.Take();
        var (pipeline, bytes) = bench.Pipeline("bench.throughput", warm, count);
        Console.WriteLine("  GC during the throughput phase (warm steps included): " + gc.Since());
        Console.WriteLine(string.Create(inv, $"  pipeline (input -> forecast acked):   {pipeline,10:F0} points/s  = {pipeline / bare:F2} x bare consume"));
        Console.WriteLine(string.Create(inv, $"  forecast record value:                {bytes,10:F0} bytes (JSON, before lz4)"));
        if (trainingRounds > 0)
        {
            TrainingBench.Run(cluster.BootstrapServers, bench, input, new ForecastOptions { HiddenSize = hidden, Horizons = horizons }.ToSettings(), steps, trainingRounds);
        }

        var rate = pipeline / 2;
        var latencySteps = Math.Max(1, (int)(rate * latencySeconds / series));
        gc = GcSnapshot.Take();
        using var watcher = new GcWatcher();
        var batches = new List<(double AtS, int Records, double Ms)>();
        var samples = bench.Latency("bench.latency", rate, warmSteps, latencySteps, watcher, batches);
        var collections = watcher.Stop();
        Console.WriteLine("  GC during the latency phase (warm steps included): " + gc.Since());
        if (samples.Length > 0)
        {
            LatencyReport.Print(samples, rate, (long)latencySteps * series, collections, batches, Console.Out);
        }

        return 0;
    }

    private static int Sizing(int series, int steps, int hidden, string? step)
    {
        long stepSeconds = 0;
        if (step is not null && !DurationSetting.TryParse(step, DurationUnit.Seconds, out stepSeconds, out var problem))
        {
            Console.Error.WriteLine($"--sizing-step {problem}.");
            return 2;
        }

        var (forecast, options) = SizingProfile.For(series, hidden, step is null ? null : stepSeconds);
        var settings = forecast.ToSettings();
        var (perSeries, empty) = SeriesSizing.Measure(series, steps, settings, options);
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"sizing: {series} series x {steps} points, step {options.StepSeconds} s, seasons {settings.Season} and {settings.WeeklySeason} x {settings.WeeklyStride} steps, horizons {settings.Horizons}, hidden {hidden}, history {settings.HistoryCapacity}: {perSeries:F0} B per series (empty shard {empty / 1048576.0:F1} MiB)"));
        return 0;
    }

    private static int Aggregated(int series, string interval, string minStep, int warmBuckets, int timedBuckets, int hidden, int horizons)
    {
        if (!DurationSetting.TryParse(interval, DurationUnit.Milliseconds, out var intervalMs, out var problem)
            || !DurationSetting.TryParse(minStep, DurationUnit.Seconds, out var minStepSeconds, out problem))
        {
            Console.Error.WriteLine($"--raw-interval or --min-step {problem}.");
            return 2;
        }

        return AggregatedPipelineRun.Run(series, intervalMs, minStepSeconds, warmBuckets, timedBuckets, hidden, horizons);
    }

    private static int Rekey(int series, int warmSteps, int steps, int hidden, int horizons, int maxBatch, int rounds)
    {
        using var cluster = new MockKafkaCluster();
        return RekeyBench.Run(cluster, new PipelineBenchmark(cluster.BootstrapServers, series, hidden, horizons, maxBatch), new BenchInput(series), warmSteps, steps, rounds);
    }

    private static int Breakdown(int series, int warmSteps, int steps, int hidden, int horizons)
    {
        ShardBreakdown.Run(series, warmSteps, steps, new ForecastOptions { HiddenSize = hidden, Horizons = horizons }, batch: 512, Console.Out);
        return 0;
    }
}
