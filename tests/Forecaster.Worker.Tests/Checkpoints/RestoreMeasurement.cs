using System.Diagnostics;
using Confluent.Kafka;
using Forecaster.Core.Forecasting;
using Forecaster.Worker.Checkpoints;
using Forecaster.Worker.Options;
using Forecaster.Worker.Processing;
using Forecaster.Worker.Tests.Hosting;
using Xunit.Abstractions;

namespace Forecaster.Worker.Tests.Checkpoints;

/// <summary>
/// Measurement, not a test: a full checkpoint of one shard of FORECASTER_MEASURE_SERIES series (default settings,
/// each stepped 30 times) to the mock cluster, then its restore. Runs only with FORECASTER_MEASURE=1:
/// <c>FORECASTER_MEASURE=1 dotnet test -c Release --filter RestoreMeasurement --logger "console;verbosity=detailed"</c>.
/// </summary>
[Collection(MockClusterTests.Name)]
public class RestoreMeasurement(MockClusterFixture cluster, ITestOutputHelper output)
{
    [Fact]
    public void Checkpoint_and_restore_of_a_large_shard()
    {
        if (Environment.GetEnvironmentVariable("FORECASTER_MEASURE") != "1")
        {
            return;
        }

        var count = int.Parse(Environment.GetEnvironmentVariable("FORECASTER_MEASURE_SERIES") ?? "100000", System.Globalization.CultureInfo.InvariantCulture);
        var settings = new ForecastOptions().ToSettings();
        var options = new SeriesOptions { StepSeconds = 60 };
        var clock = Stopwatch.StartNew();
        var entries = Build(settings, count);
        output.WriteLine($"built {count} series in {clock.Elapsed.TotalSeconds:F1} s");

        var shard = new Shard(0, options, settings, new CapturingSinkStub());
        shard.Restore(null, entries);
        var kafka = StateWorker.Kafka(cluster.BootstrapServers, "measure");
        using var producer = new ProducerBuilder<byte[], byte[]>(new ProducerConfig
        {
            BootstrapServers = cluster.BootstrapServers,
            EnableIdempotence = true,
            CompressionType = CompressionType.Lz4,
            LingerMs = 5,
            QueueBufferingMaxMessages = 1_000_000,
        }).Build();
        var writer = new CheckpointWriter(producer, kafka.StateTopic, settings);
        var checkpoint = new ShardCheckpoint(kafka.InputTopic, shard, 1, -1);
        clock.Restart();
        var acks = new CheckpointAcks();
        var bytes = writer.Write(checkpoint, 12345, acks);
        var produce = clock.Elapsed;
        writer.Collector.Flush(TimeSpan.FromMinutes(2));
        Assert.True(acks.Completed(out _));
        output.WriteLine($"full checkpoint: {bytes} bytes ({(double)bytes / count:F0} per series), produce {produce.TotalSeconds:F2} s, acknowledged after {clock.Elapsed.TotalSeconds:F2} s");

        CheckpointWriter.Commit(checkpoint, 12345);
        foreach (var entry in entries.Take(count / 100))
        {
            entry.Dirty = true;
        }

        clock.Restart();
        writer.Write(checkpoint, 12346, new CheckpointAcks());
        var incremental = clock.Elapsed;
        writer.Collector.Flush(TimeSpan.FromMinutes(1));
        output.WriteLine($"incremental checkpoint of {count / 100} dirty series: produce {incremental.TotalMilliseconds:F1} ms, acknowledged after {clock.Elapsed.TotalMilliseconds:F1} ms");

        // The mock broker keeps 5 MiB of message sets per partition (rdkafka_mock.c; older ones are dropped), so a 100k-series
        // checkpoint cannot be read back from it: the CPU side of a restore is timed in process, on the same
        // records, and the read over Kafka only for a shard small enough to fit.
        var codec = new SeriesEntryCodec(settings);
        var values = entries.Select(e => (StateKeys.Series(kafka.InputTopic, 0, e.Id), StateEnvelope.Wrap(StateRecordKind.Series, 1, codec.Encode(e)))).ToList();
        clock.Restart();
        var log = new CheckpointLog(kafka.StateTopic, kafka.InputTopic, 0);
        var offset = 0L;
        foreach (var (key, value) in values)
        {
            log.Add(offset++, key, value, null);
        }

        log.Add(offset, StateKeys.Commit(kafka.InputTopic, 0), StateEnvelope.Wrap(StateRecordKind.Commit, 1, new CommitMarker(12345, count).ToBytes()), null);
        var decoded = log.Series.Values.Select(r => SeriesEntryCodec.Decode(r.Payload, settings)).ToList();
        var fresh = new Shard(0, options, settings, new CapturingSinkStub());
        fresh.Restore(null, decoded);
        output.WriteLine($"restore CPU (fold, decode, into a shard) of {count} series: {clock.Elapsed.TotalSeconds:F2} s");
        Assert.Equal(count, fresh.SeriesCount);

        var small = StateWorker.Kafka(cluster.BootstrapServers, "measure-small");
        var smallShard = new Shard(0, options, settings, new CapturingSinkStub());
        smallShard.Restore(null, Build(settings, 3000));
        var smallCheckpoint = new ShardCheckpoint(small.InputTopic, smallShard, 1, -1);
        var smallWriter = new CheckpointWriter(producer, small.StateTopic, settings);
        var smallAcks = new CheckpointAcks();
        smallWriter.Write(smallCheckpoint, 777, smallAcks);
        smallWriter.Collector.Flush(TimeSpan.FromMinutes(1));
        Assert.True(smallAcks.Completed(out _));
        clock.Restart();
        var restorer = new StateRestorer(
            new ConsumerConfig { BootstrapServers = cluster.BootstrapServers, GroupId = "measure", EnableAutoCommit = false, EnablePartitionEof = true },
            small.StateTopic, settings, TimeSpan.FromSeconds(60));
        var restored = restorer.Read(small.InputTopic, 0, out _);
        output.WriteLine($"restore over Kafka of {restored!.Series.Count} series ({restored.Bytes} bytes): {clock.Elapsed.TotalSeconds:F2} s");
    }

    private static List<SeriesEntry> Build(ForecastSettings settings, int count)
    {
        var forecaster = new BatchForecaster(settings, 4096);
        var entries = new List<SeriesEntry>(count);
        for (var i = 0; i < count; i++)
        {
            var id = $"http_requests{{instance=\"host-{i}\",service=\"checkout\"}}";
            var timeline = new SeriesTimeline(60_000, 4, 0, 48, counter: false);
            entries.Add(new SeriesEntry(id, forecaster.CreateSeries(), timeline));
        }

        for (var t = 0; t < 30; t++)
        {
            for (var i = 0; i < count; i++)
            {
                if (forecaster.PendingCount == forecaster.MaxBatch)
                {
                    forecaster.Step();
                }

                forecaster.Add(entries[i].State, TopicIo.T0 + (t * 60_000L), 100 + (10 * Math.Sin((t + i) * 0.3)));
            }

            forecaster.Step();
        }

        return entries;
    }

    private sealed class CapturingSinkStub : IForecastSink
    {
        public void Publish(Shard shard, SeriesEntry series, long originMs, BatchForecaster forecaster, int slot, long offset, OffsetTracker offsets)
        {
        }
    }
}
