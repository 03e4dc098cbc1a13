using System.Globalization;
using System.Net;
using System.Net.Sockets;
using Forecaster.Worker.Options;
using Forecaster.Worker.Tests.Checkpoints;

namespace Forecaster.Worker.Tests.Transactions;

/// <summary>A <c>forecaster run</c> process in exactly-once mode on a free HTTP port, whose /metrics the test reads.</summary>
internal sealed class TransactionalChild : IDisposable
{
    private readonly ChildProcess _process;
    private readonly HttpClient _http = new() { Timeout = TimeSpan.FromSeconds(5) };

    public TransactionalChild(KafkaOptions kafka)
    {
        var port = FreePort();
        _http.BaseAddress = new Uri($"http://127.0.0.1:{port.ToString(CultureInfo.InvariantCulture)}");
        _process = new ChildProcess("forecaster.dll", ["run"], Environment(kafka, port));
    }

    public string Tail => _process.Tail;

    /// <summary>A counter of the child's /metrics; null while the child does not answer yet.</summary>
    public double? Scrape(string sample)
    {
        try
        {
            var text = _http.GetStringAsync(new Uri("/metrics", UriKind.Relative)).GetAwaiter().GetResult();
            var line = text.Split('\n').FirstOrDefault(l => l.StartsWith(sample + " ", StringComparison.Ordinal));
            return line is null ? null : double.Parse(line[(sample.Length + 1)..], CultureInfo.InvariantCulture);
        }
        catch (Exception e) when (e is HttpRequestException or TaskCanceledException)
        {
            return null;
        }
    }

    /// <summary>SIGKILL: no shutdown, no commit; the open transaction dies with the process.</summary>
    public void Kill() => _process.Kill();

    public void Dispose()
    {
        _process.Dispose();
        _http.Dispose();
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    private static Dictionary<string, string> Environment(KafkaOptions kafka, int port)
    {
        var model = StateWorker.Model;
        var series = StateWorker.Series;
        static string I(int value) => value.ToString(CultureInfo.InvariantCulture);
        static string F(double value) => value.ToString(CultureInfo.InvariantCulture);
        var environment = new Dictionary<string, string>
        {
            ["Kafka__BootstrapServers"] = kafka.BootstrapServers,
            ["Kafka__GroupId"] = kafka.GroupId,
            ["Kafka__InputTopic"] = kafka.InputTopic,
            ["Kafka__ForecastTopic"] = kafka.ForecastTopic,
            ["Kafka__DeadLetterTopic"] = kafka.DeadLetterTopic,
            ["Kafka__StateTopic"] = kafka.StateTopic,
            ["Kafka__SessionTimeoutMs"] = I(kafka.SessionTimeoutMs),
            ["Kafka__ExactlyOnce"] = "true",
            ["Kafka__TransactionalId"] = kafka.TransactionalId,
            ["Kafka__TransactionIntervalMs"] = I(kafka.TransactionIntervalMs),
            ["Http__Port"] = I(port),
            ["Forecast__Horizons"] = I(model.Horizons),
            ["Forecast__Season"] = I(model.Season),
            ["Forecast__WarmupPoints"] = I(model.WarmupPoints),
            ["Forecast__HistoryCapacity"] = I(model.HistoryCapacity),
            ["Forecast__HiddenSize"] = I(model.HiddenSize),
            ["Forecast__LevelSmoothing"] = F(model.LevelSmoothing),
            ["Forecast__SeasonSmoothing"] = F(model.SeasonSmoothing),
            ["Forecast__WeeklySmoothing"] = F(model.WeeklySmoothing),
            ["Forecast__NoiseSmoothing"] = F(model.NoiseSmoothing),
            ["Forecast__ModelName"] = model.ModelName,
            ["Series__StepSeconds"] = I(series.StepSeconds),
            ["Series__ReorderWindowSteps"] = I(series.ReorderWindowSteps),
            ["Training__Enabled"] = "false",
            ["State__CheckpointIntervalSeconds"] = "1",
            ["Logging__LogLevel__Default"] = "Warning",
        };
        foreach (var (key, value) in kafka.Client)
        {
            environment["Kafka__Client__" + key] = value;
        }

        return environment;
    }
}
