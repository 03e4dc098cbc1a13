using Forecaster.Worker.Ingest;
using Forecaster.Worker.Options;

namespace Forecaster.Worker.Tests.Ingest;

/// <summary>One decoded series point of an OTLP record: its series id, kind, timestamp and value.</summary>
internal sealed record OtlpPoint(string Id, MetricKind Kind, long TimestampMs, double Value);

/// <summary>Decodes every point of a record as the router does, collecting the usable series points and the refused indexes (a whole point's, or a field's position).</summary>
internal static class OtlpPoints
{
    public static (string? Reason, List<OtlpPoint> Points, List<(int Index, string Reason)> Refused) DecodeAll(
        byte[] value, InputFormat format, long nowMs, IngestOptions? options = null)
    {
        var decoder = new RecordDecoder(options ?? new IngestOptions());
        var reason = decoder.Decode(value, format, nowMs);
        var points = new List<OtlpPoint>();
        var refused = new List<(int, string)>();
        for (var i = 0; reason is null && i < decoder.PointCount; i++)
        {
            var pointReason = decoder.LoadPoint(value, i, nowMs);
            if (pointReason is not null)
            {
                refused.Add((i, pointReason));
                continue;
            }

            var record = decoder.Record;
            for (var field = 0; field < record.FieldCount; field++)
            {
                if (record.Fields.Refusal(field) is { } fieldReason)
                {
                    refused.Add((record.Fields.Position(field), fieldReason));
                    continue;
                }

                points.Add(new OtlpPoint(decoder.Ids.Build(record, field).ToString(), record.FieldKind(field), record.TimestampMs, record.FieldValue(field)));
            }
        }

        return (reason, points, refused);
    }

    public static OtlpPoint Single(List<OtlpPoint> points, string id) => Assert.Single(points, p => p.Id == id);
}
