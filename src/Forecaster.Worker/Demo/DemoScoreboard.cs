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

    /// <summary>
    /// The table printed while the demo runs: per series the forecasts read, the shard's model version, the latest
    /// status and one-step forecast, then over every forecast served after the warm-up the share the LSTM served,
    /// the band's coverage and the mean absolute error of what was served beside seasonal naive's.
    /// </summary>
    public string Render(TimeSpan elapsed, long produced, double invalid, double retrainsAccepted, double retrainsRefused)
    {
        var text = new StringBuilder();
        var inv = CultureInfo.InvariantCulture;
        lock (_gate)
        {
            var forecasts = _scores.Values.Sum(s => s.Forecasts);
            text.AppendLine(inv, $"--- {elapsed.TotalSeconds,5:F0} s   points in {produced,7}   forecasts out {forecasts,7}   dead letters {invalid,3}   retrains accepted {retrainsAccepted,3} refused {retrainsRefused,3}   forecast bytes/record {(forecasts > 0 ? _bytes / forecasts : 0)}");
            text.AppendLine("series                                             n  model  status      next 1-step forecast [10%, 90%]    LSTM served  band cover  MAE served  MAE s-naive");
            foreach (var (id, s) in _scores)
            {
                var lstm = Percent(s.ScoredByLstm, s.Scored);
                var cover = Percent(s.Covered, s.Scored);
                var served = s.Scored > 0 ? (s.ServedAbsError / s.Scored).ToString("G4", inv) : "-";
                var naive = s.Scored > 0 ? (s.NaiveAbsError / s.Scored).ToString("G4", inv) : "-";
                var version = s.ModelVersion > 0 ? "v" + s.ModelVersion.ToString(inv) : "-";
                text.AppendLine(inv, $"{id,-47} {s.Forecasts,5}  {version,5}  {s.Status,-10} {s.NextYhat,10:G5} [{s.NextLower,9:G5}, {s.NextUpper,9:G5}]   {lstm,10}  {cover,10}  {served,10}  {naive,11}");
            }
        }

        return text.ToString();
    }

    private static string Percent(long part, long whole) =>
        whole > 0 ? (100.0 * part / whole).ToString("F1", CultureInfo.InvariantCulture) + "%" : "-";

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
                    root.GetProperty("ts").GetInt64(), root.GetProperty("status").GetString() ?? "-", root.GetProperty("model_version").GetInt64(), root.GetProperty("anomaly").GetInt32(),
                    Number(first, "yhat"), Number(first, "yhat_lower"), Number(first, "yhat_upper"));
            }
        }
    }

    private static double Number(JsonElement element, string name) =>
        element.GetProperty(name).ValueKind == JsonValueKind.Number ? element.GetProperty(name).GetDouble() : double.NaN;
}
