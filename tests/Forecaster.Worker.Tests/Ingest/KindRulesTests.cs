using System.Globalization;
using System.Text;
using Forecaster.Core.Forecasting;
using Forecaster.Worker.Ingest;
using Forecaster.Worker.Options;
using Forecaster.Worker.Processing;
using Forecaster.Worker.Tests.Processing;

namespace Forecaster.Worker.Tests.Ingest;

/// <summary>Counters recognised from the formats (issue 11 item 5): Prometheus adapter names, Telegraf field names, the operator's lists, and the kinds records state themselves.</summary>
public class KindRulesTests
{
    private const long Ts = 1_764_100_800_000;

    private static string Prometheus(string name, double value = 1, long ts = Ts) =>
        $$$"""{"timestamp":"{{{DateTimeOffset.FromUnixTimeMilliseconds(ts):O}}}","value":"{{{value.ToString("R", CultureInfo.InvariantCulture)}}}","name":"{{{name}}}","labels":{"__name__":"{{{name}}}","job":"api"}}""";

    private static RecordDecoder Decode(string json, InputFormat format, IngestOptions? options = null, long nowMs = Ts + 1000)
    {
        var decoder = new RecordDecoder(options ?? new IngestOptions());
        Assert.Null(decoder.Decode(Encoding.UTF8.GetBytes(json), format, nowMs));
        return decoder;
    }

    private static MetricKind[] Kinds(RecordDecoder decoder) =>
        [.. Enumerable.Range(0, decoder.Record.FieldCount).Select(decoder.Record.FieldKind)];

    [Theory]
    [InlineData("http_requests_total", true)]
    [InlineData("rpc_duration_seconds_count", true)]
    [InlineData("rpc_duration_seconds_sum", true)]
    [InlineData("rpc_duration_seconds_bucket", true)]
    [InlineData("node_load1", false)]
    [InlineData("total_memory_bytes", false)] // only the ending counts
    public void Prometheus_adapter_names_with_counter_endings_are_counters(string name, bool counter)
    {
        Assert.Equal([counter ? MetricKind.Counter : MetricKind.Gauge], Kinds(Decode(Prometheus(name), InputFormat.Prometheus)));
    }

    [Fact]
    public void The_lists_override_the_endings_and_an_empty_suffix_list_turns_them_off()
    {
        var options = new IngestOptions { GaugeMetrics = "queue_depth_total", CounterMetrics = " node_bytes ,other" };
        Assert.Equal([MetricKind.Gauge], Kinds(Decode(Prometheus("queue_depth_total"), InputFormat.Prometheus, options)));
        Assert.Equal([MetricKind.Counter], Kinds(Decode(Prometheus("node_bytes"), InputFormat.Prometheus, options)));

        var off = new IngestOptions { CounterSuffixes = "" };
        Assert.Equal([MetricKind.Gauge], Kinds(Decode(Prometheus("http_requests_total"), InputFormat.Prometheus, off)));
    }

    [Fact]
    public void A_created_series_is_left_out_and_counted_not_dead_lettered_unless_listed_as_a_gauge()
    {
        var decoder = Decode(Prometheus("http_requests_created", 1_764_000_000), InputFormat.Prometheus);
        Assert.Equal(0, decoder.Record.FieldCount);
        Assert.Equal(1, decoder.Record.Fields.SkippedCount);
        Assert.Equal(SkipReasons.CreatedSeries, decoder.Record.Fields.SkipReason(0));

        var kept = Decode(Prometheus("http_requests_created"), InputFormat.Prometheus, new IngestOptions { GaugeMetrics = "http_requests_created" });
        Assert.Equal([MetricKind.Gauge], Kinds(kept));
    }

    [Fact]
    public void A_canonical_kind_wins_over_the_lists_and_without_one_only_the_lists_apply()
    {
        var options = new IngestOptions { CounterMetrics = "jobs", GaugeMetrics = "level_total" };
        const string Stated = """{"metric":"jobs","ts":1764100800000,"value":3,"kind":"gauge"}""";
        const string Unstated = """{"metric":"jobs","ts":1764100800000,"value":3}""";
        Assert.Equal([MetricKind.Gauge], Kinds(Decode(Stated, InputFormat.Canonical, options)));
        Assert.Equal([MetricKind.Counter], Kinds(Decode(Unstated, InputFormat.Canonical, options)));
        Assert.Equal([MetricKind.Counter], Kinds(Decode(Unstated.Replace("}", ",\"kind\":\"counter\"}", StringComparison.Ordinal).Replace("jobs", "level_total", StringComparison.Ordinal), InputFormat.Canonical, options)));
        Assert.Equal([MetricKind.Gauge], Kinds(Decode(Unstated.Replace("jobs", "x_total", StringComparison.Ordinal), InputFormat.Canonical))); // no endings in canonical
    }

    [Fact]
    public void Telegraf_counter_fields_are_told_by_their_names_only()
    {
        // The JSON serializer writes no value type: a prometheus input's "counter" field (metric_version 1), a field
        // name with a counter ending (metric_version 2) or a listed name is all there is to go by.
        const string Json = """{"name":"http","tags":{"host":"a"},"fields":{"counter":10,"requests_total":5,"bytes":7,"usage_idle":99.5},"timestamp":1764100800}""";
        var decoder = Decode(Json, InputFormat.Telegraf, new IngestOptions { CounterMetrics = "http_bytes" });
        Assert.Equal([MetricKind.Counter, MetricKind.Counter, MetricKind.Counter, MetricKind.Gauge], Kinds(decoder));
    }

    [Fact]
    public void Collectd_data_source_types_win_over_the_lists()
    {
        var decoder = Decode(CollectdDecoderTests.RawCpu, InputFormat.Collectd, new IngestOptions { CollectdStoreRates = false, GaugeMetrics = "collectd_cpu_total" }, nowMs: 1_796_287_000_000);
        Assert.Equal([MetricKind.Counter], Kinds(decoder));
    }

    [Fact]
    public void A_name_in_both_lists_stops_start_up()
    {
        var result = new IngestOptionsValidator().Validate(null, new IngestOptions { CounterMetrics = "a,b", GaugeMetrics = "b" });
        Assert.Equal(["Ingest:CounterMetrics and Ingest:GaugeMetrics both name b."], result.Failures);
    }

    [Fact]
    public void Through_a_shard_a_prometheus_counter_is_forecast_as_its_rate_and_a_gauge_as_its_level()
    {
        var settings = new ForecastSettings { Horizons = 3, Season = 12, WarmupPoints = 24, HistoryCapacity = 64, HiddenSize = 4 };
        var shard = new Shard(0, new SeriesOptions { StepSeconds = 60 }, settings, new CapturingSink());
        var decoder = new RecordDecoder(new IngestOptions());
        var offset = 0L;
        for (var k = 0; k < 40; k++)
        {
            var ts = Ts + (k * 60_000L);
            foreach (var name in new[] { "requests_total", "requests_in_flight" })
            {
                // Both climb by 120 a minute: the counter's rate is 2/s, the gauge's level keeps rising.
                Assert.Null(decoder.Decode(Encoding.UTF8.GetBytes(Prometheus(name, 5_000 + (120.0 * k), ts)), InputFormat.Prometheus, ts));
                shard.Offsets.Register(offset);
                shard.Offer(decoder.Record, decoder.Ids, 0, offset);
                shard.Offsets.Release(offset++);
            }

            shard.Flush();
        }

        var counter = shard.Series.Single(s => s.Id.StartsWith("requests_total", StringComparison.Ordinal)).State.CopyHistory();
        var gauge = shard.Series.Single(s => s.Id.StartsWith("requests_in_flight", StringComparison.Ordinal)).State.CopyHistory();
        Assert.True(counter.Length > 30);
        Assert.True(float.IsNaN(counter[0])); // the first reading has no rate yet
        Assert.All(counter[1..], v => Assert.Equal(2.0, v, 1e-6));
        Assert.Equal(5_000 + (120.0 * 39), gauge[^1], 1e-3);
    }
}
