using Confluent.Kafka;
using Forecaster.Worker.Checkpoints;
using Forecaster.Worker.Observability;
using Forecaster.Worker.Options;
using Forecaster.Worker.Processing;
using Forecaster.Worker.Tests.Hosting;
using Forecaster.Worker.Training;
using Microsoft.Extensions.Time.Testing;

namespace Forecaster.Worker.Tests.Checkpoints;

/// <summary>
/// Issue 15 item 6: a model swap re-warms every series under the new model and marks each dirty, so the next
/// (incremental) checkpoint pairs the new model with new-model states, and a restore right after the swap
/// equals the live shard bit for bit (a restore that re-warmed the stale records itself would batch them
/// differently, and a batched step's last bits depend on which series share the batch).
/// </summary>
[Collection(MockClusterTests.Name)]
public sealed class ModelSwapCheckpointTests(MockClusterFixture cluster) : IDisposable
{
    private readonly IProducer<byte[], byte[]> _producer = new ProducerBuilder<byte[], byte[]>(new ProducerConfig { BootstrapServers = cluster.BootstrapServers, EnableIdempotence = true, LingerMs = 1 }).Build();

    public void Dispose() => _producer.Dispose();

    [Fact]
    public void A_restore_right_after_a_swap_equals_the_live_shard_and_the_checkpoint_rewrote_every_series_under_the_new_model()
    {
        var settings = new ForecastOptions().ToSettings(); // the shape of the shipped pretrained model
        var kafka = StateWorker.Kafka(cluster.BootstrapServers, "swap-dirty");
        var options = new SeriesOptions { StepSeconds = 60, ReorderWindowSteps = 1, MaxBatchSeries = 16 };
        var live = new Shard(2, options, settings, new ShardFeed.NullSink());
        var feed = new ShardFeed(_producer, kafka.StateTopic, live, kafka.InputTopic);
        feed.Feed(Enumerable.Range(0, 9), 0, 30);
        feed.Checkpoint();                                           // full, under the seeded random model (version 0)
        feed.Feed([0, 3], 30, 34);                                   // two series move: dirty

        // The swap as the worker makes it: the trainer of a shard still on version 0 installs the shipped model.
        using var trainer = new ShardTrainer(live, new TrainingOptions { Enabled = false, StartFrom = InitialModel.Pretrained }, new TrainingScheduler(1, new FakeTimeProvider()), new FakeTimeProvider(), new ForecasterMetrics(Prometheus.Metrics.NewCustomRegistry()), kafka.InputTopic);
        Assert.Equal("pretrained", trainer.StartedFrom);
        Assert.All(live.Series, e => Assert.True(e.Dirty, $"series {e.Id} re-warmed but not marked dirty"));
        feed.Checkpoint();                                           // incremental: the model once, every re-warmed series

        var restorer = new StateRestorer(new ConsumerConfig { BootstrapServers = cluster.BootstrapServers, GroupId = "state-reader", EnableAutoCommit = false, EnablePartitionEof = true }, kafka.StateTopic, settings, TimeSpan.FromSeconds(20));
        var restored = restorer.Read(kafka.InputTopic, 2, out _)!;
        var compacted = new StateRestorer(new ConsumerConfig { BootstrapServers = cluster.BootstrapServers, GroupId = "state-reader", EnableAutoCommit = false, EnablePartitionEof = true }, CompactedLog.Copy(cluster.BootstrapServers, kafka.StateTopic), settings, TimeSpan.FromSeconds(20));
        CompactedLog.AssertSame(restored, compacted.Read(kafka.InputTopic, 2, out _), settings, "after the swap");
        Assert.All(restored.ModelVersions, v => Assert.Equal(live.Forecaster.ModelVersion, v));
        var shard = new Shard(2, options, settings, new ShardFeed.NullSink());
        Assert.Equal(0, RestoreApplier.Apply(shard, restored, new TrainingOptions().RewarmSteps)); // nothing left to re-warm
        Assert.Equal(live.Forecaster.ModelVersion, shard.Forecaster.ModelVersion);
        ShardFeed.AssertSameSeries(ShardFeed.Bytes(live.Series, settings), ShardFeed.Bytes(shard.Series, settings), "restored right after the swap");
    }
}
