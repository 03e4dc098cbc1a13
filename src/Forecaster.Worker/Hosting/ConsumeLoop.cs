using Confluent.Kafka;
using Forecaster.Core.Forecasting;
using Forecaster.Worker.Hosting.Clients;
using Forecaster.Worker.Observability;
using Forecaster.Worker.Options;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Forecaster.Worker.Hosting;

/// <summary>
/// The worker's blocking loop, run on its own thread by <see cref="ForecastWorker"/> (or directly by tests):
/// poll a batch → route each record to its shard → flush the shards → settle acknowledgements → the due
/// periodic work as punctuators (restore shares, retraining, the commit protocol's checkpoint or transaction, lag);
/// at the end, shut down in order (<see cref="LoopShutdown"/>: stop, checkpoint, close the consumer, flush the producer). With
/// <c>Kafka:FetchAhead</c> (the default) the polls run on <see cref="FetchAhead"/>'s thread, a batch or two ahead, and the
/// periodic work runs after a batch is taken and before it is routed; rebalance handlers still run on this thread
/// (handed over by the fetch thread), so the loop's state needs no lock. The pieces are made per run by
/// <see cref="LoopAssembly"/>; the README's design section maps them.
/// </summary>
internal sealed class ConsumeLoop
{
    private static readonly TimeSpan PollTimeout = TimeSpan.FromMilliseconds(100);
    private static readonly TimeSpan RestoringPollTimeout = TimeSpan.FromMilliseconds(5);

    private readonly LoopAssembly _assembly;
    private readonly LoopFailure _failure;
    private long _consumed;
    private long _readByTail;

    public ConsumeLoop(
        IOptions<KafkaOptions> kafka, IOptions<SeriesOptions> series, IOptions<ForecastOptions> forecast, IOptions<IngestOptions> ingest,
        ForecasterMetrics metrics, WorkerHealth health, TimeProvider time, ILogger<ConsumeLoop> logger,
        IOptions<TrainingOptions>? training = null, IOptions<StateOptions>? state = null, IOptions<AnomalyOptions>? anomaly = null,
        IKafkaClients? clients = null, IOptions<Profiles.ProfilesOptions>? profiles = null)
    {
        var guarded = new GuardedLogger(logger, metrics.LogFailures);
        _failure = new LoopFailure(metrics, guarded);
        _assembly = new LoopAssembly(
            kafka.Value, series.Value, forecast.Value, ingest.Value, training?.Value ?? new TrainingOptions { Enabled = false },
            state?.Value ?? new StateOptions { CheckpointIntervalSeconds = 0 }, anomaly?.Value.Threshold ?? ForecastSettings.DefaultAnomalyThreshold,
            metrics, health, time, guarded, _failure, clients ?? new KafkaClientFactory(),
            Profiles.ProfileSet.TryBuild(profiles?.Value ?? new Profiles.ProfilesOptions(), forecast.Value, series.Value, out _));
    }

    /// <summary>
    /// Called on the loop's thread after each batch is stepped and its forecasts handed to the producer, with the
    /// record count and the time from the batch's first record to then (the benchmark's view of the worker's own share of latency).
    /// </summary>
    public Action<int, TimeSpan>? BatchHandled { get; set; }

    /// <summary>Records consumed so far (any thread).</summary>
    public long ConsumedRecords => Interlocked.Read(ref _consumed);

    /// <summary>Records read by their tail alone so far (<see cref="Processing.KnownIdentities"/>; any thread, updated per batch).</summary>
    internal long RecordsReadByTail => Interlocked.Read(ref _readByTail);

    /// <summary>The fatal error that ended the loop, if one did.</summary>
    public Error? FatalError => _failure.Fatal;

    /// <summary>Runs until <paramref name="stop"/> is cancelled or a fatal error, then shuts down in order.</summary>
    public void Run(CancellationToken stop)
    {
        using var run = _assembly.Start(() => ConsumedRecords, stop);
        try
        {
            Loop(run, stop);
        }
        finally
        {
            LoopShutdown.Run(run, ConsumedRecords);
        }
    }

    private void Loop(LoopRun run, CancellationToken stop)
    {
        var ahead = run.Services.Consumer as FetchAhead;
        while (!stop.IsCancellationRequested && !_failure.Failed)
        {
            run.Services.Health.Beat();
            if (ahead is null)
            {
                Handled(run, PollAndRoute(run));
                Punctuate(run);
            }
            else
            {
                // The next batch fetched ahead; the periodic work before it is routed (a pause or seek in it holds the fetch
                // thread at a batch's end); then routing it while the fetch thread goes on.
                var batch = ahead.Collect(PollTimeoutOf(run), out var error);
                if (error is not null)
                {
                    _failure.OnError(error.Error);
                }

                Punctuate(run);
                ahead.Release();
                Handled(run, RouteAll(run, batch));
            }
        }
    }

    private void Handled(LoopRun run, (int Count, long First) batch)
    {
        if (batch.Count > 0)
        {
            run.Router.FlushShards();
            Interlocked.Exchange(ref _readByTail, run.Router.ReadByTail);
            run.Services.Metrics.BatchSize.Observe(batch.Count);
            BatchHandled?.Invoke(batch.Count, run.Services.Time.GetElapsedTime(batch.First));
        }
    }

    private static void Punctuate(LoopRun run)
    {
        run.Protocol.Settle();
        foreach (var punctuator in run.Punctuators) // restores, retraining, the commit protocol's due work, lag
        {
            punctuator.Punctuate();
        }
    }

    private static TimeSpan PollTimeoutOf(LoopRun run) => run.Protocol.PollTimeout(run.Restores.Busy ? RestoringPollTimeout : PollTimeout);

    /// <summary>Polls one batch (at most <c>Kafka:MaxBatchRecords</c>) and routes each record to its shard; returns the count and when the batch began.</summary>
    private (int Count, long First) PollAndRoute(LoopRun run)
    {
        var (loop, count, first) = (run.Services, 0, 0L);
        try
        {
            var result = loop.Consumer.Consume(PollTimeoutOf(run));
            first = loop.Time.GetTimestamp();
            run.Router.BeginBatch(first);
            for (; result is not null; result = count < loop.Kafka.MaxBatchRecords ? loop.Consumer.Consume(TimeSpan.Zero) : null)
            {
                if (!result.IsPartitionEOF && run.Router.Route(result))
                {
                    Interlocked.Increment(ref _consumed);
                    count++;
                }
            }
        }
        catch (ConsumeException e)
        {
            _failure.OnError(e.Error);
        }

        return (count, first);
    }

    /// <summary>Routes a batch fetched ahead; returns the count routed and when its routing began.</summary>
    private (int Count, long First) RouteAll(LoopRun run, List<ConsumeResult<byte[], byte[]>> batch)
    {
        var (count, first) = (0, run.Services.Time.GetTimestamp());
        run.Router.BeginBatch(first);
        foreach (var result in batch)
        {
            if (run.Router.Route(result))
            {
                count++;
            }
        }

        Interlocked.Add(ref _consumed, count);
        batch.Clear(); // routed: its records need not outlive a collection, while the next batches wait in the fetch queue
        return (count, first);
    }
}
