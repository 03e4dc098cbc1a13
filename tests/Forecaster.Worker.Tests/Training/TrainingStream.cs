using System.Text;
using Forecaster.Core.Forecasting;
using Forecaster.Worker.Ingest;
using Forecaster.Worker.Observability;
using Forecaster.Worker.Options;
using Forecaster.Worker.Processing;
using Forecaster.Worker.Training;
using Microsoft.Extensions.Time.Testing;

namespace Forecaster.Worker.Tests.Training;

/// <summary>
/// A shard and its trainer driven without a broker: each <see cref="StepAsync"/> offers one point of every series
/// (canonical JSON records, one minute apart), flushes, and polls the trainer the way the consume loop does; a run
/// that starts is awaited (never slept on) and applied by the next poll, so every stream is deterministic.
/// </summary>
internal sealed class TrainingStream : IDisposable
{
    public const long T0 = 1_764_100_800_000;
    public const long StepMs = 60_000;

    public static readonly ForecastSettings Settings = new() { Season = 12, WarmupPoints = 12, HistoryCapacity = 256, HiddenSize = 8, Horizons = 6 };

    private readonly RecordDecoder _decoder = new(new IngestOptions());
    private long _offset;

    public TrainingStream(TrainingOptions options, int series, TrainingScheduler? scheduler = null)
    {
        Options = options;
        SeriesCount = series;
        Time = new FakeTimeProvider(DateTimeOffset.FromUnixTimeMilliseconds(T0));
        Metrics = new ForecasterMetrics(Prometheus.Metrics.NewCustomRegistry());
        Shard = new Shard(0, new SeriesOptions { StepSeconds = 60, MaxBatchSeries = 64 }, Settings, Sink);
        Trainer = new ShardTrainer(Shard, options, scheduler ?? new TrainingScheduler(options.Threads, Time), Time, Metrics, "metrics");
    }

    public TrainingOptions Options { get; }
    public int SeriesCount { get; }
    public FakeTimeProvider Time { get; }
    public ForecasterMetrics Metrics { get; }
    public CountingSink Sink { get; } = new();
    public Shard Shard { get; }
    public ShardTrainer Trainer { get; }
    public long Step { get; private set; }

    /// <summary>Swaps when a run was applied.</summary>
    public int Swaps { get; private set; }

    /// <summary>One point per series (<paramref name="value"/> of series index and step), a flush, and the trainer's poll; awaits a run it started.</summary>
    public async Task StepAsync(Func<int, long, double> value, bool awaitRuns = true)
    {
        var ts = T0 + (Step * StepMs);
        for (var s = 0; s < SeriesCount; s++)
        {
            Offer(s, ts, value(s, Step));
        }

        Shard.Flush();
        Time.SetUtcNow(DateTimeOffset.FromUnixTimeMilliseconds(ts + StepMs));
        Step++;
        Swaps += Trainer.Poll() ? 1 : 0;
        if (awaitRuns && Trainer.Running is { } running)
        {
            await running;
            Swaps += Trainer.Poll() ? 1 : 0;
        }
    }

    public async Task RunAsync(Func<int, long, double> value, int steps)
    {
        for (var i = 0; i < steps; i++)
        {
            await StepAsync(value);
        }
    }

    public ShardAccuracy Accuracy => ShardAccuracy.Of(Shard);

    public void Dispose() => Trainer.Dispose();

    private void Offer(int series, long ts, double value)
    {
        var json = $$"""{"metric":"m","labels":{"s":"{{series}}"},"ts":{{ts}},"value":{{value.ToString("R", System.Globalization.CultureInfo.InvariantCulture)}}}""";
        Assert.Null(_decoder.Decode(Encoding.UTF8.GetBytes(json), InputFormat.Canonical, ts));
        var offset = _offset++;
        Shard.Offsets.Register(offset);
        Assert.Equal(OfferResult.Accepted, Shard.Offer(_decoder.Record, _decoder.Ids, 0, offset));
        Shard.Offsets.Release(offset);
    }
}
