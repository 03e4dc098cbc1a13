using System.Text;
using Forecaster.Worker.Observability;
using Forecaster.Worker.Options;
using Microsoft.Extensions.Time.Testing;
using Prometheus;

namespace Forecaster.Worker.Tests.Observability;

public class ForecastGaugesTests
{
    private const string Allowed = "cpu{host=\"a\"}";

    private static async Task<string> Scrape(CollectorRegistry registry)
    {
        using var stream = new MemoryStream();
        await registry.CollectAndExportAsTextAsync(stream);
        return Encoding.UTF8.GetString(stream.ToArray());
    }

    [Fact]
    public async Task Exports_only_allow_listed_series_and_removes_them_when_they_go_quiet()
    {
        var registry = Metrics.NewCustomRegistry();
        var time = new FakeTimeProvider(DateTimeOffset.UnixEpoch);
        var gauges = new ForecastGauges(registry, new MetricsOptions { ForecastSeries = [Allowed], ForecastGaugeTtlSeconds = 60 }, time);
        float[] levels = [0.1f, 0.5f, 0.9f];

        gauges.Observe(Allowed, [1, 2, 3, 4, 5, 6], levels);
        gauges.Observe("cpu{host=\"b\"}", [7, 8, 9, 10, 11, 12], levels);
        var scrape = await Scrape(registry);
        Assert.Contains("forecaster_forecast{series=\"cpu{host=\\\"a\\\"}\",horizon=\"2\",quantile=\"0.5\"} 5", scrape, StringComparison.Ordinal);
        Assert.DoesNotContain("host=\\\"b\\\"", scrape, StringComparison.Ordinal);
        Assert.Equal(1, gauges.ExportedSeries);

        time.Advance(TimeSpan.FromSeconds(61));
        gauges.Observe("cpu{host=\"b\"}", [7, 8, 9, 10, 11, 12], levels);
        Assert.Equal(0, gauges.ExportedSeries);
        Assert.DoesNotContain("host=\\\"a\\\"", await Scrape(registry), StringComparison.Ordinal);
    }

    [Fact]
    public void The_allow_list_is_bounded_and_the_expiry_sane()
    {
        var validator = new MetricsOptionsValidator();
        Assert.True(validator.Validate(null, new MetricsOptions { ForecastSeries = [Allowed] }).Succeeded);
        var tooMany = new MetricsOptions { ForecastSeries = Enumerable.Range(0, MetricsOptions.MaxForecastSeries + 1).Select(i => $"m{{i=\"{i}\"}}").ToList() };
        Assert.Contains("Metrics:ForecastSeries", validator.Validate(null, tooMany).FailureMessage, StringComparison.Ordinal);
        Assert.Contains("Metrics:ForecastGaugeTtlSeconds", validator.Validate(null, new MetricsOptions { ForecastGaugeTtlSeconds = 1 }).FailureMessage, StringComparison.Ordinal);
    }
}
