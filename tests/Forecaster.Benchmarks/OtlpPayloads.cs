using System.Buffers.Binary;
using System.Globalization;
using System.Text;

namespace Forecaster.Benchmarks;

/// <summary>
/// A collector-sized OTLP metrics request, in protobuf and in OTLP JSON: one resource with six attributes
/// (two kept by the default allow-list), one scope, <c>metrics</c> metrics (gauges and cumulative monotonic
/// sums alternating) of <c>pointsPerMetric</c> points, each with three attributes.
/// </summary>
internal static class OtlpPayloads
{
    public const ulong TimeNs = 1_764_100_790_000_000_000;
    private static readonly (string Key, string Value)[] Resource =
    [
        ("service.name", "checkout"), ("service.instance.id", "627cc493-f310-47de-96bd-71410b7dec09"), ("host.name", "node-17"),
        ("telemetry.sdk.name", "opentelemetry"), ("telemetry.sdk.language", "dotnet"), ("telemetry.sdk.version", "1.21.0"),
    ];

    public static byte[] Protobuf(int metrics, int pointsPerMetric)
    {
        var scope = Message(1, String(1, "Forecaster.Bench"));
        for (var m = 0; m < metrics; m++)
        {
            var data = new List<byte>();
            for (var p = 0; p < pointsPerMetric; p++)
            {
                var point = new List<byte>();
                point.AddRange(Attribute(7, "route", "/api/v" + (p % 7)));
                point.AddRange(Attribute(7, "method", p % 2 == 0 ? "GET" : "POST"));
                point.AddRange(Attribute(7, "instance", "i" + p.ToString(CultureInfo.InvariantCulture)));
                point.AddRange(Fixed64(2, TimeNs - 60_000_000_000));
                point.AddRange(Fixed64(3, TimeNs));
                point.AddRange(Fixed64(4, BitConverter.DoubleToUInt64Bits(1000.5 + p)));
                data.AddRange(Message(1, [.. point]));
            }

            var sum = m % 2 == 1;
            if (sum)
            {
                data.AddRange(Varint(2, 2));
                data.AddRange(Varint(3, 1));
            }

            scope = [.. scope, .. Message(2, [.. String(1, "http.server.metric_" + m), .. Message(sum ? 7 : 5, [.. data])])];
        }

        var resource = Resource.SelectMany(a => Attribute(1, a.Key, a.Value)).ToArray();
        return Message(1, [.. Message(1, resource), .. Message(2, scope)]);
    }

    public static byte[] Json(int metrics, int pointsPerMetric)
    {
        var json = new StringBuilder("{\"resourceMetrics\":[{\"resource\":{\"attributes\":[");
        json.AppendJoin(',', Resource.Select(a => JsonAttribute(a.Key, a.Value)));
        json.Append("]},\"scopeMetrics\":[{\"scope\":{\"name\":\"Forecaster.Bench\"},\"metrics\":[");
        for (var m = 0; m < metrics; m++)
        {
            var sum = m % 2 == 1;
            json.Append(m > 0 ? "," : "").Append(CultureInfo.InvariantCulture, $"{{\"name\":\"http.server.metric_{m}\",\"{(sum ? "sum" : "gauge")}\":{{");
            json.Append(sum ? "\"aggregationTemporality\":2,\"isMonotonic\":true," : "").Append("\"dataPoints\":[");
            for (var p = 0; p < pointsPerMetric; p++)
            {
                json.Append(p > 0 ? "," : "").Append("{\"attributes\":[")
                    .Append(JsonAttribute("route", "/api/v" + (p % 7))).Append(',')
                    .Append(JsonAttribute("method", p % 2 == 0 ? "GET" : "POST")).Append(',')
                    .Append(JsonAttribute("instance", "i" + p.ToString(CultureInfo.InvariantCulture)))
                    .Append(CultureInfo.InvariantCulture, $"],\"startTimeUnixNano\":\"{TimeNs - 60_000_000_000}\",\"timeUnixNano\":\"{TimeNs}\",\"asDouble\":{1000.5 + p}}}");
            }

            json.Append("]}}");
        }

        return Encoding.UTF8.GetBytes(json.Append("]}]}]}").ToString());
    }

    private static string JsonAttribute(string key, string value) => $"{{\"key\":\"{key}\",\"value\":{{\"stringValue\":\"{value}\"}}}}";

    private static byte[] Attribute(int field, string key, string value) => Message(field, [.. String(1, key), .. Message(2, String(1, value))]);

    private static byte[] String(int field, string value) => Message(field, Encoding.UTF8.GetBytes(value));

    private static byte[] Message(int field, byte[] payload) => [.. Raw(((ulong)field << 3) | 2), .. Raw((ulong)payload.Length), .. payload];

    private static byte[] Varint(int field, ulong value) => [.. Raw((ulong)field << 3), .. Raw(value)];

    private static byte[] Fixed64(int field, ulong value)
    {
        var bytes = new byte[8];
        BinaryPrimitives.WriteUInt64LittleEndian(bytes, value);
        return [.. Raw(((ulong)field << 3) | 1), .. bytes];
    }

    private static byte[] Raw(ulong value)
    {
        var bytes = new List<byte>();
        while (value >= 0x80)
        {
            bytes.Add((byte)(value | 0x80));
            value >>= 7;
        }

        bytes.Add((byte)value);
        return [.. bytes];
    }
}
