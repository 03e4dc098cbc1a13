using System.Globalization;
using Forecaster.Worker.Demo;
using Forecaster.Worker.Hosting;
using Forecaster.Worker.Observability;
using Forecaster.Worker.Tests.Hosting;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.Logging;
using Prometheus;

namespace Forecaster.Worker.Tests.Deploy;

/// <summary>
/// The worker's real host (WorkerHost, as <c>forecaster run</c> builds it) on a free Http:Port, against
/// an in-process mock Kafka cluster, after it has forecast every point of a slice of NAB data. The
/// host exports to prometheus-net's process-wide default registry, so the expected counter value is
/// what that registry held before plus the points sent.
/// </summary>
public sealed class LiveWorker : IAsyncLifetime, IDisposable
{
    public const int RowsPerStream = 150;

    private readonly MockKafkaCluster _cluster = new();
    private WebApplication? _app;

    public HttpClient Http { get; } = new() { Timeout = TimeSpan.FromSeconds(5) };

    public int Port { get; private set; }

    public int PointsSent { get; private set; }

    public double ExpectedForecasts { get; private set; }

    public async Task InitializeAsync()
    {
        var points = NabPoints.Read(RowsPerStream);
        PointsSent = points.Count;
        ExpectedForecasts = new ForecasterMetrics(Metrics.DefaultRegistry).ForecastsPublished.Value + points.Count;
        TopicIo.Produce(_cluster.BootstrapServers, "deploy.in", points);

        _app = WorkerHost.Build([], new Dictionary<string, string?>
        {
            ["Kafka:BootstrapServers"] = _cluster.BootstrapServers,
            ["Kafka:GroupId"] = "deploy-group",
            ["Kafka:InputTopic"] = "deploy.in",
            ["Kafka:ForecastTopic"] = "deploy.out",
            ["Kafka:DeadLetterTopic"] = "deploy.dlq",
            ["Kafka:AutoCommitIntervalMs"] = "100",
            ["Kafka:SessionTimeoutMs"] = "6000",
            ["Kafka:Client:topic.metadata.refresh.interval.ms"] = "500",
            ["Http:Port"] = "0",
        }, logging => logging.ClearProviders());
        await _app.StartAsync();

        // Http:Port 0 binds a free port; the host listens on every interface, the tests use loopback.
        Port = new Uri(_app.Urls.First()).Port;
        Http.BaseAddress = new Uri($"http://127.0.0.1:{Port.ToString(CultureInfo.InvariantCulture)}");
        await Eventually.Until(
            () => ScrapedValueAsync("forecaster_forecasts_published_total"),
            v => v == ExpectedForecasts,
            $"{ExpectedForecasts} forecasts published on /metrics", seconds: 25);
    }

    /// <summary>The value of an unlabelled sample in a scrape of /metrics (null when absent).</summary>
    public async Task<double?> ScrapedValueAsync(string sample)
    {
        var text = await Http.GetStringAsync(WorkerEndpoints.Metrics);
        var line = text.Split('\n').FirstOrDefault(l => l.StartsWith(sample + " ", StringComparison.Ordinal));
        return line is null ? null : double.Parse(line[(sample.Length + 1)..], CultureInfo.InvariantCulture);
    }

    public async Task DisposeAsync()
    {
        if (_app is not null)
        {
            await _app.StopAsync();
            await _app.DisposeAsync();
        }
    }

    public void Dispose()
    {
        Http.Dispose();
        _cluster.Dispose();
    }
}

/// <summary>Tests of the live host run alone: the host uses the process-wide metrics registry.</summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class LiveWorkerTests : ICollectionFixture<LiveWorker>
{
    public const string Name = "live worker host";
}
