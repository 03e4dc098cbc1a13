using Confluent.Kafka;
using Forecaster.Core.Forecasting;
using Forecaster.Worker.Checkpoints;
using Forecaster.Worker.Hosting.Clients;
using Forecaster.Worker.Ingest;
using Forecaster.Worker.Options;
using Forecaster.Worker.Processing;
using Forecaster.Worker.Publish;
using Forecaster.Worker.Tests.Hosting;

namespace Forecaster.Worker.Tests.Checkpoints;

/// <summary>
/// Restores from a state topic compacted the way Kafka does (<see cref="CompactedLog"/>) against the full
/// log (issue 15): full and incremental checkpoints, an eviction, a model written once and a checkpoint cut
/// short before its marker all restore the same state bit for bit, and a restore replayed from the marker's
/// offset ends equal to the live shard.
/// </summary>
[Collection(MockClusterTests.Name)]
public sealed class CompactionRestoreTests(MockClusterFixture cluster) : IDisposable
{
    private const int Series = 6;
    private readonly ForecastSettings _settings = StateWorker.Model.ToSettings();
    private readonly SeriesOptions _options = new() { StepSeconds = 60, ReorderWindowSteps = 1, MaxSeriesPerShard = Series };
    private readonly RecordDecoder _decoder = new(new IngestOptions());
    private readonly List<(long Offset, string Json)> _input = [];
    private readonly IProducer<byte[], byte[]> _producer = new ProducerBuilder<byte[], byte[]>(new ProducerConfig { BootstrapServers = cluster.BootstrapServers, EnableIdempotence = true, LingerMs = 1 }).Build();

    public void Dispose() => _producer.Dispose();

    /// <summary>The writers' way out (one for all, so one flush applies every report).</summary>
    private RecordCollector Collector => field ??= new RecordCollector(new ConfluentProducer(_producer), health: null);

    [Fact]
    public void Full_incremental_evicting_swapping_and_cut_short_checkpoints_restore_the_same_from_the_compacted_log_and_replay_to_the_live_state()
    {
        var kafka = StateWorker.Kafka(cluster.BootstrapServers, "compact-mixed");
        var live = new Shard(1, _options, _settings, new NullSink());
        var checkpoint = new ShardCheckpoint(kafka.InputTopic, live, 1, -1);
        var writer = new CheckpointWriter(Collector, kafka.StateTopic, _settings);

        Feed(live, Enumerable.Range(0, Series), 0, 12);
        Checkpoint(writer, checkpoint, live);                       // 1: full
        Feed(live, [0, 1, 2], 12, 16);
        Checkpoint(writer, checkpoint, live);                       // 2: incremental, three series
        Feed(live, [6], 16, 17);                                    // a seventh series evicts the least recent
        Assert.Single(checkpoint.Evicted);
        var model = live.Forecaster.Model;
        live.Forecaster.SwapModel(model.Clone(model.Version + 1));  // a retraining's swap: every series re-warmed and rewritten
        StateRewarm.Run(live.Forecaster.Model, _settings, [.. live.Series.Select(e => e.State)], 8);
        foreach (var entry in live.Series)
        {
            entry.Dirty = true;
        }

        Checkpoint(writer, checkpoint, live);                       // 3: tombstone, the model once, every series
        var marker = checkpoint.CheckpointedOffset;
        Feed(live, [1, 4], 17, 21);
        var cut = checkpoint.Position;                              // 4: cut short after one record, no marker
        writer.WriteHead(checkpoint, new CheckpointAcks());
        writer.WriteSeries(checkpoint, live.Series.First(e => e.Dirty), cut, new CheckpointAcks());
        Assert.Equal(0, Collector.Flush(TimeSpan.FromSeconds(10)));
        Feed(live, live.Series.Select(e => e.Id).Where(id => id != TopicIo.SeriesId("s0")).Select(id => int.Parse(id[6..^2], System.Globalization.CultureInfo.InvariantCulture)), 21, 26); // after the crash; no new series (a restore does not keep the recency order evictions follow)

        var full = StateWorker.Restorer(cluster.BootstrapServers, kafka).Read(kafka.InputTopic, 1, out _);
        var compacted = StateWorker.Restorer(cluster.BootstrapServers, kafka, CompactedLog.Copy(cluster.BootstrapServers, kafka.StateTopic)).Read(kafka.InputTopic, 1, out _);
        CompactedLog.AssertSame(full, compacted, _settings, "mixed checkpoints");
        Assert.Equal(marker, compacted!.InputOffset);
        Assert.Equal(model.Version + 1, compacted.Model!.Version);
        Assert.Equal(Series, compacted.Series.Count);
        Assert.Equal(1, compacted.Absorbed.Count(a => a == cut));

        // The restore, fed the input again from the marker's offset, ends where the live shard is.
        var replayed = new Shard(1, _options, _settings, new NullSink());
        RestoreApplier.Apply(replayed, compacted, rewarmSteps: 8);
        foreach (var (offset, json) in _input.Where(r => r.Offset >= compacted.InputOffset))
        {
            Offer(replayed, offset, json);
        }

        replayed.Flush();
        var codec = new SeriesEntryCodec(_settings);
        var expected = live.Series.ToDictionary(e => e.Id, e => Convert.ToBase64String(codec.Encode(e)));
        var actual = replayed.Series.ToDictionary(e => e.Id, e => Convert.ToBase64String(codec.Encode(e)));
        Assert.Equal(expected.Keys.Order(StringComparer.Ordinal), actual.Keys.Order(StringComparer.Ordinal));
        foreach (var (id, bytes) in expected)
        {
            Assert.True(bytes == actual[id], $"series {id}: restored and replayed differs from the live shard");
        }
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void Eight_series_with_one_busy_one_restore_all_eight_from_the_full_and_the_compacted_log(bool compact)
    {
        // Issue 15's reproduction: checkpoints every second, then 100 more points of one series, a clean stop.
        var kafka = StateWorker.Kafka(cluster.BootstrapServers, "compact-repro-" + compact);
        var first = RestartTests.Points(8, 0, 20);
        List<(string?, string)> busy = [.. Enumerable.Range(20, 100).Select(t => ((string?)TopicIo.SeriesId("s0"), TopicIo.Point("s0", TopicIo.T0 + (t * 60_000L), t % 7)))];
        TopicIo.Produce(cluster.BootstrapServers, kafka.InputTopic, first);
        using (var worker = new StateWorker(kafka))
        {
            TopicIo.ReadAll(cluster.BootstrapServers, kafka.ForecastTopic, first.Count - 8);
            var checkpoints = worker.Metrics.CheckpointDuration.Count;
            TopicIo.WaitFor(() => worker.Metrics.CheckpointDuration.Count > checkpoints + 1, "two more checkpoints");
            TopicIo.Produce(cluster.BootstrapServers, kafka.InputTopic, busy);
            TopicIo.ReadAll(cluster.BootstrapServers, kafka.ForecastTopic, first.Count - 8 + busy.Count);
            checkpoints = worker.Metrics.CheckpointDuration.Count;
            TopicIo.WaitFor(() => worker.Metrics.CheckpointDuration.Count > checkpoints, "a checkpoint of the busy series");
            worker.Stop();
        }

        var saved = StateWorker.ReadState(cluster.BootstrapServers, kafka); // asserts the compacted copy restores the same
        if (compact)
        {
            kafka.StateTopic = CompactedLog.Copy(cluster.BootstrapServers, kafka.StateTopic);
        }

        using var restarted = new StateWorker(kafka);
        TopicIo.WaitFor(() => restarted.Health.IsReady, "ready");
        restarted.Stop();

        Assert.Equal(0, restarted.Metrics.RestoreFailures.Value);
        Assert.Equal(8, (int)restarted.Metrics.SeriesRestored.Value);
        Assert.Equal(8, saved.Where(s => s is not null).Sum(s => s!.Series.Count));
    }

    private void Checkpoint(CheckpointWriter writer, ShardCheckpoint checkpoint, Shard shard)
    {
        shard.Flush();
        var acks = new CheckpointAcks();
        var position = checkpoint.Position;
        writer.Write(checkpoint, position, acks);
        Assert.Equal(0, Collector.Flush(TimeSpan.FromSeconds(10)));
        Assert.True(acks.Completed(out _));
        CheckpointWriter.Commit(checkpoint, position);
    }

    /// <summary>One point per step of each series in <paramref name="series"/>, steps [from, to), each a record of its own offset.</summary>
    private void Feed(Shard shard, IEnumerable<int> series, int from, int to)
    {
        var list = series.ToList();
        for (var t = from; t < to; t++)
        {
            foreach (var s in list)
            {
                var json = TopicIo.Point("s" + s, TopicIo.T0 + (t * 60_000L), 50 + (10 * Math.Sin((t + s) * 0.5)) + s);
                var offset = _input.Count;
                _input.Add((offset, json));
                Offer(shard, offset, json);
            }

            shard.Flush();
        }
    }

    private void Offer(Shard shard, long offset, string json)
    {
        Assert.Null(_decoder.Decode(System.Text.Encoding.UTF8.GetBytes(json), InputFormat.Auto, TopicIo.T0 + (1000 * 60_000L)));
        shard.Position = offset + 1;
        shard.Offsets.Register(offset);
        shard.Offer(_decoder.Record, _decoder.Ids, 0, offset);
        shard.Offsets.Release(offset);

        // A step per point in both runs: a batched step's last bits depend on which series share the batch,
        // and the replay cannot batch as the live run did.
        shard.Flush();
    }

    private sealed class NullSink : IForecastSink
    {
        public void Publish(Shard shard, SeriesEntry series, long originMs, BatchForecaster forecaster, int slot, long offset, OffsetTracker offsets)
        {
        }
    }
}
