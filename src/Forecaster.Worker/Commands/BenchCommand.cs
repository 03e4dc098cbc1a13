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
        var steps = new Option<int>("--steps") { Description = "Points per series in the throughput phase.", DefaultValueFactory = _ => 10 };
        var hidden = new Option<int>("--hidden") { Description = "LSTM hidden size.", DefaultValueFactory = _ => 32 };
        var horizons = new Option<int>("--horizons") { Description = "Forecast horizons.", DefaultValueFactory = _ => 12 };
        var latencySeconds = new Option<int>("--latency-seconds") { Description = "Length of the latency phase.", DefaultValueFactory = _ => 5 };
        var trainingRounds = new Option<int>("--training-rounds") { Description = "Rounds of pipeline throughput with one training thread busy vs idle (0 skips).", DefaultValueFactory = _ => 2 };
        var checkpoint = new Option<bool>("--checkpoint") { Description = "Instead: checkpoint pauses (synchronous vs spread), bytes per series and restore time (see CheckpointBenchmark)." };
        var checkpointSeries = new Option<int>("--checkpoint-series") { Description = "Series of the checkpoint benchmark.", DefaultValueFactory = _ => 100_000 };
        var command = new Command("bench", "Measures pipeline throughput, bytes per forecast and latency on the in-process mock Kafka.")
        {
            series, steps, hidden, horizons, latencySeconds, trainingRounds, checkpoint, checkpointSeries,
        };
        command.SetAction(parseResult => parseResult.GetValue(checkpoint) ? CheckpointBenchRun.Run(parseResult.GetValue(checkpointSeries), shards: 4, steps: 30, rounds: 3) : Run(
            parseResult.GetValue(series), parseResult.GetValue(steps), parseResult.GetValue(hidden), parseResult.GetValue(horizons), parseResult.GetValue(latencySeconds),
            parseResult.GetValue(trainingRounds)));
        return command;
    }

    private static int Run(int series, int steps, int hidden, int horizons, int latencySeconds, int trainingRounds)
    {
        var inv = CultureInfo.InvariantCulture;
        using var cluster = new MockKafkaCluster();
        var bench = new PipelineBenchmark(cluster.BootstrapServers, series, hidden, horizons);
        var input = new BenchInput(series);
        long count = (long)series * steps;
        Console.WriteLine(string.Create(inv, $"bench: {series} series x {steps} steps = {count} points, hidden {hidden}, horizons {horizons}, 3 quantiles"));
        var produced = input.ProduceAll(cluster.BootstrapServers, "bench.throughput", 0, steps);
        Console.WriteLine(string.Create(inv, $"  produce (idempotent, mock broker):    {produced,10:F0} points/s"));
        var bare = bench.BareConsume("bench.throughput", count);
        Console.WriteLine(string.Create(inv, $"  bare consume (same broker, same run): {bare,10:F0} records/s"));
        var (pipeline, bytes) = bench.Pipeline("bench.throughput", count);
        Console.WriteLine(string.Create(inv, $"  pipeline (input -> forecast acked):   {pipeline,10:F0} points/s  = {pipeline / bare:F2} x bare consume"));
        Console.WriteLine(string.Create(inv, $"  forecast record value:                {bytes,10:F0} bytes (JSON, before lz4)"));
        if (trainingRounds > 0)
        {
            TrainingBench.Run(cluster.BootstrapServers, bench, input, new ForecastOptions { HiddenSize = hidden, Horizons = horizons }.ToSettings(), steps, trainingRounds);
        }

        var rate = pipeline / 2;
        var latencySteps = Math.Max(1, (int)(rate * latencySeconds / series));
        var latencies = bench.Latency("bench.latency", rate, latencySteps);
        if (latencies.Length > 0)
        {
            Console.WriteLine(string.Create(inv, $"  latency at {rate:F0} points/s ({latencies.Length} forecasts): p50 {Percentile(latencies, 0.5):F1} ms, p99 {Percentile(latencies, 0.99):F1} ms, max {latencies[^1]:F1} ms (append -> forecast readable)"));
        }

        return 0;
    }

    private static double Percentile(double[] sorted, double p) => sorted[Math.Min(sorted.Length - 1, (int)(p * sorted.Length))];
}
