using Confluent.Kafka;
using Forecaster.Core.Forecasting;
using Forecaster.Worker.Checkpoints;
using Forecaster.Worker.Observability;
using Forecaster.Worker.Options;
using Forecaster.Worker.Processing;
using Forecaster.Worker.Tests.Hosting;
using Forecaster.Worker.Tests.Observability;
using Forecaster.Worker.Tests.Training;
using Forecaster.Worker.Training;
using Microsoft.Extensions.Time.Testing;

namespace Forecaster.Worker.Tests.Checkpoints;

/// <summary>
/// Issue 15 item 9: a checkpoint restored under another hidden size, horizon count, quantile levels or history
/// capacity keeps each series' smoothing state, history (cut to the new ring) and accuracy; only the old weights
/// and the LSTM states go: every series is re-warmed under the new shape's initial model, and the shard trains a
/// model of its shape from the restored histories at once, then forecasts with it. The same from the compacted log.
/// </summary>
[Collection(MockClusterTests.Name)]
public sealed class ShapeChangeRestoreTests(MockClusterFixture cluster) : IDisposable
{
    private static readonly ForecastSettings Saved = new ForecastOptions { HiddenSize = 32 }.ToSettings();
    private readonly IProducer<byte[], byte[]> _producer = new ProducerBuilder<byte[], byte[]>(new ProducerConfig { BootstrapServers = cluster.BootstrapServers, EnableIdempotence = true, LingerMs = 1 }).Build();
    private readonly SeriesOptions _options = new() { StepSeconds = 60, ReorderWindowSteps = 1, MaxBatchSeries = 16 };
    private readonly TrainingOptions _training = new() { Interval = 0, FirstPoints = 1_000_000, EveryPoints = 1_000_000, Window = 16, Batch = 4, Steps = 10, BurnIn = 4, MaxSeries = 8, RewarmSteps = 8, StartFrom = InitialModel.Scratch };

    public void Dispose() => _producer.Dispose();

    public static TheoryData<string> Changes => ["hidden 32 to 64", "horizons 12 to 6", "quantile levels", "history 512 to 100"];

    private static ForecastSettings Changed(string change) => change switch
    {
        "hidden 32 to 64" => Saved with { HiddenSize = 64 },
        "horizons 12 to 6" => Saved with { Horizons = 6 },
        "quantile levels" => Saved with { QuantileLevels = [0.05f, 0.5f, 0.95f] },
        _ => Saved with { HistoryCapacity = 100 },
    };

    [Theory]
    [MemberData(nameof(Changes))]
    public void A_shape_change_keeps_the_series_and_trains_a_model_of_the_new_shape(string change)
    {
        var settings = Changed(change);
        var kafka = StateWorker.Kafka(cluster.BootstrapServers, "reshape-" + change.Replace(' ', '-'));
        var live = new Shard(1, _options, Saved, new ShardFeed.NullSink());
        var feed = new ShardFeed(_producer, kafka.StateTopic, live, kafka.InputTopic);
        feed.Feed(Enumerable.Range(0, 6), 0, 140);
        feed.Checkpoint();

        var restored = Restorer(kafka.StateTopic, settings).Read(kafka.InputTopic, 1, out _)!;
        var compacted = Restorer(CompactedLog.Copy(cluster.BootstrapServers, kafka.StateTopic), settings).Read(kafka.InputTopic, 1, out _);
        CompactedLog.AssertSame(restored, compacted, settings, change);
        Assert.NotNull(restored.ShapeChange);
        var modelFits = settings.HistoryCapacity != Saved.HistoryCapacity; // the history ring is no part of the model's shape
        Assert.Equal(modelFits, restored.Model is not null);
        var expected = Restorer(kafka.StateTopic, settings).Read(kafka.InputTopic, 1, out _)!.Series; // the same records, re-warmed by hand below

        var shard = new Shard(1, _options, settings, new CountingSink());
        var log = new JsonStateLogger();
        Assert.Equal(6, RestoreApplier.Apply(shard, restored, _training.RewarmSteps, log, kafka.InputTopic));
        var line = Assert.Single(log.Entries); // one line for the shard, not one per series
        Assert.Contains("\"EventId\":58", line, StringComparison.Ordinal);
        Assert.Contains(modelFits ? "still fits" : "old weights are dropped", line, StringComparison.Ordinal);
        Assert.Equal(!modelFits, shard.TrainFirst);
        Assert.All(shard.Series, e => Assert.True(e.Dirty, $"series {e.Id} is not rewritten by the next checkpoint"));
        var old = live.Series.ToDictionary(e => e.Id);
        foreach (var entry in shard.Series)
        {
            var before = old[entry.Id].State;
            var history = before.CopyHistory();
            Assert.True(history.Length > 100, "the saved history outgrows the smaller ring");
            Assert.Equal(history[^Math.Min(history.Length, settings.HistoryCapacity)..], entry.State.CopyHistory());
            Assert.Equal((before.Steps, before.Initialized, before.InFallback), (entry.State.Steps, entry.State.Initialized, entry.State.InFallback));
            Assert.Equal((before.Accuracy.Samples, before.Accuracy.ModelScaledError, before.Accuracy.BaselineScaledError, before.Accuracy.NaiveScale), (entry.State.Accuracy.Samples, entry.State.Accuracy.ModelScaledError, entry.State.Accuracy.BaselineScaledError, entry.State.Accuracy.NaiveScale));
        }

        // LSTM state: exactly a fresh re-warm under the new shape's initial model; the smoothing state is the saved one.
        StateRewarm.Run(restored.Model ?? ModelFactory.CreateInitial(settings), settings, [.. expected.Select(e => e.State)], _training.RewarmSteps, expected.Count);
        ShardFeed.AssertSameSeries(ShardFeed.Bytes(expected, settings), ShardFeed.Bytes(shard.Series, settings), "restored across " + change);
        AssertSameSmoothing(live.Series, Saved, shard.Series, settings);

        // The shard trains a model of its shape from the restored histories first (no new point needed), then forecasts.
        if (modelFits)
        {
            shard.TrainFirst = true; // the saved model still serves; train anyway to see the smaller histories train
        }

        using var trainer = new ShardTrainer(shard, _training, new TrainingScheduler(1, new FakeTimeProvider()), new FakeTimeProvider(), new ForecasterMetrics(Prometheus.Metrics.NewCustomRegistry()), kafka.InputTopic);
        trainer.Poll();
        Assert.NotNull(trainer.Running);
        Assert.False(shard.TrainFirst);
        TopicIo.WaitFor(() => trainer.Running!.IsCompleted, "the first training run");
        trainer.Poll();
        Assert.Null(trainer.LastRun!.Error);
        Assert.NotNull(trainer.LastRun.Result);
        Assert.True(trainer.LastRun.Result!.SeriesUsed > 0, $"no series trained on ({trainer.LastRun.Outcome})");
        Assert.Equal(ModelFactory.ShapeFor(settings), shard.Forecaster.Model.Shape);
        var sink = new CountingSink();
        var next = new Shard(1, _options, settings, sink);
        next.Restore(shard.Forecaster.Model, [.. shard.Series]);
        new ShardFeed(_producer, kafka.StateTopic, next, kafka.InputTopic, firstOffset: restored.InputOffset).Feed(Enumerable.Range(0, 6), 140, 142);
        Assert.Equal(12, sink.Count);
        Assert.All(sink.Last.Values, f => Assert.Equal(settings.Horizons * settings.QuantileLevels.Length, f.Quantiles.Length));
    }

    /// <summary>Smoothing state (counters, flags, level, scale, noise, band, seasonal components), compared in the record bytes, which hold it in fixed places.</summary>
    private static void AssertSameSmoothing(IEnumerable<SeriesEntry> before, ForecastSettings saved, IEnumerable<SeriesEntry> after, ForecastSettings settings)
    {
        var expected = before.ToDictionary(e => e.Id, e => Smoothing(e.State, saved));
        foreach (var entry in after)
        {
            Assert.True(expected[entry.Id].AsSpan().SequenceEqual(Smoothing(entry.State, settings)), $"series {entry.Id}: the smoothing state changed");
        }
    }

    private static byte[] Smoothing(Core.Series.SeriesState state, ForecastSettings settings)
    {
        const int Counters = 8 + 4 + (5 * 4); // after magic, version and shape: counters, flags, six smoothing doubles, then h, c and the seasonal components
        const int SmoothingBytes = (3 * 8) + 1 + (6 * 8);
        var buffer = new byte[Core.Checkpoints.SeriesStateSerializer.MaxLength(settings)];
        Core.Checkpoints.SeriesStateSerializer.Write(state, settings, buffer);
        var seasonal = buffer.AsSpan(Counters + SmoothingBytes + (2 * 4 * settings.HiddenSize), 4 * (settings.Season + settings.WeeklySeason));
        return [.. buffer.AsSpan(Counters, SmoothingBytes), .. seasonal];
    }

    private StateRestorer Restorer(string stateTopic, ForecastSettings settings) =>
        new(new ConsumerConfig { BootstrapServers = cluster.BootstrapServers, GroupId = "state-reader", EnableAutoCommit = false, EnablePartitionEof = true }, stateTopic, settings, TimeSpan.FromSeconds(20));
}
