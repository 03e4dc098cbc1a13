using System.Text;
using Forecaster.Worker.Ingest;
using Forecaster.Worker.Options;

namespace Forecaster.Worker.Tests.Ingest;

/// <summary>
/// OTLP JSON as the Collector's <c>otlp_json</c> encoding writes it (lowerCamelCase fields, 64-bit integers as
/// strings, enums as integers). The payloads are hand-written from the OTLP specification: no JSON encoder of
/// OTLP is served here (the .NET SDK exports protobuf only).
/// </summary>
public class OtlpJsonDecoderTests
{
    private const long Now = 1_764_100_800_000; // 2025-11-25T20:00:00Z
    private const string T = "1764100790000000000"; // Now - 10 s, in ns
    private const string Start = "1764100780000000000"; // 10 s before T

    private static readonly string Resource = """
        "resource":{"attributes":[
          {"key":"service.name","value":{"stringValue":"checkout"}},
          {"key":"service.instance.id","value":{"stringValue":"627cc493-f310-47de-96bd-71410b7dec09"}},
          {"key":"host.name","value":{"stringValue":"node-1"}}]}
        """;

    private static string Request(string metrics) =>
        "{\"resourceMetrics\":[{" + Resource + ",\"scopeMetrics\":[{\"scope\":{\"name\":\"app\",\"version\":\"1.0\"},\"metrics\":[" + metrics + "]}]}]}";

    private static (string? Reason, List<OtlpPoint> Points, List<(int Index, string Reason)> Refused) Decode(string json, InputFormat format = InputFormat.OtlpJson, IngestOptions? options = null) =>
        OtlpPoints.DecodeAll(Encoding.UTF8.GetBytes(json), format, Now, options);

    [Fact]
    public void Every_metric_type_becomes_its_series_with_resource_scope_and_point_labels()
    {
        var json = Request($$$"""
            {"name":"queue.depth","unit":"1","gauge":{"dataPoints":[
              {"attributes":[{"key":"queue","value":{"stringValue":"orders"}}],"timeUnixNano":"{{{T}}}","asDouble":12.5},
              {"attributes":[{"key":"queue","value":{"stringValue":"billing"}}],"timeUnixNano":"{{{T}}}","asInt":"3"}]}},
            {"name":"http.requests","sum":{"aggregationTemporality":2,"isMonotonic":true,"dataPoints":[
              {"attributes":[{"key":"code","value":{"intValue":"200"}},{"key":"tls","value":{"boolValue":true}}],"startTimeUnixNano":"{{{Start}}}","timeUnixNano":"{{{T}}}","asInt":"1500"}]}},
            {"name":"latency","histogram":{"aggregationTemporality":2,"dataPoints":[
              {"startTimeUnixNano":"{{{Start}}}","timeUnixNano":"{{{T}}}","count":"4","sum":2.5,"bucketCounts":["1","3"],"explicitBounds":[0.5]}]}},
            {"name":"rpc","summary":{"dataPoints":[
              {"timeUnixNano":"{{{T}}}","count":"10","sum":7,"quantileValues":[{"quantile":0.5,"value":0.6}]}]}}
            """);

        var (reason, points, refused) = Decode(json);

        Assert.Null(reason);
        Assert.Empty(refused);
        const string Labels = "host_name=\"node-1\",service_name=\"checkout\"";
        Assert.Equal(new OtlpPoint("queue_depth{host_name=\"node-1\",queue=\"orders\",service_name=\"checkout\"}", MetricKind.Gauge, Now - 10_000, 12.5), points[0]);
        Assert.Equal(3.0, OtlpPoints.Single(points, "queue_depth{host_name=\"node-1\",queue=\"billing\",service_name=\"checkout\"}").Value);
        Assert.Equal(new OtlpPoint("http_requests{code=\"200\"," + Labels + ",tls=\"true\"}", MetricKind.Counter, Now - 10_000, 1500), points[2]);
        Assert.Equal(new OtlpPoint("latency_count{" + Labels + "}", MetricKind.Counter, Now - 10_000, 4), points[3]);
        Assert.Equal(new OtlpPoint("latency_sum{" + Labels + "}", MetricKind.Counter, Now - 10_000, 2.5), points[4]);
        Assert.Equal(new OtlpPoint("rpc_count{" + Labels + "}", MetricKind.Counter, Now - 10_000, 10), points[5]);
        Assert.Equal(new OtlpPoint("rpc_sum{" + Labels + "}", MetricKind.Counter, Now - 10_000, 7), points[6]);
        Assert.Equal(7, points.Count);
    }

    [Fact]
    public void Delta_sum_and_histogram_are_per_second_rates_over_their_own_interval()
    {
        var json = Request($$$"""
            {"name":"bytes","sum":{"aggregationTemporality":1,"isMonotonic":true,"dataPoints":[{"startTimeUnixNano":"{{{Start}}}","timeUnixNano":"{{{T}}}","asInt":"30"}]}},
            {"name":"latency","histogram":{"aggregationTemporality":1,"dataPoints":[{"startTimeUnixNano":"{{{Start}}}","timeUnixNano":"{{{T}}}","count":"20","sum":5}]}}
            """);

        var (reason, points, refused) = Decode(json);

        Assert.Null(reason);
        Assert.Empty(refused);
        Assert.Equal((MetricKind.Gauge, 3.0), (points[0].Kind, points[0].Value));
        Assert.Equal((MetricKind.Gauge, 2.0), (points[1].Kind, points[1].Value));
        Assert.Equal((MetricKind.Gauge, 0.5), (points[2].Kind, points[2].Value));
    }

    [Fact]
    public void Auto_detects_otlp_json_by_its_resource_metrics_property()
    {
        var json = Request($$$"""{"name":"up","gauge":{"dataPoints":[{"timeUnixNano":"{{{T}}}","asDouble":1}]}}""");

        var (reason, points, _) = Decode(json, InputFormat.Auto);

        Assert.Null(reason);
        Assert.Equal("up{host_name=\"node-1\",service_name=\"checkout\"}", Assert.Single(points).Id);
    }

    [Fact]
    public void Allow_list_is_configurable_and_a_point_attribute_overrides_a_resource_one()
    {
        var json = Request($$$"""{"name":"up","gauge":{"dataPoints":[{"attributes":[{"key":"host.name","value":{"stringValue":"override"}}],"timeUnixNano":"{{{T}}}","asDouble":1}]}}""");

        var (_, points, _) = Decode(json, options: new IngestOptions { OtlpLabelAllowList = "service.instance.id, host.name" });

        Assert.Equal("up{host_name=\"override\",service_instance_id=\"627cc493-f310-47de-96bd-71410b7dec09\"}", Assert.Single(points).Id);
    }

    [Theory]
    [InlineData("""{"name":"g","gauge":{"dataPoints":[{"timeUnixNano":"T","asDouble":"NaN"}]}}""", RejectReasons.NonFiniteValue)]
    [InlineData("""{"name":"g","gauge":{"dataPoints":[{"timeUnixNano":"T","asDouble":1e300}]}}""", RejectReasons.ValueOutOfRange)]
    [InlineData("""{"name":"g","gauge":{"dataPoints":[{"timeUnixNano":"T"}]}}""", RejectReasons.MissingField)]
    [InlineData("""{"name":"g","gauge":{"dataPoints":[{"asDouble":1}]}}""", RejectReasons.InvalidTimestamp)]
    [InlineData("""{"name":"g","gauge":{"dataPoints":[{"timeUnixNano":"soon","asDouble":1}]}}""", RejectReasons.InvalidTimestamp)]
    [InlineData("""{"name":"g","gauge":{"dataPoints":[{"timeUnixNano":"4102444800000000000","asDouble":1}]}}""", RejectReasons.TimestampInFuture)]
    [InlineData("""{"name":"s","sum":{"aggregationTemporality":1,"dataPoints":[{"timeUnixNano":"T","asInt":"1"}]}}""", RejectReasons.InvalidTimestamp)]
    [InlineData("""{"name":"s","sum":{"dataPoints":[{"timeUnixNano":"T","asInt":"1"}]}}""", RejectReasons.InvalidKind)]
    [InlineData("""{"gauge":{"dataPoints":[{"timeUnixNano":"T","asDouble":1}]}}""", RejectReasons.MissingField)]
    public void A_bad_point_is_refused_on_its_own_with_its_reason(string metric, string expected)
    {
        var good = $$$"""{"name":"ok","gauge":{"dataPoints":[{"timeUnixNano":"{{{T}}}","asDouble":1}]}}""";

        var (reason, points, refused) = Decode(Request(good + "," + metric.Replace("\"T\"", "\"" + T + "\"", StringComparison.Ordinal) + "," + good));

        Assert.Null(reason);
        Assert.Equal([(1, expected)], refused);
        Assert.Equal(2, points.Count);
    }

    [Fact]
    public void Point_with_no_recorded_value_is_skipped_not_refused()
    {
        var (reason, points, refused) = Decode(Request($$$"""{"name":"g","gauge":{"dataPoints":[{"timeUnixNano":"{{{T}}}","flags":1}]}}"""));

        Assert.Null(reason);
        Assert.Empty(points);
        Assert.Empty(refused);
    }

    [Theory]
    [InlineData("""{"resourceMetrics":[{"scopeMetrics":[{"metrics":[{"name":"g","gauge":{"dataPoints":[{"timeUnixNano":"1"}""")]
    [InlineData("""{"resourceMetrics":[{"scopeMetrics":[{"metrics":[{"name":"g","gauge":{"dataPoints":[1]}}]}]}]}""")]
    [InlineData("""{"resourceMetrics":[]} {}""")]
    public void Unparseable_record_is_refused_whole(string json)
    {
        var (reason, points, refused) = Decode(json);

        Assert.Equal(RejectReasons.MalformedJson, reason);
        Assert.Empty(points);
        Assert.Empty(refused);
    }
}
