using System.Diagnostics;
using System.Text;
using Confluent.Kafka;

namespace Forecaster.Worker.Demo;

/// <summary>
/// Replays the bundled streams into the input topic, all series side by side, at <c>speed</c> steps
/// per second of wall time (one step = 5 minutes of data), keyed by series id.
/// </summary>
internal sealed class DemoFeeder : IDisposable
{
    private readonly IReadOnlyList<DemoSeries> _series;
    private readonly string _bootstrap;
    private readonly string _topic;
    private readonly double _speed;
    private long _produced;

    public DemoFeeder(IReadOnlyList<DemoSeries> series, string bootstrap, string topic, double speed)
    {
        _series = series;
        _bootstrap = bootstrap;
        _topic = topic;
        _speed = speed;
    }

    public long Produced => Interlocked.Read(ref _produced);

    /// <summary>Set once the first step is acknowledged: the input topic then exists (the mock creates topics on first produce).</summary>
    public ManualResetEventSlim FirstStepDelivered { get; } = new();

    /// <summary>Produces until every point is sent or <paramref name="stop"/> is cancelled.</summary>
    public void Run(CancellationToken stop)
    {
        using var producer = new ProducerBuilder<byte[], byte[]>(new ProducerConfig { BootstrapServers = _bootstrap, LingerMs = 5, EnableIdempotence = true })
            .SetLogHandler((_, _) => { })
            .Build();
        using var encoder = new CanonicalPointEncoder();
        var keys = _series.Select(s => Encoding.UTF8.GetBytes(s.Id)).ToArray();
        var labels = _series.Select(s => (IReadOnlyList<KeyValuePair<string, string>>)[new("instance", s.Instance)]).ToArray();
        var length = _series.Max(s => s.Values.Length);
        var clock = Stopwatch.StartNew();
        for (var i = 0; i < length && !stop.IsCancellationRequested; i++)
        {
            for (var s = 0; s < _series.Count; s++)
            {
                var series = _series[s];
                if (i < series.Values.Length)
                {
                    var value = encoder.Encode(series.Metric, labels[s], series.Timestamps[i], series.Values[i]);
                    producer.Produce(_topic, new Message<byte[], byte[]> { Key = keys[s], Value = value });
                    Interlocked.Increment(ref _produced);
                }
            }

            if (i == 0)
            {
                producer.Flush(TimeSpan.FromSeconds(10));
                FirstStepDelivered.Set();
            }

            // Pace: step i is due at i / speed seconds.
            var due = TimeSpan.FromSeconds((i + 1) / _speed) - clock.Elapsed;
            if (due > TimeSpan.Zero)
            {
                stop.WaitHandle.WaitOne(due);
            }
        }

        producer.Flush(TimeSpan.FromSeconds(5));
        FirstStepDelivered.Set();
    }

    public void Dispose() => FirstStepDelivered.Dispose();
}
