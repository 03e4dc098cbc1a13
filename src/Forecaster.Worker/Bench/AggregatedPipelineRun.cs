using System.Globalization;
using Forecaster.Worker.Demo;
using Forecaster.Worker.Options;

namespace Forecaster.Worker.Bench;

/// <summary>
/// <c>bench --raw-interval 15s</c> (issue 11's throughput floor): raw points every <c>interval</c> aggregated by the
/// worker into <c>Series:MinStep</c> buckets (learned step, floored), measured in raw points per second from the input to
/// the forecasts of their buckets acknowledged, as a ratio to the bare consume rate of the same broker in the same run.
/// </summary>
internal static class AggregatedPipelineRun
{
    public static int Run(int series, long intervalMs, long minStepSeconds, int warmBuckets, int timedBuckets, int hidden, int horizons)
    {
        var inv = CultureInfo.InvariantCulture;
        var perBucket = (int)(minStepSeconds * 1000 / intervalMs);
        if (perBucket < 1 || minStepSeconds * 1000 % intervalMs != 0)
        {
            Console.Error.WriteLine("--raw-interval must divide --min-step.");
            return 2;
        }

        using var cluster = new MockKafkaCluster();
        var options = new SeriesOptions { MinStep = (int)minStepSeconds };
        var bench = new PipelineBenchmark(cluster.BootstrapServers, series, hidden, horizons, seriesOptions: options);
        var input = new BenchInput(series, intervalMs);
        var rawSteps = (warmBuckets + timedBuckets) * perBucket;

        // Timed like the bare consumer, from the first record consumed, to the forecasts of every bucket but the two a series
        // leaves out: its first (part of it goes to learning the step) and its newest (open until a later point). The rate
        // counts every raw point read in that time.
        var buckets = (long)series * (warmBuckets + timedBuckets - 2);
        Console.WriteLine(string.Create(inv, $"bench: {series} series x {rawSteps} raw points {intervalMs / 1000.0:F0} s apart, aggregated into {minStepSeconds} s buckets ({perBucket} points each; {warmBuckets + timedBuckets} buckets, all timed after an untimed round of the same size), hidden {hidden}, horizons {horizons}"));
        // One untimed round first, on a topic of its own: a timed round of a few seconds in a fresh process would
        // otherwise time the consume thread's code before tiered compilation has optimised it.
        input.ProduceAll(cluster.BootstrapServers, "bench.raw.warmup", 0, rawSteps);
        bench.BareConsume("bench.raw.warmup", (long)series * rawSteps);
        bench.Pipeline("bench.raw.warmup", 0, buckets, fromFirstRecord: true);
        bench.Pipeline("bench.raw.warmup", 0, buckets, fromFirstRecord: true, fetchAhead: false);
        var produced = input.ProduceAll(cluster.BootstrapServers, "bench.raw", 0, rawSteps);
        Console.WriteLine(string.Create(inv, $"  produce (idempotent, mock broker):    {produced,10:F0} points/s"));
        var bare = bench.BareConsume("bench.raw", (long)series * rawSteps);
        Console.WriteLine(string.Create(inv, $"  bare consume (same broker, same run): {bare,10:F0} records/s"));

        var gc = GcSnapshot.Take();
        var (forecasts, bytes) = bench.Pipeline("bench.raw", 0, buckets, fromFirstRecord: true);
        var raw = forecasts / buckets * series * rawSteps;
        Console.WriteLine("  GC during the throughput phase (from the first record): " + gc.Since());
        Console.WriteLine(string.Create(inv, $"  pipeline (raw point -> bucket forecast acked): {raw,10:F0} raw points/s = {raw / bare:F2} x bare consume ({forecasts:F0} forecasts/s; fetched ahead on a thread of its own)"));
        // The same input again, read by a worker that polls on its loop's thread (Kafka:FetchAhead off, as before the fetch
        // thread): the baseline of the row above, warmed up the same way and run after it.
        var (inline, _) = bench.Pipeline("bench.raw", 0, buckets, fromFirstRecord: true, fetchAhead: false);
        var inlineRaw = inline / buckets * series * rawSteps;
        Console.WriteLine(string.Create(inv, $"  pipeline, polling on the loop thread:  {inlineRaw,10:F0} raw points/s = {inlineRaw / bare:F2} x bare consume"));
        Console.WriteLine(string.Create(inv, $"  forecast record value:                {bytes,10:F0} bytes (JSON, before lz4)"));
        return 0;
    }
}
