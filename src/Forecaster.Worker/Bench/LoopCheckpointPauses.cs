using System.Globalization;
using Forecaster.Worker.Hosting;
using Forecaster.Worker.Observability;
using Forecaster.Worker.Options;
using Microsoft.Extensions.Logging.Abstractions;
using Prometheus;

namespace Forecaster.Worker.Bench;

/// <summary>
/// Part of <c>bench --checkpoint</c>: a real <see cref="ConsumeLoop"/> takes one point of every series
/// (creating them), then its first interval checkpoint (a full one) runs while a second point of every
/// series keeps arriving; the loop's own <c>forecaster_checkpoint_pause_seconds{trigger="interval"}</c>
/// is read back (count, sum and the bucket holding the longest pause).
/// </summary>
internal sealed class LoopCheckpointPauses(string bootstrap, int series)
{
    private readonly BenchInput _input = new(series);

    public (long Count, double SumSeconds, double MaxBucketSeconds, double RoundSeconds, bool WaitedForInput) Run(string topic, StateOptions state)
    {
        _input.ProduceAll(bootstrap, topic, 0, 1);
        var registry = new CollectorRegistry();
        var metrics = new ForecasterMetrics(registry);
        var kafka = new KafkaOptions
        {
            BootstrapServers = bootstrap,
            GroupId = topic + ".worker",
            InputTopic = topic,
            ForecastTopic = topic + ".out",
            DeadLetterTopic = topic + ".dlq",
            StateTopic = topic + ".state",
            Client = new Dictionary<string, string>(BenchSettings.Fetch),
        };
        var loop = new ConsumeLoop(
            Microsoft.Extensions.Options.Options.Create(kafka),
            Microsoft.Extensions.Options.Options.Create(new SeriesOptions { StepSeconds = (int)(BenchInput.StepMs / 1000) }),
            Microsoft.Extensions.Options.Options.Create(new ForecastOptions()),
            Microsoft.Extensions.Options.Options.Create(new IngestOptions()),
            metrics, new WorkerHealth(TimeProvider.System), TimeProvider.System, NullLogger<ConsumeLoop>.Instance,
            training: Microsoft.Extensions.Options.Options.Create(new TrainingOptions { Enabled = false }),
            state: Microsoft.Extensions.Options.Options.Create(state));
        using var stop = new CancellationTokenSource();
        var thread = new Thread(() => loop.Run(stop.Token)) { Name = "bench checkpoint loop" };
        thread.Start();
        SpinWait.SpinUntil(() => loop.ConsumedRecords >= series || loop.FatalError is not null);
        var waited = metrics.CheckpointDuration.Count == 0;
        var feeder = new Thread(() => _input.ProduceAll(bootstrap, topic, 1, 2)) { Name = "bench checkpoint feeder" };
        feeder.Start();
        SpinWait.SpinUntil(() => metrics.CheckpointDuration.Count >= 1 || loop.FatalError is not null);
        feeder.Join();
        var round = metrics.CheckpointDuration.Sum;
        var interval = metrics.CheckpointPause.WithLabels("interval");
        var (count, sum) = (interval.Count, interval.Sum);
        var max = MaxBucket(registry);
        stop.Cancel();
        thread.Join();
        return loop.FatalError is { } fatal ? throw new InvalidOperationException("the loop failed: " + fatal.Reason) : (count, sum, max, round, waited);
    }

    /// <summary>The upper bound of the lowest bucket of the interval pause histogram that holds every observation.</summary>
    private static double MaxBucket(CollectorRegistry registry)
    {
        using var stream = new MemoryStream();
        registry.CollectAndExportAsTextAsync(stream).GetAwaiter().GetResult();
        var lines = System.Text.Encoding.UTF8.GetString(stream.ToArray()).Split('\n');
        var buckets = new List<(double Le, double Count)>();
        foreach (var line in lines)
        {
            const string Prefix = "forecaster_checkpoint_pause_seconds_bucket{trigger=\"interval\",le=\"";
            if (line.StartsWith(Prefix, StringComparison.Ordinal))
            {
                var le = line[Prefix.Length..line.IndexOf('"', Prefix.Length)];
                var count = double.Parse(line[(line.LastIndexOf(' ') + 1)..], CultureInfo.InvariantCulture);
                buckets.Add((le == "+Inf" ? double.PositiveInfinity : double.Parse(le, CultureInfo.InvariantCulture), count));
            }
        }

        var total = buckets.Max(b => b.Count);
        return buckets.Where(b => b.Count >= total).Min(b => b.Le);
    }
}
