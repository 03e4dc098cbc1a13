using Confluent.Kafka;
using Forecaster.Core.Forecasting;
using Forecaster.Worker.Checkpoints;
using Forecaster.Worker.Hosting.Clients;
using Forecaster.Worker.Options;
using Forecaster.Worker.Processing;
using Forecaster.Worker.Publish;
using Forecaster.Worker.Tests.Hosting;

namespace Forecaster.Worker.Tests.Checkpoints;

/// <summary>
/// Issue 15: the checkpoint of revoke and shutdown never saves an input offset past unacknowledged forecasts
/// or dead letters, and a state record the producer refuses (a state topic with fewer partitions than the
/// input) fails the checkpoint cleanly instead of escaping the loop.
/// </summary>
[Collection(MockClusterTests.Name)]
public sealed class BlockingCheckpointTests(MockClusterFixture cluster) : IDisposable
{
    private readonly ForecastSettings _settings = StateWorker.Model.ToSettings();
    private readonly IProducer<byte[], byte[]> _producer = new ProducerBuilder<byte[], byte[]>(new ProducerConfig { BootstrapServers = cluster.BootstrapServers, EnableIdempotence = true, LingerMs = 1 }).Build();

    public void Dispose() => _producer.Dispose();

    /// <summary>The writers' way out (one for all, so one flush applies every report).</summary>
    private RecordCollector Collector => field ??= new RecordCollector(new ConfluentProducer(_producer), health: null);

    [Fact]
    public void A_shard_with_an_unacknowledged_forecast_is_not_checkpointed_and_the_others_are()
    {
        var kafka = StateWorker.Kafka(cluster.BootstrapServers, "blocking-unacked");
        var waiting = Shard(kafka, 0);
        var ready = Shard(kafka, 1);
        waiting.Shard.Offsets.Sent(); // A forecast still in flight when the flush gave up.

        var (written, _, failed, reason) = Blocking(kafka).Run([waiting, ready]);

        Assert.Equal([ready], written.Select(w => w.Shard));
        Assert.Equal([waiting], failed);
        Assert.Contains("not acknowledged", reason, StringComparison.Ordinal);
        var restorer = StateWorker.Restorer(cluster.BootstrapServers, kafka);
        Assert.Null(restorer.Read(kafka.InputTopic, 0, out _));
        Assert.Equal(10, restorer.Read(kafka.InputTopic, 1, out _)!.InputOffset);
        Assert.Equal(-1, waiting.CheckpointedOffset);
    }

    [Fact]
    public void A_state_partition_that_does_not_exist_fails_the_checkpoint_without_an_exception()
    {
        var kafka = StateWorker.Kafka(cluster.BootstrapServers, "blocking-missing");
        cluster.CreateTopic(kafka.StateTopic, 1);
        var shard = Shard(kafka, 3);

        var (written, _, failed, reason) = Blocking(kafka).Run([shard]);

        Assert.Empty(written);
        Assert.Equal([shard], failed);
        Assert.NotNull(reason);
        Assert.Equal(-1, shard.CheckpointedOffset);
    }

    [Fact]
    public void A_worker_whose_state_topic_has_fewer_partitions_than_its_input_keeps_forecasting_and_counts_failed_checkpoints()
    {
        var kafka = StateWorker.Kafka(cluster.BootstrapServers, "blocking-fewer");
        cluster.CreateTopic(kafka.StateTopic, 1);
        var input = RestartTests.Points(8, 0, 10);
        TopicIo.Produce(cluster.BootstrapServers, kafka.InputTopic, input);
        using var worker = new StateWorker(kafka);
        TopicIo.ReadAll(cluster.BootstrapServers, kafka.ForecastTopic, input.Count - 8);
        TopicIo.WaitFor(() => worker.Metrics.CheckpointFailures.Value > 0, "a failed checkpoint");
        Assert.True(worker.IsRunning);
        worker.Stop(); // asserts no exception and no fatal error
    }

    private BlockingCheckpoint Blocking(KafkaOptions kafka) =>
        new(new CheckpointWriter(Collector, kafka.StateTopic, _settings), () => Collector.Flush(TimeSpan.FromSeconds(10)));

    private ShardCheckpoint Shard(KafkaOptions kafka, int partition)
    {
        var shard = new Shard(partition, new SeriesOptions { StepSeconds = 60 }, _settings, new NullSink());
        shard.Restore(null, [new SeriesEntry(TopicIo.SeriesId("a"), shard.Forecaster.CreateSeries(), new SeriesTimeline(60_000, 4, 0, 48, counter: false))]);
        shard.Offsets.Register(9);
        shard.Offsets.Release(9);
        return new ShardCheckpoint(kafka.InputTopic, shard, 1, -1);
    }

    private sealed class NullSink : IForecastSink
    {
        public void Publish(Shard shard, SeriesEntry series, long originMs, BatchForecaster forecaster, int slot, long offset, OffsetTracker offsets)
        {
        }
    }
}
