using Forecaster.Testing;
using Forecaster.Worker.Ingest;
using Forecaster.Worker.Options;

namespace Forecaster.Worker.Tests.Ingest;

/// <summary>Hand-built protobuf requests for what a real exporter never sends: one bad point among many, broken framing.</summary>
public class OtlpProtoPointFailureTests
{
    private const long Now = 1_764_100_800_000;
    private const ulong TimeNs = 1_764_100_790_000_000_000;

    /// <summary>One resource, one scope, one gauge metric whose points are given (NumberDataPoint messages).</summary>
    internal static byte[] GaugeRequest(IEnumerable<ProtoBytes> points)
    {
        var gauge = new ProtoBytes();
        foreach (var point in points)
        {
            gauge.Message(1, point);
        }

        var metric = new ProtoBytes().String(1, "temperature").Message(5, gauge);
        var scope = new ProtoBytes().Message(1, new ProtoBytes().String(1, "sensors")).Message(2, metric);
        var resource = new ProtoBytes().Attribute(1, "service.name", "plant").Attribute(1, "service.instance.id", "x-1");
        return new ProtoBytes().Message(1, new ProtoBytes().Message(1, resource).Message(2, scope)).ToArray();
    }

    internal static ProtoBytes Point(int sensor, double value, ulong timeNs = TimeNs) =>
        new ProtoBytes().Attribute(7, "sensor", "s" + sensor).Fixed64(3, timeNs).Double(4, value);

    [Fact]
    public void One_bad_point_among_a_thousand_is_refused_alone()
    {
        var request = GaugeRequest(Enumerable.Range(0, 1000).Select(i => Point(i, i == 617 ? double.PositiveInfinity : i)));

        var (reason, points, refused) = OtlpPoints.DecodeAll(request, InputFormat.OtlpProto, Now);

        Assert.Null(reason);
        Assert.Equal([(617, RejectReasons.NonFiniteValue)], refused);
        Assert.Equal(999, points.Count);
        Assert.Equal(999, points.Select(p => p.Id).Distinct().Count());
        Assert.Equal(new OtlpPoint("temperature{sensor=\"s616\",service_name=\"plant\"}", MetricKind.Gauge, Now - 10_000, 616), points[616]);
        Assert.Equal(618.0, points[617].Value);
    }

    [Fact]
    public void Point_with_broken_framing_inside_is_refused_alone_as_malformed_protobuf()
    {
        var broken = new ProtoBytes().Fixed64(3, TimeNs).Varint(8, 0).Bytes(7, [0x0A, 0x05, 0x61]); // a KeyValue whose key runs past its end
        var request = GaugeRequest([Point(0, 1), broken, Point(2, 3)]);

        var (reason, points, refused) = OtlpPoints.DecodeAll(request, InputFormat.OtlpProto, Now);

        Assert.Null(reason);
        Assert.Equal([(1, RejectReasons.MalformedProtobuf)], refused);
        Assert.Equal([1.0, 3.0], points.Select(p => p.Value));
    }

    [Fact]
    public void Point_labels_are_validated_per_point()
    {
        var many = new ProtoBytes().Fixed64(3, TimeNs).Double(4, 1);
        for (var i = 0; i < 40; i++)
        {
            many.Attribute(7, "k" + i, "v");
        }

        var request = GaugeRequest([Point(0, 1), many, Point(1, 2, timeNs: 0)]);

        var (reason, points, refused) = OtlpPoints.DecodeAll(request, InputFormat.OtlpProto, Now);

        Assert.Null(reason);
        Assert.Equal([(1, RejectReasons.TooManyLabels), (2, RejectReasons.InvalidTimestamp)], refused);
        Assert.Single(points);
    }

    [Theory]
    [InlineData(new byte[] { 0x0A, 0x10, 0x01 })] // resource_metrics longer than the record
    [InlineData(new byte[] { 0x0B })] // a group (wire type 3)
    [InlineData(new byte[] { 0x08, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0x01 })] // an 11-byte varint
    [InlineData(new byte[] { (byte)'{', (byte)'}' })] // JSON on a protobuf topic: field 15, wire type 3
    public void Broken_framing_refuses_the_record_whole(byte[] value)
    {
        var (reason, points, refused) = OtlpPoints.DecodeAll(value, InputFormat.OtlpProto, Now);

        Assert.Equal(RejectReasons.MalformedProtobuf, reason);
        Assert.Empty(points);
        Assert.Empty(refused);
    }

    [Fact]
    public void Empty_request_carries_no_points_and_is_not_refused()
    {
        var (reason, points, refused) = OtlpPoints.DecodeAll([], InputFormat.OtlpProto, Now);

        Assert.Null(reason);
        Assert.Empty(points);
        Assert.Empty(refused);
    }

    [Fact]
    public void Decoding_a_request_again_allocates_nothing_per_point()
    {
        var request = GaugeRequest(Enumerable.Range(0, 200).Select(i => Point(i, i)));
        var decoder = new RecordDecoder(new IngestOptions());
        void DecodeAll()
        {
            Assert.Null(decoder.Decode(request, InputFormat.OtlpProto, Now));
            for (var i = 0; i < decoder.PointCount; i++)
            {
                Assert.Null(decoder.LoadPoint(request, i, Now));
            }
        }

        DecodeAll();
        Assert.Equal(0, Allocations.Fewest(DecodeAll));
    }
}
