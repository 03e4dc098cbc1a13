namespace Forecaster.Worker.Ingest.Otlp;

/// <summary>What the second pass read from one data point, in either encoding.</summary>
internal struct OtlpPointData
{
    public ulong StartNs;
    public ulong TimeNs;

    /// <summary>Gauge and sum: the value; histogram and summary: the count.</summary>
    public double Value;
    public bool HasValue;
    public double Sum;
    public bool HasSum;
    public ulong Flags;
}

/// <summary>
/// Turns a data point into the record's timestamp, kind and fields: a gauge as is; a cumulative monotonic
/// sum as a counter (the timeline takes its per-second rate, with resets); a cumulative non-monotonic sum as
/// a gauge; a delta sum as its own per-second rate over <c>[start, time]</c>; histograms and summaries as
/// <c>_count</c> and <c>_sum</c> fields, counters when cumulative, rates when delta.
/// </summary>
internal static class OtlpPointValues
{
    /// <summary>DataPointFlags.FLAG_NO_RECORDED_VALUE: a staleness marker, not a measurement.</summary>
    private const ulong NoRecordedValue = 1;

    public static string? Apply(in OtlpMetricRef metric, in OtlpPointData point, DecodedRecord record, TextRange countSuffix, TextRange sumSuffix)
    {
        if ((point.Flags & NoRecordedValue) != 0)
        {
            return null; // no fields: nothing to offer, nothing to dead-letter
        }

        if (point.TimeNs == 0)
        {
            return RejectReasons.InvalidTimestamp;
        }

        record.TimestampMs = (long)(point.TimeNs / 1_000_000);
        var intervalSeconds = 0.0;
        if (metric.Shape == OtlpShape.Summary)
        {
            record.Kind = MetricKind.Counter; // summaries are cumulative by definition
        }
        else if (metric.Shape != OtlpShape.Gauge)
        {
            switch (metric.Temporality)
            {
                case OtlpIndex.TemporalityCumulative:
                    record.Kind = metric.Shape != OtlpShape.Sum || metric.Monotonic ? MetricKind.Counter : MetricKind.Gauge;
                    break;
                case OtlpIndex.TemporalityDelta:
                    if (point.StartNs == 0 || point.StartNs >= point.TimeNs)
                    {
                        return RejectReasons.InvalidTimestamp; // a delta's rate needs its interval
                    }

                    intervalSeconds = (point.TimeNs - point.StartNs) / 1e9;
                    break;
                default:
                    return RejectReasons.InvalidKind;
            }
        }

        if (!point.HasValue)
        {
            return RejectReasons.MissingField;
        }

        var value = intervalSeconds > 0 ? point.Value / intervalSeconds : point.Value;
        var reason = Check(value);
        if (reason is not null || metric.Shape is OtlpShape.Gauge or OtlpShape.Sum)
        {
            if (reason is null)
            {
                record.AddField(default, value);
            }

            return reason;
        }

        var sum = intervalSeconds > 0 ? point.Sum / intervalSeconds : point.Sum;
        reason = point.HasSum ? Check(sum) : null;
        if (reason is null)
        {
            record.AddField(countSuffix, value);
            if (point.HasSum)
            {
                record.AddField(sumSuffix, sum);
            }
        }

        return reason;
    }

    private static string? Check(double value) => double.IsFinite(value) ? JsonPointReader.Range(value) : RejectReasons.NonFiniteValue;
}
