using System.Diagnostics;
using System.Globalization;
using Confluent.Kafka;
using Forecaster.Core.Forecasting;
using Forecaster.Worker.Checkpoints;
using Forecaster.Worker.Hosting;
using Forecaster.Worker.Observability;
using Forecaster.Worker.Options;
using Forecaster.Worker.Processing;
using Microsoft.Extensions.Logging.Abstractions;
using Prometheus;

namespace Forecaster.Worker.Bench;

/// <summary>
/// <c>forecaster bench --checkpoint</c>, issue 5's floors on the in-process mock cluster: (1) the longest
/// pause of the consume loop for a checkpoint of every series, one synchronous checkpoint (the way every
/// checkpoint was taken before) against the same checkpoint spread in chunks (<see cref="CheckpointJob"/>,
/// as the loop now drives it), alternating, the same shards; (2) bytes per series, and restore: a fresh
/// worker (<see cref="ConsumeLoop"/>) restoring a state topic, from its first assigned partition to ready.
/// </summary>
internal sealed class CheckpointBenchmark
{
    private readonly string _bootstrap;
    private readonly ForecastOptions _forecast = new();
    private readonly ForecastSettings _settings;
    private readonly CultureInfo _inv = CultureInfo.InvariantCulture;

    public CheckpointBenchmark(string bootstrap)
    {
        _bootstrap = bootstrap;
        _settings = _forecast.ToSettings();
    }

    public string Bootstrap => _bootstrap;

    public ForecastSettings Settings => _settings;

    public static ProducerConfig StateProducer(string bootstrap) => new()
    {
        BootstrapServers = bootstrap,
        EnableIdempotence = true,
        Acks = Acks.All,
        CompressionType = CompressionType.Lz4,
        LingerMs = 5,
        QueueBufferingMaxMessages = 1_000_000,
    };

    /// <summary>Shards of <paramref name="series"/> series in total, each series stepped <paramref name="steps"/> times (default forecast settings).</summary>
    public List<ShardCheckpoint> BuildShards(string topic, int shards, int series, int steps)
    {
        var result = new List<ShardCheckpoint>(shards);
        var options = new SeriesOptions { StepSeconds = 60 };
        for (var p = 0; p < shards; p++)
        {
            var shard = new Shard(p, options, _settings, NoSink.Instance);
            var entries = new List<SeriesEntry>();
            for (var i = p; i < series; i += shards)
            {
                var id = string.Create(_inv, $"http_requests{{instance=\"host-{i}\",service=\"checkout\"}}");
                var timeline = new SeriesTimeline(60_000, 4, 0, 48, counter: false);
                entries.Add(new SeriesEntry(id, shard.Forecaster.CreateSeries(), timeline));
            }

            for (var t = 0; t < steps; t++)
            {
                for (var i = 0; i < entries.Count; i++)
                {
                    if (shard.Forecaster.PendingCount == shard.Forecaster.MaxBatch)
                    {
                        shard.Forecaster.Step();
                    }

                    shard.Forecaster.Add(entries[i].State, 1_764_000_000_000 + (t * 60_000L), 100 + (10 * Math.Sin((t + i) * 0.3)));
                }

                shard.Forecaster.Step();
            }

            shard.Restore(null, entries);
            result.Add(new ShardCheckpoint(topic, shard, 1, -1));
        }

        return result;
    }

    /// <summary>Pause of one synchronous full checkpoint of every shard: produce every record, flush, check (the old loop's way).</summary>
    public static (double Seconds, long Bytes) Synchronous(IProducer<byte[], byte[]> producer, CheckpointWriter writer, List<ShardCheckpoint> shards, long position)
    {
        var clock = Stopwatch.StartNew();
        var acks = new CheckpointAcks();
        long bytes = 0;
        foreach (var shard in shards)
        {
            bytes += writer.Write(shard, position, acks);
        }

        writer.Collector.Flush(TimeSpan.FromMinutes(2));
        if (!acks.Completed(out var error))
        {
            throw new InvalidOperationException("synchronous checkpoint not acknowledged: " + error?.Reason);
        }

        var seconds = clock.Elapsed.TotalSeconds;
        foreach (var shard in shards)
        {
            CheckpointWriter.Commit(shard, position);
        }

        return (seconds, bytes);
    }

    /// <summary>
    /// The same checkpoint spread as the loop spreads it: per shard a job advanced once per simulated loop
    /// iteration (a 1 ms consume poll between). Returns every iteration's pause in ms and the wall time.
    /// </summary>
    public static (List<double> PausesMs, double Seconds) Spread(IProducer<byte[], byte[]> producer, CheckpointWriter writer, List<ShardCheckpoint> shards, long position, StateOptions state)
    {
        var pauses = new List<double>();
        var clock = Stopwatch.StartNew();
        foreach (var shard in shards)
        {
            var start = Stopwatch.GetTimestamp();
            var job = new CheckpointJob(writer, shard, position, TimeSpan.FromSeconds(60));
            while (true)
            {
                var until = start + (long)(state.CheckpointChunkMilliseconds * Stopwatch.Frequency / 1000.0);
                var phase = job.Advance(until, state.CheckpointChunkSeries);
                if (phase == CheckpointPhase.Done)
                {
                    CheckpointWriter.Commit(shard, position);
                }

                pauses.Add(Stopwatch.GetElapsedTime(start).TotalMilliseconds);
                if (phase is CheckpointPhase.Done or CheckpointPhase.Failed)
                {
                    if (phase == CheckpointPhase.Failed)
                    {
                        throw new InvalidOperationException("spread checkpoint failed: " + job.FailureReason);
                    }

                    break;
                }

                producer.Poll(TimeSpan.FromMilliseconds(1)); // The loop's consume poll, 1 ms while a shard is paused.
                start = Stopwatch.GetTimestamp();
                writer.Collector.Drain(); // The loop's settle: applies the delivery reports.
            }
        }

        return (pauses, clock.Elapsed.TotalSeconds);
    }

    /// <summary>A fresh worker on <paramref name="stateTopic"/>: seconds from the first partition assigned to ready, and the sum of its per-partition restore durations.</summary>
    public (double ToReady, double RestoreSum, double SeriesRestored, double Failures) Restore(string inputTopic, string stateTopic, int partitions, string group, int threads = 0)
    {
        using (var producer = new ProducerBuilder<byte[], byte[]>(StateProducer(_bootstrap)).Build())
        {
            for (var p = 0; p < partitions; p++)
            {
                producer.Produce(new TopicPartition(inputTopic, p), new Message<byte[], byte[]> { Value = "{}"u8.ToArray() });
            }

            producer.Flush(TimeSpan.FromSeconds(30));
        }

        var metrics = new ForecasterMetrics(new CollectorRegistry());
        var health = new WorkerHealth(TimeProvider.System);
        var kafka = new KafkaOptions
        {
            BootstrapServers = _bootstrap,
            GroupId = group,
            InputTopic = inputTopic,
            ForecastTopic = inputTopic + ".out",
            DeadLetterTopic = inputTopic + ".dlq",
            StateTopic = stateTopic,
            Client = new Dictionary<string, string>(BenchSettings.Fetch),
        };
        var loop = new ConsumeLoop(
            Microsoft.Extensions.Options.Options.Create(kafka),
            Microsoft.Extensions.Options.Options.Create(new SeriesOptions { StepSeconds = 60 }),
            Microsoft.Extensions.Options.Options.Create(_forecast),
            Microsoft.Extensions.Options.Options.Create(new IngestOptions()),
            metrics, health, TimeProvider.System, NullLogger<ConsumeLoop>.Instance,
            training: Microsoft.Extensions.Options.Options.Create(new TrainingOptions { Enabled = false }),
            state: Microsoft.Extensions.Options.Options.Create(new StateOptions { CheckpointIntervalSeconds = 3600, RestoreTimeoutSeconds = 600, RestoreThreads = threads }));
        using var stop = new CancellationTokenSource();
        var thread = new Thread(() => loop.Run(stop.Token)) { Name = "bench restore loop" };
        thread.Start();
        SpinWait.SpinUntil(() => health.RestoringPartitions > 0 || health.AssignedPartitions > 0 || loop.FatalError is not null);
        var clock = Stopwatch.StartNew();
        SpinWait.SpinUntil(() => health.IsReady || loop.FatalError is not null);
        var toReady = clock.Elapsed.TotalSeconds;
        stop.Cancel();
        thread.Join();
        if (loop.FatalError is { } fatal)
        {
            throw new InvalidOperationException("the restoring worker failed: " + fatal.Reason);
        }

        return (toReady, metrics.RestoreDuration.Sum, metrics.SeriesRestored.Value, metrics.RestoreFailures.Value);
    }

    /// <summary>Low and high watermarks of each partition of <paramref name="topic"/>: where the mock dropped older message sets.</summary>
    public List<(long Low, long High)> Watermarks(string topic, int partitions)
    {
        using var consumer = new ConsumerBuilder<byte[], byte[]>(BenchSettings.Consumer(_bootstrap, topic + ".marks")).Build();
        return [.. Enumerable.Range(0, partitions).Select(p => consumer.QueryWatermarkOffsets(new TopicPartition(topic, p), TimeSpan.FromSeconds(10)) is var m ? (m.Low.Value, m.High.Value) : default)];
    }

    /// <summary>The restore CPU alone, in process, for the records of <paramref name="shards"/>: seconds to fold the records, to decode them, and to fill new shards.</summary>
    public (double Fold, double Decode, double Fill) RestoreCpu(List<ShardCheckpoint> shards)
    {
        var codec = new SeriesEntryCodec(_settings);
        var records = shards.Select(s => s.Shard.Series.Select(e => (Key: StateKeys.Series(s.Topic, s.Shard.Partition, e.Id), Value: StateEnvelope.Wrap(StateRecordKind.Series, 1, codec.Encode(e)))).ToList()).ToList();
        var restorer = new StateRestorer(new ConsumerConfig(), "bench.cpu", _settings, TimeSpan.FromSeconds(60), new StateOptions().RestoreParallelism);
        double fold = 0, decode = 0, fill = 0;
        for (var p = 0; p < shards.Count; p++)
        {
            var start = Stopwatch.GetTimestamp();
            var log = new CheckpointLog("bench.cpu", shards[p].Topic, p);
            long offset = 0;
            foreach (var (key, value) in records[p])
            {
                log.Add(offset++, key, value, null);
            }

            log.Add(offset, StateKeys.Commit(shards[p].Topic, p), StateEnvelope.Wrap(StateRecordKind.Commit, 1, new CommitMarker(1, records[p].Count).ToBytes()), null);
            var folded = Stopwatch.GetTimestamp();
            var restored = restorer.Decode(log, p);
            var decoded = Stopwatch.GetTimestamp();
            new Shard(p, new SeriesOptions { StepSeconds = 60 }, _settings, NoSink.Instance).Restore(restored.Model, restored.Series);
            fold += Stopwatch.GetElapsedTime(start, folded).TotalSeconds;
            decode += Stopwatch.GetElapsedTime(folded, decoded).TotalSeconds;
            fill += Stopwatch.GetElapsedTime(decoded).TotalSeconds;
        }

        return (fold, decode, fill);
    }

    private sealed class NoSink : IForecastSink
    {
        public static readonly NoSink Instance = new();

        public void Publish(Shard shard, SeriesEntry series, long originMs, BatchForecaster forecaster, int slot, long offset, OffsetTracker offsets)
        {
        }
    }
}
