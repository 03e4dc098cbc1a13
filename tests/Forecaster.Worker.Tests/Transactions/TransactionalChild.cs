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
        var environment = ChildEnvironment.For(kafka);
        environment["Kafka__ExactlyOnce"] = "true";
        environment["Kafka__TransactionalId"] = kafka.TransactionalId;
        environment["Kafka__TransactionIntervalMs"] = ChildEnvironment.Text(kafka.TransactionIntervalMs);
        environment["Http__Port"] = ChildEnvironment.Text(port);
        environment["Training__Enabled"] = "false";
        foreach (var (key, value) in kafka.Client)
        {
            environment["Kafka__Client__" + key] = value;
        }

        return environment;
    }
}
