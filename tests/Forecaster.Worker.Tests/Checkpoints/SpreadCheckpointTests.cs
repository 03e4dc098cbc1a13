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
/// A checkpoint spread over loop iterations (<see cref="CheckpointJob"/>), one series record per
/// iteration, against the mock cluster: what it saves restores bit for bit, its commit marker waits for
/// the shard's forecasts, one cut short leaves the previous checkpoint in force, and one whose shard
/// moved under it never commits.
/// </summary>
[Collection(MockClusterTests.Name)]
public sealed class SpreadCheckpointTests(MockClusterFixture cluster) : IDisposable
{
    private const int Series = 6;
    private readonly ForecastSettings _settings = StateWorker.Model.ToSettings();
    private readonly IProducer<byte[], byte[]> _producer = new ProducerBuilder<byte[], byte[]>(new ProducerConfig
    {
        BootstrapServers = cluster.BootstrapServers,
        EnableIdempotence = true,
        CompressionType = CompressionType.Lz4,
        LingerMs = 1,
    }).Build();

    public void Dispose() => _producer.Dispose();

    /// <summary>The writers' way out (one for all, so one flush applies every report).</summary>
    private RecordCollector Collector => field ??= new RecordCollector(new ConfluentProducer(_producer), health: null);

    [Fact]
    public void A_spread_checkpoint_takes_an_iteration_per_series_and_restores_bit_for_bit()
    {
        var kafka = StateWorker.Kafka(cluster.BootstrapServers, "spread-whole");
        var (shard, writer) = Start(kafka, 1);
        var expected = Snapshot(shard);

        var (phase, advances) = Drive(new CheckpointJob(writer, shard, 42, TimeSpan.FromSeconds(10)));

        Assert.Equal(CheckpointPhase.Done, phase);
        Assert.True(advances >= Series, $"{advances} iterations for {Series} series");
        CheckpointWriter.Commit(shard, 42);
        var restored = StateWorker.Restorer(cluster.BootstrapServers, kafka).Read(kafka.InputTopic, 1, out _);
        Assert.Equal(42, restored!.InputOffset);
        AssertSame(expected, restored);
    }

    [Fact]
    public void A_checkpoint_cut_short_leaves_the_previous_one_in_force_and_the_next_one_replaces_it()
    {
        var kafka = StateWorker.Kafka(cluster.BootstrapServers, "spread-cut");
        var (shard, writer) = Start(kafka, 2);
        Assert.Equal(CheckpointPhase.Done, Drive(new CheckpointJob(writer, shard, 42, TimeSpan.FromSeconds(10))).Phase);
        CheckpointWriter.Commit(shard, 42);
        var first = Snapshot(shard);

        StepAll(shard.Shard, 100);
        var moved = Snapshot(shard);
        var cut = new CheckpointJob(writer, shard, 43, TimeSpan.FromSeconds(10));
        Assert.Equal(CheckpointPhase.Records, Drive(cut, maxAdvances: 2).Phase);
        Collector.Flush(TimeSpan.FromSeconds(10));
        Assert.True(cut.SeriesWritten is > 0 and < Series);

        // The marker of the first stays in force (input resumes at 42). Compaction may already have replaced
        // the first's record of a series the cut one rewrote, so a rewritten series restores from its newer
        // record, which says it absorbed the input before 43 (its points below are skipped when read again);
        // the others from the first (issue 15: the same from the full and the compacted log).
        var afterCut = StateWorker.Restorer(cluster.BootstrapServers, kafka).Read(kafka.InputTopic, 2, out _);
        Assert.Equal(42, afterCut!.InputOffset);
        var codec = new SeriesEntryCodec(_settings);
        for (var i = 0; i < afterCut.Series.Count; i++)
        {
            var id = afterCut.Series[i].Id;
            var expected = afterCut.Absorbed[i] == 43 ? moved[id] : first[id];
            Assert.True(codec.Encode(afterCut.Series[i]).AsSpan().SequenceEqual(expected), $"series {id} differs from the record it was restored from");
        }

        Assert.Equal(cut.SeriesWritten, afterCut.Absorbed.Count(a => a == 43));
        Assert.Equal(Series, afterCut.Series.Count);

        // What the loop does with a job it drops: the next checkpoint is full and in a new sequence.
        shard.Full = true;
        shard.NextSequence++;
        var second = Snapshot(shard);
        Assert.Equal(CheckpointPhase.Done, Drive(new CheckpointJob(writer, shard, 43, TimeSpan.FromSeconds(10))).Phase);
        var latest = StateWorker.Restorer(cluster.BootstrapServers, kafka).Read(kafka.InputTopic, 2, out _);
        Assert.Equal(43, latest!.InputOffset);
        AssertSame(second, latest);
    }

    [Fact]
    public void The_commit_marker_waits_for_the_shards_forecasts_to_be_acknowledged()
    {
        var kafka = StateWorker.Kafka(cluster.BootstrapServers, "spread-forecasts");
        var (shard, writer) = Start(kafka, 0);
        shard.Shard.Offsets.Sent(); // A forecast of this shard still in flight.
        var job = new CheckpointJob(writer, shard, 42, TimeSpan.FromSeconds(30));

        Assert.Equal(CheckpointPhase.Acks, Drive(job, maxAdvances: 3 * Series).Phase);
        Assert.Null(StateWorker.Restorer(cluster.BootstrapServers, kafka).Read(kafka.InputTopic, 0, out _));

        shard.Shard.Offsets.Acknowledged();
        Assert.Equal(CheckpointPhase.Done, Drive(job).Phase);
        Assert.Equal(42, StateWorker.Restorer(cluster.BootstrapServers, kafka).Read(kafka.InputTopic, 0, out _)!.InputOffset);
    }

    [Fact]
    public void A_series_evicted_before_a_spread_checkpoint_is_tombstoned_and_the_new_one_saved()
    {
        var kafka = StateWorker.Kafka(cluster.BootstrapServers, "spread-evict");
        var (shard, writer) = Start(kafka, 1, maxSeries: Series);
        Assert.Equal(CheckpointPhase.Done, Drive(new CheckpointJob(writer, shard, 42, TimeSpan.FromSeconds(10))).Phase);
        CheckpointWriter.Commit(shard, 42);
        var before = Snapshot(shard).Keys.ToHashSet();

        // A point of a new series at offset 42 fills the table past its cap: the least recent series goes.
        var decoder = new RecordDecoder(new IngestOptions());
        Assert.Null(decoder.Decode(System.Text.Encoding.UTF8.GetBytes(TopicIo.Point("fresh", TopicIo.T0, 5)), InputFormat.Auto, TopicIo.T0));
        shard.Shard.Offsets.Register(42);
        shard.Shard.Offer(decoder.Record, decoder.Ids, 0, 42);
        shard.Shard.Offsets.Release(42);
        var evicted = Assert.Single(shard.Evicted);
        Assert.Contains(evicted, before);

        var expected = Snapshot(shard);
        Assert.Equal(CheckpointPhase.Done, Drive(new CheckpointJob(writer, shard, 43, TimeSpan.FromSeconds(10))).Phase);
        var restored = StateWorker.Restorer(cluster.BootstrapServers, kafka).Read(kafka.InputTopic, 1, out _);
        Assert.Equal(43, restored!.InputOffset);
        Assert.DoesNotContain(restored.Series, e => e.Id == evicted);
        Assert.Contains(restored.Series, e => e.Id == TopicIo.SeriesId("fresh"));
        AssertSame(expected, restored);
    }

    [Theory]
    [InlineData("record")]
    [InlineData("swap")]
    public void A_job_whose_shard_moved_under_it_fails_without_a_commit_marker(string move)
    {
        var kafka = StateWorker.Kafka(cluster.BootstrapServers, "spread-moved-" + move);
        var (shard, writer) = Start(kafka, 3);
        var job = new CheckpointJob(writer, shard, 42, TimeSpan.FromSeconds(10));
        Assert.Equal(CheckpointPhase.Records, Drive(job, maxAdvances: 1).Phase);
        if (move == "record")
        {
            shard.Shard.Offsets.Register(42); // A record of the paused partition slipped through.
        }
        else
        {
            var model = shard.Shard.Forecaster.Model;
            shard.Shard.Forecaster.SwapModel(model.Clone(model.Version + 1));
        }

        Assert.Equal(CheckpointPhase.Failed, Drive(job).Phase);
        Assert.Contains("moved", job.FailureReason, StringComparison.Ordinal);
        Collector.Flush(TimeSpan.FromSeconds(10));
        Assert.Null(StateWorker.Restorer(cluster.BootstrapServers, kafka).Read(kafka.InputTopic, 3, out _));
    }

    /// <summary>Advances like the loop with a budget of one series per iteration, flushing when the job waits on acknowledgements.</summary>
    private (CheckpointPhase Phase, int Advances) Drive(CheckpointJob job, int maxAdvances = 1000)
    {
        var advances = 0;
        var phase = job.Phase;
        while (advances < maxAdvances && phase is not (CheckpointPhase.Done or CheckpointPhase.Failed))
        {
            phase = job.Advance(long.MaxValue, 1);
            advances++;
            if (phase is CheckpointPhase.Acks or CheckpointPhase.MarkerAck)
            {
                Collector.Flush(TimeSpan.FromSeconds(10));
            }
        }

        return (phase, advances);
    }

    private (ShardCheckpoint Shard, CheckpointWriter Writer) Start(KafkaOptions kafka, int partition, int maxSeries = 100)
    {
        var options = new SeriesOptions { StepSeconds = StateWorker.Series.StepSeconds, ReorderWindowSteps = StateWorker.Series.ReorderWindowSteps, MaxSeriesPerShard = maxSeries };
        var shard = new Shard(partition, options, _settings, new NoSink());
        var entries = Enumerable.Range(0, Series).Select(i => new SeriesEntry(
            TopicIo.SeriesId("s" + i), shard.Forecaster.CreateSeries(), new SeriesTimeline(60_000, 4, 1, 48, counter: false))).ToList();
        shard.Restore(null, entries);
        for (var t = 0; t < 12; t++)
        {
            StepAll(shard, t);
        }

        return (new ShardCheckpoint(kafka.InputTopic, shard, 1, -1), new CheckpointWriter(Collector, kafka.StateTopic, _settings));
    }

    private static void StepAll(Shard shard, int t)
    {
        var i = 0;
        foreach (var entry in shard.Series)
        {
            shard.Forecaster.Add(entry.State, TopicIo.T0 + (t * 60_000L), 50 + (10 * Math.Sin((t + i++) * 0.5)));
            entry.Dirty = true;
        }

        shard.Forecaster.Step();
    }

    private Dictionary<string, byte[]> Snapshot(ShardCheckpoint shard)
    {
        var codec = new SeriesEntryCodec(_settings);
        return shard.Shard.Series.ToDictionary(e => e.Id, codec.Encode);
    }

    private void AssertSame(Dictionary<string, byte[]> expected, RestoredShard restored)
    {
        var codec = new SeriesEntryCodec(_settings);
        var actual = restored.Series.ToDictionary(e => e.Id, codec.Encode);
        Assert.Equal(expected.Keys.Order(), actual.Keys.Order());
        foreach (var (id, bytes) in expected)
        {
            Assert.True(bytes.AsSpan().SequenceEqual(actual[id]), $"series {id} differs from the state the checkpoint was taken on");
        }
    }

    private sealed class NoSink : IForecastSink
    {
        public void Publish(Shard shard, SeriesEntry series, long originMs, BatchForecaster forecaster, int slot, long offset, OffsetTracker offsets)
        {
        }
    }
}
