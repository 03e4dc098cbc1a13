using Confluent.Kafka;
using Forecaster.Core.Forecasting;
using Forecaster.Worker.Hosting.Clients;
using Forecaster.Worker.Ingest;
using Forecaster.Worker.Observability;
using Forecaster.Worker.Options;
using Forecaster.Worker.Processing;
using Forecaster.Worker.Publish;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Prometheus;

namespace Forecaster.Worker.Hosting;

/// <summary>
/// The worker's blocking loop, run on its own thread by <see cref="ForecastWorker"/> (or directly by tests):
/// consume a batch, decode, offer to the partition's shard, step the shards, then apply delivery reports
/// and store the offsets whose effects are all acknowledged. Rebalance handlers run inside Consume on
/// this thread, so the shards need no locks.
/// </summary>
internal sealed partial class ConsumeLoop
{
    private static readonly TimeSpan PollTimeout = TimeSpan.FromMilliseconds(100);

    private readonly KafkaOptions _kafka;
    private readonly SeriesOptions _series;
    private readonly ForecastOptions _forecast;
    private readonly IngestOptions _ingest;
    private readonly ForecastSettings _settings;
    private readonly ForecasterMetrics _metrics;
    private readonly WorkerHealth _health;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly RecordDecoder _decoder;
    private readonly Dictionary<(string Topic, int Partition), Shard> _shards = [];
    private readonly Counter.Child _duplicates;
    private readonly Counter.Child _lateInBucket;
    private readonly Counter.Child _superseded;
    private ForecastPublisher? _publisher;
    private readonly IKafkaClients _clients;
    private IKafkaConsumer? _consumer;
    private volatile Error? _fatal;
    private readonly HeldPointReleaser? _heldPoints;
    private long _consumed;
    private long _lastLagUpdate;

    public ConsumeLoop(
        IOptions<KafkaOptions> kafka, IOptions<SeriesOptions> series, IOptions<ForecastOptions> forecast, IOptions<IngestOptions> ingest,
        ForecasterMetrics metrics, WorkerHealth health, TimeProvider time, ILogger<ConsumeLoop> logger,
        IOptions<TrainingOptions>? training = null, IOptions<StateOptions>? state = null, IOptions<AnomalyOptions>? anomaly = null,
        IKafkaClients? clients = null)
    {
        _clients = clients ?? new KafkaClientFactory();
        _state = state?.Value ?? _state;
        _kafka = kafka.Value;
        _series = series.Value;
        _forecast = forecast.Value;
        _ingest = ingest.Value;
        _settings = _forecast.ToSettings() with { AnomalyThreshold = anomaly?.Value.Threshold ?? ForecastSettings.DefaultAnomalyThreshold };
        _metrics = metrics;
        _health = health;
        _time = time;
        _logger = new GuardedLogger(logger, metrics.LogFailures);
        _decoder = new RecordDecoder(_ingest);
        _duplicates = metrics.PointsDropped.WithLabels("duplicate");
        _lateInBucket = metrics.PointsDropped.WithLabels("late_in_bucket");
        _superseded = metrics.PointsDropped.WithLabels("superseded");
        InitTraining(training?.Value);
        if (_state.Enabled)
        {
            _heldPoints = new HeldPointReleaser(
                _state.HeldPointMaxSeconds * time.TimestampFrequency, _state.HeldPointMaxStreamSeconds * 1000L, _state.MaxOutstandingOffsets);
        }
    }

    /// <summary>
    /// Called on the loop's thread after each batch is stepped and its forecasts handed to the producer, with the
    /// record count and the time from the batch's first record to then (the benchmark's view of the worker's own share of latency).
    /// </summary>
    public Action<int, TimeSpan>? BatchHandled { get; set; }

    /// <summary>Records consumed so far (any thread).</summary>
    public long ConsumedRecords => Interlocked.Read(ref _consumed);

    /// <summary>The fatal error that ended the loop, if one did.</summary>
    public Error? FatalError => _fatal;

    /// <summary>Runs until <paramref name="stop"/> is cancelled or a fatal error, then shuts down in order.</summary>
    public void Run(CancellationToken stop)
    {
        var topics = _kafka.InputTopic.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        WorkerLog.Starting(_logger, string.Join(',', topics), _kafka.GroupId, _kafka.BootstrapServers);
        var handlers = new ClientHandlers(OnError, OnLog, OnAssigned, OnRevoked, OnLost);
        using var producer = _clients.CreateProducer(_kafka, handlers);
        using var consumer = _clients.CreateConsumer(_kafka, handlers);
        using var publisher = new ForecastPublisher(producer, _kafka.ForecastTopic, _kafka.DeadLetterTopic, new ForecastRecordWriter(_forecast.ModelName, _forecast.Levels), _metrics);
        _consumer = consumer;
        _publisher = publisher;
        StartCheckpoints(producer);
        StartTransactions(producer, stop);
        using var probe = _clients.StartBrokerProbe(producer, topics[0], _health, _metrics, _logger);
        consumer.Subscribe(topics);
        try
        {
            Loop(consumer, stop);
        }
        finally
        {
            Shutdown(consumer);
        }
    }

    private void Loop(IKafkaConsumer consumer, CancellationToken stop)
    {
        while (!stop.IsCancellationRequested && _fatal is null)
        {
            _health.Beat();
            var count = 0;
            long first = 0;
            try
            {
                var result = consumer.Consume(ConsumeTimeout(PollTimeout));
                first = _time.GetTimestamp();
                while (result is not null)
                {
                    if (!result.IsPartitionEOF)
                    {
                        Handle(result);
                        count++;
                    }

                    result = count < _kafka.MaxBatchRecords ? consumer.Consume(TimeSpan.Zero) : null;
                }
            }
            catch (ConsumeException e)
            {
                OnError(e.Error);
            }

            if (count > 0)
            {
                FlushShards();
                _metrics.BatchSize.Observe(count);
                BatchHandled?.Invoke(count, _time.GetElapsedTime(first));
            }

            Settle();
            PollTraining();
            if (ExactlyOnce)
            {
                TransactIfDue();
            }
            else
            {
                CheckpointIfDue();
            }

            UpdateLag();
        }
    }

    /// <summary>
    /// Once a second, per partition: detaches held points past their bound; the lag gauges (high watermark, as
    /// last fetched, no broker call, minus the position and minus the offset stored for commit), the age of the
    /// oldest outstanding offset and the count outstanding.
    /// </summary>
    private void UpdateLag()
    {
        var now = _time.GetTimestamp();
        if (_time.GetElapsedTime(_lastLagUpdate, now) < TimeSpan.FromSeconds(1))
        {
            return;
        }

        _lastLagUpdate = now;
        foreach (var ((topic, partition), shard) in _shards)
        {
            var label = partition.ToString(System.Globalization.CultureInfo.InvariantCulture);
            if (_heldPoints is not null && !CheckpointHolds(shard))
            {
                _metrics.HeldPointsDetached.Inc(_heldPoints.Release(shard, now));
            }

            var high = _consumer!.GetWatermarkOffsets(new TopicPartition(topic, partition)).High;
            if (high.Value >= 0 && shard.Position >= 0)
            {
                _metrics.ConsumerLag.WithLabels(label).Set(Math.Max(0, high.Value - shard.Position));
            }

            var stored = _checkpoints.TryGetValue((topic, partition), out var checkpoint) ? checkpoint.StoredOffset : shard.Offsets.NextToStore;
            if (high.Value >= 0 && stored >= 0)
            {
                _metrics.CommittedLag.WithLabels(label).Set(Math.Max(0, high.Value - stored));
            }

            _metrics.OffsetsOutstanding.WithLabels(label).Set(shard.Offsets.Outstanding);
            _metrics.HeldOffsetAge.WithLabels(label).Set(
                shard.Offsets.OldestOutstanding < 0 || shard.Offsets.OldestRegisteredAt == 0 ? 0 : _time.GetElapsedTime(shard.Offsets.OldestRegisteredAt, now).TotalSeconds);
        }
    }

    private void Handle(ConsumeResult<byte[], byte[]> result)
    {
        Interlocked.Increment(ref _consumed);
        _metrics.RecordsConsumed.Inc();
        if (!_shards.TryGetValue((result.Topic, result.Partition.Value), out var shard))
        {
            return; // Not ours any more; its offset is never stored.
        }

        var offset = result.Offset.Value;
        shard.Position = offset + 1;
        shard.Offsets.Register(offset, _time.GetTimestamp());
        var value = result.Message.Value;
        var reason = value is null
            ? RejectReasons.MissingField
            : _decoder.Decode(value, _ingest.FormatOf(result.Topic), _time.GetUtcNow().ToUnixTimeMilliseconds());
        if (reason is null)
        {
            var record = _decoder.Record;
            for (var field = 0; field < record.FieldCount; field++)
            {
                switch (shard.Offer(record, _decoder.Ids, field, offset))
                {
                    case OfferResult.TooOld: reason = RejectReasons.TimestampTooOld; break;
                    case OfferResult.Duplicate: _duplicates.Inc(); break;
                    case OfferResult.LateInBucket: _lateInBucket.Inc(); break;
                    case OfferResult.Superseded: _superseded.Inc(); break;
                    default: break;
                }
            }
        }

        if (reason is not null)
        {
            _publisher!.DeadLetter(result, reason, shard.Offsets);
        }

        shard.Offsets.Release(offset);
    }

    private void FlushShards()
    {
        var series = 0;
        foreach (var shard in _shards.Values)
        {
            using (_metrics.StepDuration.NewTimer())
            {
                shard.Flush();
            }

            series += shard.SeriesCount;
        }

        _metrics.SeriesActive.Set(series);
    }

    /// <summary>Applies delivery reports and stores every offset that is now complete.</summary>
    private void Settle()
    {
        var failure = _publisher!.DrainAcknowledgements();
        if (failure is not null && _fatal is null && ExactlyOnce)
        {
            _abortReason ??= $"delivery failed: {failure.Reason}";
        }
        else if (failure is not null && _fatal is null)
        {
            WorkerLog.DeliveryFailed(_logger, failure.Code.ToString(), failure.Reason);
            _fatal = failure;
        }

        foreach (var ((topic, partition), shard) in _shards)
        {
            if (shard.Offsets.TryAdvance(out var next) && StoresOnSettle)
            {
                try
                {
                    _consumer!.StoreOffset(new TopicPartitionOffset(topic, partition, next));
                }
                catch (KafkaException e)
                {
                    OnError(e.Error);
                }
            }
        }
    }

    private void Shutdown(IKafkaConsumer consumer)
    {
        AbandonTraining(all: true);
        if (_fatal is null)
        {
            FlushShards();
            _publisher!.Flush(TimeSpan.FromMilliseconds(_kafka.FlushTimeoutMs));
            Settle();
            Persist([.. _checkpoints.Values]);
        }

        try
        {
            consumer.Close();
        }
        catch (KafkaException e)
        {
            OnError(e.Error);
        }

        var inFlight = _publisher!.Flush(TimeSpan.FromMilliseconds(_kafka.FlushTimeoutMs));
        _shards.Clear();
        _health.SetAssigned(0);
        WorkerLog.Stopped(_logger, ConsumedRecords, inFlight);
    }
}
