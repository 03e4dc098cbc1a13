using System.Globalization;
using System.Text;
using System.Text.Json;
using Confluent.Kafka;

namespace Forecaster.Worker.Demo;

/// <summary>Reads the forecast topic like any downstream consumer would and keeps a <see cref="SeriesScore"/> per series.</summary>
internal sealed class DemoScoreboard
{
    private readonly Dictionary<string, SeriesScore> _scores;
    private readonly string _bootstrap;
    private readonly string _topic;
    private readonly Lock _gate = new();
    private long _bytes;

    public DemoScoreboard(IReadOnlyList<DemoSeries> series, string bootstrap, string topic)
    {
        _bootstrap = bootstrap;
        _topic = topic;
        _scores = series.ToDictionary(s => s.Id, s => new SeriesScore(s, DemoDataset.StepSeconds * 1000L, DemoDataset.Season));
    }

    public long Forecasts { get { lock (_gate) { return _scores.Values.Sum(s => s.Forecasts); } } }

    /// <summary>Starts reading once <paramref name="topicExists"/> (the mock refuses a subscription to a topic not yet produced to).</summary>
    public void Run(Func<bool> topicExists, CancellationToken stop)
    {
        while (!topicExists())
        {
            if (stop.WaitHandle.WaitOne(100))
            {
                return;
            }
        }

        var config = new ConsumerConfig
        {
            BootstrapServers = _bootstrap,
            GroupId = "demo-scoreboard",
            AutoOffsetReset = AutoOffsetReset.Earliest,
            TopicMetadataRefreshIntervalMs = 1000,
        };
        using var consumer = new ConsumerBuilder<byte[], byte[]>(config).SetLogHandler((_, _) => { }).SetErrorHandler((_, _) => { }).Build();
        consumer.Subscribe(_topic);
        while (!stop.IsCancellationRequested)
        {
            try
            {
                var result = consumer.Consume(TimeSpan.FromMilliseconds(100));
                if (result?.Message?.Value is { } value)
                {
                    Add(Encoding.UTF8.GetString(result.Message.Key), value);
                }
            }
            catch (ConsumeException)
            {
                // Transient (the topic's metadata is still propagating); keep polling.
            }
        }

        consumer.Close();
    }

    /// <summary>The table printed while the demo runs.</summary>
    public string Render(TimeSpan elapsed, long produced, double invalid)
    {
        var text = new StringBuilder();
        var inv = CultureInfo.InvariantCulture;
        lock (_gate)
        {
            var forecasts = _scores.Values.Sum(s => s.Forecasts);
            text.AppendLine(inv, $"--- {elapsed.TotalSeconds,5:F0} s   points in {produced,7}   forecasts out {forecasts,7}   dead letters {invalid,3}   forecast bytes/record {(forecasts > 0 ? _bytes / forecasts : 0)}");
            text.AppendLine("series                                             n  status      next 1-step forecast [10%, 90%]     band cover   MAE model  MAE s-naive");
            foreach (var (id, s) in _scores)
            {
                var cover = s.Scored > 0 ? (100.0 * s.Covered / s.Scored).ToString("F1", inv) + "%" : "-";
                var model = s.Scored > 0 ? (s.ModelAbsError / s.Scored).ToString("G4", inv) : "-";
                var naive = s.Scored > 0 ? (s.NaiveAbsError / s.Scored).ToString("G4", inv) : "-";
                text.AppendLine(inv, $"{id,-47} {s.Forecasts,5}  {s.Status,-10} {s.NextYhat,10:G5} [{s.NextLower,9:G5}, {s.NextUpper,9:G5}]   {cover,8}   {model,9}  {naive,11}");
            }
        }

        return text.ToString();
    }

    private void Add(string key, byte[] value)
    {
        using var doc = JsonDocument.Parse(value);
        var root = doc.RootElement;
        var first = root.GetProperty("horizons")[0];
        lock (_gate)
        {
            _bytes += value.Length;
            if (_scores.TryGetValue(key, out var score))
            {
                score.Add(
                    root.GetProperty("ts").GetInt64(), root.GetProperty("status").GetString() ?? "-", root.GetProperty("anomaly").GetInt32(),
                    Number(first, "yhat"), Number(first, "yhat_lower"), Number(first, "yhat_upper"));
            }
        }
    }

    private static double Number(JsonElement element, string name) =>
        element.GetProperty(name).ValueKind == JsonValueKind.Number ? element.GetProperty(name).GetDouble() : double.NaN;
}
