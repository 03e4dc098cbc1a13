namespace Forecaster.Worker.Tests.Deploy;

/// <summary>
/// The running worker, as Prometheus and Kubernetes see it: its health endpoints answer, promtool
/// accepts its /metrics, and a real Prometheus server scraping it sees the records and forecasts.
/// </summary>
[Collection(LiveWorkerTests.Name)]
public class LiveWorkerScrapeTests(LiveWorker worker)
{
    [Fact]
    public async Task The_probe_paths_of_the_manifests_answer_200_once_partitions_are_assigned()
    {
        foreach (var path in WorkerEndpoints.All)
        {
            using var response = await worker.Http.GetAsync(path);
            Assert.True(response.IsSuccessStatusCode, $"GET {path}: {(int)response.StatusCode}");
        }
    }

    [Fact]
    public async Task Promtool_check_metrics_accepts_a_scrape_of_the_running_worker()
    {
        var promtool = ExternalTool.Require("promtool", "prometheus");
        var scrape = await worker.Http.GetStringAsync(WorkerEndpoints.Metrics);
        Assert.Contains("# TYPE forecaster_records_consumed_total counter", scrape, StringComparison.Ordinal);
        Assert.Contains("forecaster_step_duration_seconds_bucket", scrape, StringComparison.Ordinal);
        Assert.Matches(@"(?m)^forecaster_build_info\{version=""[^""]+"",runtime=""[^""]+""\} 1$", scrape);

        var result = ExternalTool.Run(promtool, ["check", "metrics"], scrape);
        Assert.True(result.ExitCode == 0, "promtool check metrics: " + result.Describe());
    }

    [Fact]
    public async Task A_real_Prometheus_scraping_the_worker_counts_every_point_sent_and_its_forecast()
    {
        using var prometheus = PrometheusServer.Start(worker.Port);
        var consumed = await Eventually.Until(
            () => prometheus.QueryAsync("forecaster_records_consumed_total"), v => v > 0,
            "Prometheus to scrape a positive forecaster_records_consumed_total");
        var forecasts = await Eventually.Until(
            () => prometheus.QueryAsync("forecaster_forecasts_published_total"), v => v is not null,
            "Prometheus to scrape forecaster_forecasts_published_total");

        Assert.True(consumed >= worker.PointsSent, $"consumed {consumed} < {worker.PointsSent} points sent");
        Assert.Equal(worker.ExpectedForecasts, forecasts);
        Assert.Equal(1, await prometheus.QueryAsync("up{job=\"forecaster\"}"));
    }
}
