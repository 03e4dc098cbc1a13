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
        // More partitions than the 4 of an auto-created topic, so one checkpoint of every series fits the
        // mock's 5 MiB per partition; the worker maps input partition p to state partition p.
        cluster.CreateTopic("bench.in", shards);
        cluster.CreateTopic("bench.state", shards);
        var state = new StateOptions();
        Print($"bench --checkpoint: {series} series in {shards} shards (= partitions of the input and state topics), each stepped {steps} times (default forecast settings); chunks of {state.CheckpointChunkMilliseconds} ms / {state.CheckpointChunkSeries} series; load average {LoadAverage()} on {Environment.ProcessorCount} cores");
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

        Restore(cluster, bench, built, shards, series);
        var shares = RestoreSharePauses.Run(built, bench.Settings, state, new TrainingOptions().RewarmSteps);
        Print($"restore of one shard of {shares.Series} series applied in shares (State:CheckpointChunkMilliseconds {state.CheckpointChunkMilliseconds} ms, RestoreChunkSeriesSteps {state.RestoreChunkSeriesSteps}), in process:");
        Print($"  put (series, model, held offsets into the shard): {shares.PutMs.Count} shares, longest {shares.PutMs.Max():F1} ms, median {Median(shares.PutMs):F2} ms; in one go (before the split) {shares.OneGoPutMs:F1} ms");
        Print($"  re-warm of every series (a shape change), first {shares.RewarmMs.Count} shares: longest {shares.RewarmMs.Max():F1} ms, median {Median(shares.RewarmMs):F2} ms (load average {LoadAverage()})");
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

    private static void Restore(MockKafkaCluster cluster, CheckpointBenchmark bench, List<ShardCheckpoint> built, int shards, int series)
    {
        var marks = bench.Watermarks("bench.state", shards);
        var dropped = marks.Count(m => m.Low > 0);
        Print($"state topic bench.state after the checkpoints above: {dropped} of {shards} partitions dropped older message sets (the mock keeps {MockPartitionBytes / (1024 * 1024)} MiB per partition)");

        // One checkpoint of every series alone in its own state topic, so the mock keeps all of it.
        cluster.CreateTopic("bench.restore.state", shards);
        using (var producer = new ProducerBuilder<byte[], byte[]>(CheckpointBenchmark.StateProducer(bench.Bootstrap)).Build())
        {
            built.ForEach(s => s.Full = true);
            CheckpointBenchmark.Synchronous(producer, new CheckpointWriter(producer, "bench.restore.state", bench.Settings), built, 9000);
        }

        marks = bench.Watermarks("bench.restore.state", shards);
        Print($"state topic bench.restore.state, one full checkpoint of {series} series: {marks.Sum(m => m.High - m.Low)} records in {shards} partitions, {marks.Count(m => m.Low > 0)} partitions dropped older message sets");
        Print($"restore of all {series} series by a fresh worker, from the first partition assigned to ready; State:RestoreThreads 1 (one partition after the other, one decoding thread: the old way) vs 0 (one per core, {Environment.ProcessorCount} here), alternating:");
        var ready = new Dictionary<int, List<double>> { [1] = [], [0] = [] };
        for (var round = 0; round < 3; round++)
        {
            foreach (var threads in new[] { 1, 0 })
            {
                var r = bench.Restore("bench.in", "bench.restore.state", shards, string.Create(Inv, $"bench.restore.{round}.{threads}"), threads);
                ready[threads].Add(r.ToReady);
                Print($"  RestoreThreads {threads}: ready after {r.ToReady:F2} s, {r.SeriesRestored:F0} of {series} series restored, {r.Failures:F0} partitions refused, {r.SeriesRestored / r.ToReady:F0} series/s (load average {LoadAverage()})");
            }
        }

        foreach (var (threads, list) in ready)
        {
            Print($"  RestoreThreads {threads}: median ready after {Median(list):F2} s over {list.Count} rounds ({series / Median(list):F0} series/s)");
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
