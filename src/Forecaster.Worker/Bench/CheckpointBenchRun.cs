using System.Diagnostics;
using System.Globalization;
using Confluent.Kafka;
using Forecaster.Worker.Checkpoints;
using Forecaster.Worker.Demo;
using Forecaster.Worker.Options;

namespace Forecaster.Worker.Bench;

/// <summary>The report of <c>forecaster bench --checkpoint</c> (see <see cref="CheckpointBenchmark"/>).</summary>
internal static class CheckpointBenchRun
{
    /// <summary>librdkafka's mock broker keeps at most this many bytes of message sets per partition (rdkafka_mock.c, rd_kafka_mock_partition_init: max_size), dropping the oldest.</summary>
    private const long MockPartitionBytes = 5L * 1024 * 1024;

    private static readonly CultureInfo Inv = CultureInfo.InvariantCulture;

    public static int Run(int series, int shards, int steps, int rounds)
    {
        using var cluster = new MockKafkaCluster();
        var bench = new CheckpointBenchmark(cluster.BootstrapServers);
        var state = new StateOptions();
        Print($"bench --checkpoint: {series} series in {shards} shards, each stepped {steps} times (default forecast settings); chunks of {state.CheckpointChunkMilliseconds} ms / {state.CheckpointChunkSeries} series; load average {LoadAverage()} on {Environment.ProcessorCount} cores");
        var clock = Stopwatch.StartNew();
        var built = bench.BuildShards("bench.in", shards, series, steps);
        Print($"  built in {clock.Elapsed.TotalSeconds:F1} s");

        using var producer = new ProducerBuilder<byte[], byte[]>(CheckpointBenchmark.StateProducer(cluster.BootstrapServers)).Build();
        var writer = new CheckpointWriter(producer, "bench.state", bench.Settings);
        var syncSeconds = new List<double>();
        var spreadMax = new List<double>();
        var spreadAll = new List<double>();
        var spreadWall = new List<double>();
        long bytes = 0;
        for (var round = 0; round < rounds; round++)
        {
            built.ForEach(s => s.Full = true);
            (var seconds, bytes) = CheckpointBenchmark.Synchronous(producer, writer, built, 1000 + round);
            syncSeconds.Add(seconds);
            built.ForEach(s => s.Full = true);
            var gc = GC.GetTotalPauseDuration();
            var (pauses, wall) = CheckpointBenchmark.Spread(producer, writer, built, 2000 + round, state);
            gc = GC.GetTotalPauseDuration() - gc;
            spreadMax.Add(pauses.Max());
            spreadAll.AddRange(pauses);
            spreadWall.Add(wall);
            Print($"  round {round + 1}: synchronous pause {seconds * 1000:F0} ms | spread: {pauses.Count} iterations, longest {pauses.Max():F1} ms, median {Median(pauses):F2} ms, done in {wall:F2} s (GC pauses meanwhile {gc.TotalMilliseconds:F0} ms in all; load average {LoadAverage()})");
        }

        Print($"full checkpoint of {series} series ({bytes} value bytes, {(double)bytes / series:F0} bytes per series before lz4):");
        Print($"  before (one synchronous checkpoint): pause median {Median(syncSeconds) * 1000:F0} ms over {rounds} rounds");
        Print($"  after (spread, as the loop does it): longest pause median {Median(spreadMax):F1} ms over {rounds} rounds (max {spreadMax.Max():F1} ms); per iteration median {Median(spreadAll):F2} ms, p99 {Percentile(spreadAll, 0.99):F1} ms; checkpoint done in {Median(spreadWall):F2} s");

        Print($"the consume loop itself ({series} series created by one point each, first interval checkpoint = full, a second point of every series arriving meanwhile):");
        var loop = new LoopCheckpointPauses(cluster.BootstrapServers, series);
        foreach (var (name, options) in new[]
        {
            ("one chunk per shard (a whole shard in one iteration)", new StateOptions { CheckpointIntervalSeconds = 20, CheckpointChunkMilliseconds = 10_000, CheckpointChunkSeries = 10_000_000 }),
            ("spread (defaults)", new StateOptions { CheckpointIntervalSeconds = 20 }),
        })
        {
            var r = loop.Run("bench.loop." + (options.CheckpointChunkSeries > 1_000_000 ? "whole" : "spread"), options);
            Print($"  {name}: {r.Count} pauses, longest in the bucket <= {r.MaxBucketSeconds * 1000:F0} ms, mean {r.SumSeconds / Math.Max(1, r.Count) * 1000:F1} ms; checkpoint done in {r.RoundSeconds:F2} s{(r.WaitedForInput ? "" : " (it began before every series existed)")}; load average {LoadAverage()}");
        }

        var dirty = Math.Max(1, series / 100);
        var incremental = Incremental(bench, producer, writer, built, dirty, state);
        Print($"incremental checkpoint of {dirty} dirty series: synchronous pause {incremental.Sync:F1} ms | spread longest pause {incremental.SpreadMax:F1} ms");

        Restore(bench, built, shards, series, steps);
        return 0;
    }

    private static (double Sync, double SpreadMax) Incremental(CheckpointBenchmark bench, IProducer<byte[], byte[]> producer, CheckpointWriter writer, List<ShardCheckpoint> built, int dirty, StateOptions state)
    {
        void MarkDirty() => built.ForEach(s => { foreach (var e in s.Shard.Series.Take(dirty / built.Count)) { e.Dirty = true; } });
        MarkDirty();
        var (seconds, _) = CheckpointBenchmark.Synchronous(producer, writer, built, 5000);
        MarkDirty();
        var (pauses, _) = CheckpointBenchmark.Spread(producer, writer, built, 5001, state);
        return (seconds * 1000, pauses.Max());
    }

    private static void Restore(CheckpointBenchmark bench, List<ShardCheckpoint> built, int shards, int series, int steps)
    {
        var marks = bench.Watermarks("bench.state", shards);
        var kept = marks.Min(m => m.High - m.Low);
        Print($"state topic on the mock broker after the checkpoints above (it keeps {MockPartitionBytes / (1024 * 1024)} MiB of message sets per partition, older ones dropped):");
        for (var p = 0; p < marks.Count; p++)
        {
            Print($"  partition {p}: offsets {marks[p].Low}..{marks[p].High} kept ({marks[p].High - marks[p].Low} records, about {(double)MockPartitionBytes / (marks[p].High - marks[p].Low):F0} bytes per record after lz4)");
        }

        var all = bench.Restore("bench.in", "bench.state", shards, "bench.restore.all");
        Print($"  restore of the {series}-series checkpoint by a fresh worker: {all.SeriesRestored:F0} series restored, {all.Failures:F0} partitions refused, ready after {all.ToReady:F2} s");

        var perShard = (int)Math.Min(series / shards, kept * 8 / 10);
        var fit = bench.BuildShards("bench.fit.in", shards, perShard * shards, steps);
        using (var producer = new ProducerBuilder<byte[], byte[]>(CheckpointBenchmark.StateProducer(bench.Bootstrap)).Build())
        {
            CheckpointBenchmark.Synchronous(producer, new CheckpointWriter(producer, "bench.fit.state", bench.Settings), fit, 1);
        }

        var fitSeries = perShard * shards;
        Print($"restore of {fitSeries} series (what fits the mock) by a fresh worker, from the first partition assigned to ready; State:RestoreThreads 1 (one partition after the other, one decoding thread: the old way) vs 0 (one per core, {Environment.ProcessorCount} here), alternating:");
        var rates = new Dictionary<int, List<double>> { [1] = [], [0] = [] };
        for (var round = 0; round < 3; round++)
        {
            foreach (var threads in new[] { 1, 0 })
            {
                var r = bench.Restore("bench.fit.in", "bench.fit.state", shards, string.Create(Inv, $"bench.fit.{round}.{threads}"), threads);
                rates[threads].Add(r.SeriesRestored / r.ToReady);
                Print($"  RestoreThreads {threads}: ready after {r.ToReady:F2} s, {r.SeriesRestored:F0} series restored, {r.Failures:F0} refused, {r.SeriesRestored / r.ToReady:F0} series/s (load average {LoadAverage()})");
            }
        }

        foreach (var (threads, list) in rates)
        {
            Print($"  RestoreThreads {threads}: median {Median(list):F0} series/s -> {series} series at that rate: {series / Median(list):F1} s");
        }

        var cpu = bench.RestoreCpu(built);
        Print($"restore CPU of all {series} series in process, no Kafka (fold the records, decode on {new StateOptions().RestoreParallelism} threads, fill the shards): {cpu.Fold + cpu.Decode + cpu.Fill:F2} s (fold {cpu.Fold:F2} s, decode {cpu.Decode:F2} s, fill {cpu.Fill:F2} s; load average {LoadAverage()})");
    }

    private static string LoadAverage() => File.Exists("/proc/loadavg") ? File.ReadAllText("/proc/loadavg").Split(' ')[0] : "n/a";

    private static double Median(List<double> values) => Percentile(values, 0.5);

    private static double Percentile(List<double> values, double p)
    {
        var sorted = values.Order().ToList();
        return sorted[Math.Min(sorted.Count - 1, (int)(p * sorted.Count))];
    }

    private static void Print(FormattableString line) => Console.WriteLine(line.ToString(Inv));
}
