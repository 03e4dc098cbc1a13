using System.Diagnostics.Metrics;
using Forecaster.Worker.Ingest;
using Forecaster.Worker.Options;
using OpenTelemetry;
using OpenTelemetry.Exporter;
using OpenTelemetry.Metrics;
using OpenTelemetry.Resources;

namespace Forecaster.Worker.Tests.Ingest;

/// <summary>
/// OTLP protobuf as a real client writes it: the OpenTelemetry .NET SDK's OTLP exporter (HTTP/protobuf)
/// sends to a capture server, and the captured request body is what the decoder reads, as it would read the
/// same <c>ExportMetricsServiceRequest</c> from the Collector's Kafka exporter.
/// </summary>
public class OtlpSdkPayloadTests
{
    private static (byte[] Body, long Before, long After) Export(MetricReaderTemporalityPreference temporality)
    {
        using var server = new OtlpCaptureServer();
        var meterName = "forecaster.tests." + Guid.NewGuid().ToString("N");
        using var meter = new Meter(meterName, "1.0");
        var before = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();
        using (var provider = Sdk.CreateMeterProviderBuilder()
            .ConfigureResource(r => r.Clear().AddService("checkout", serviceInstanceId: "pod-7f9c")
                .AddAttributes([new("deployment.environment", "prod"), new("process.pid", 4242)]))
            .AddMeter(meterName)
            .AddOtlpExporter((exporter, reader) =>
            {
                exporter.Endpoint = server.Endpoint;
                exporter.Protocol = OtlpExportProtocol.HttpProtobuf;
                reader.PeriodicExportingMetricReaderOptions.ExportIntervalMilliseconds = 3_600_000; // only ForceFlush exports
                reader.TemporalityPreference = temporality;
            })
            .Build())
        {
            var requests = meter.CreateCounter<long>("http.server.requests");
            requests.Add(5, new KeyValuePair<string, object?>("route", "/a"));
            requests.Add(7, new KeyValuePair<string, object?>("route", "/b"));
            requests.Add(1, new KeyValuePair<string, object?>("route", "/b"));
            meter.CreateObservableGauge("queue.depth", () => new Measurement<double>(42.5, new KeyValuePair<string, object?>("queue", "orders")));
            meter.CreateUpDownCounter<int>("inflight").Add(3);
            var latency = meter.CreateHistogram<double>("latency", "s");
            latency.Record(0.25, new KeyValuePair<string, object?>("ok", true));
            latency.Record(0.75, new KeyValuePair<string, object?>("ok", true));
            Assert.True(provider.ForceFlush(10_000));
            var after = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();
            return (server.NextBody(TimeSpan.FromSeconds(30)), before, after);
        }
    }

    [Fact]
    public void Cumulative_export_fans_out_into_gauges_counters_and_histogram_count_and_sum()
    {
        var (body, before, after) = Export(MetricReaderTemporalityPreference.Cumulative);

        var (reason, points, refused) = OtlpPoints.DecodeAll(body, InputFormat.OtlpProto, after);

        Assert.Null(reason);
        Assert.Empty(refused);
        const string Env = "deployment_environment=\"prod\"", Service = "service_name=\"checkout\"";
        var a = OtlpPoints.Single(points, "http_server_requests{" + Env + ",route=\"/a\"," + Service + "}");
        Assert.Equal((MetricKind.Counter, 5.0), (a.Kind, a.Value));
        Assert.Equal(8.0, OtlpPoints.Single(points, "http_server_requests{" + Env + ",route=\"/b\"," + Service + "}").Value);
        var depth = OtlpPoints.Single(points, "queue_depth{" + Env + ",queue=\"orders\"," + Service + "}");
        Assert.Equal((MetricKind.Gauge, 42.5), (depth.Kind, depth.Value));
        var inflight = OtlpPoints.Single(points, "inflight{" + Env + "," + Service + "}");
        Assert.Equal((MetricKind.Gauge, 3.0), (inflight.Kind, inflight.Value)); // a non-monotonic sum is a level
        var count = OtlpPoints.Single(points, "latency_count{" + Env + ",ok=\"true\"," + Service + "}");
        Assert.Equal((MetricKind.Counter, 2.0), (count.Kind, count.Value));
        Assert.Equal(1.0, OtlpPoints.Single(points, "latency_sum{" + Env + ",ok=\"true\"," + Service + "}").Value);
        Assert.Equal(6, points.Count);
        Assert.All(points, p => Assert.InRange(p.TimestampMs, before, after));
        Assert.DoesNotContain(points, p => p.Id.Contains("pod-7f9c", StringComparison.Ordinal) || p.Id.Contains("4242", StringComparison.Ordinal));
    }

    [Fact]
    public void Delta_export_turns_sums_into_per_second_rates_over_their_interval()
    {
        var (body, _, after) = Export(MetricReaderTemporalityPreference.Delta);

        var (reason, points, refused) = OtlpPoints.DecodeAll(body, InputFormat.OtlpProto, after);

        Assert.Null(reason);
        Assert.Empty(refused);
        var a = OtlpPoints.Single(points, "http_server_requests{deployment_environment=\"prod\",route=\"/a\",service_name=\"checkout\"}");
        var b = OtlpPoints.Single(points, "http_server_requests{deployment_environment=\"prod\",route=\"/b\",service_name=\"checkout\"}");
        Assert.Equal(MetricKind.Gauge, a.Kind);
        Assert.True(a.Value > 0, "a delta of 5 over a positive interval is a positive rate");
        Assert.Equal(8.0 / 5.0, b.Value / a.Value, 9); // same interval: the rates keep the deltas' ratio
    }

    [Fact]
    public void Allow_list_star_keeps_every_resource_attribute()
    {
        var (body, _, after) = Export(MetricReaderTemporalityPreference.Cumulative);

        var (_, points, _) = OtlpPoints.DecodeAll(body, InputFormat.OtlpProto, after, new IngestOptions { OtlpLabelAllowList = "*" });

        var depth = Assert.Single(points, p => p.Id.StartsWith("queue_depth{", StringComparison.Ordinal));
        Assert.Contains("service_instance_id=\"pod-7f9c\"", depth.Id, StringComparison.Ordinal);
        Assert.Contains("process_pid=\"4242\"", depth.Id, StringComparison.Ordinal);
    }

    [Fact]
    public void Truncated_request_is_refused_whole_as_malformed_protobuf()
    {
        var (body, _, after) = Export(MetricReaderTemporalityPreference.Cumulative);

        var (reason, points, _) = OtlpPoints.DecodeAll(body[..(body.Length - 3)], InputFormat.OtlpProto, after);

        Assert.Equal(RejectReasons.MalformedProtobuf, reason);
        Assert.Empty(points);
    }
}
