using Forecaster.Worker.Hosting;
using Forecaster.Worker.Observability;
using Forecaster.Worker.Options;
using Microsoft.Extensions.Logging.Abstractions;
using Prometheus;

namespace Forecaster.Worker.Tests.Hosting;

/// <summary>Runs one <see cref="ConsumeLoop"/> on its own thread, as the worker does, without the host.</summary>
internal sealed class WorkerRunner : IDisposable
{
    private readonly CancellationTokenSource _stop = new();
    private readonly Thread _thread;
    private Exception? _failure;

    public WorkerRunner(KafkaOptions kafka, SeriesOptions? series = null, ForecastOptions? forecast = null, IngestOptions? ingest = null)
    {
        Metrics = new ForecasterMetrics(new CollectorRegistry());
        Health = new WorkerHealth(TimeProvider.System);
        Loop = new ConsumeLoop(
            Microsoft.Extensions.Options.Options.Create(kafka),
            Microsoft.Extensions.Options.Options.Create(series ?? new SeriesOptions { StepSeconds = 60 }),
            Microsoft.Extensions.Options.Options.Create(forecast ?? SmallModel()),
            Microsoft.Extensions.Options.Options.Create(ingest ?? new IngestOptions()),
            Metrics, Health, TimeProvider.System, NullLogger<ConsumeLoop>.Instance);
        _thread = new Thread(Run) { IsBackground = true, Name = "test consume loop" };
        _thread.Start();
    }

    public ConsumeLoop Loop { get; }
    public WorkerHealth Health { get; }
    public ForecasterMetrics Metrics { get; }

    public static ForecastOptions SmallModel(string name = "lstm") =>
        new() { Horizons = 3, Season = 4, WarmupPoints = 4, HistoryCapacity = 16, HiddenSize = 4, ModelName = name };

    public static KafkaOptions Kafka(string bootstrap, string prefix, string group) => new()
    {
        BootstrapServers = bootstrap,
        GroupId = group,
        InputTopic = prefix + ".in",
        ForecastTopic = prefix + ".out",
        DeadLetterTopic = prefix + ".dlq",
        RepartitionTopic = prefix + ".rep",
        AutoCommitIntervalMs = 100,
        SessionTimeoutMs = 6000,
        Client = new() { ["topic.metadata.refresh.interval.ms"] = "500" },
    };

    /// <summary>Stops the loop (it flushes, stores, closes the consumer and flushes the producer) and waits for it.</summary>
    public void Stop()
    {
        _stop.Cancel();
        Assert.True(_thread.Join(TimeSpan.FromSeconds(30)), "the consume loop did not stop");
        Assert.Null(_failure);
    }

    public void Dispose()
    {
        if (_thread.IsAlive)
        {
            _stop.Cancel();
            _thread.Join(TimeSpan.FromSeconds(30));
        }

        _stop.Dispose();
    }

    private void Run()
    {
        try
        {
            Loop.Run(_stop.Token);
        }
        catch (Exception e) when (e is InvalidOperationException or Confluent.Kafka.KafkaException)
        {
            _failure = e;
        }
    }
}
