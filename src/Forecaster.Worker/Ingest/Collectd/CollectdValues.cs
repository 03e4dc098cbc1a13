namespace Forecaster.Worker.Ingest.Collectd;

/// <summary>
/// The data sources of a value list as fields, each with its kind: a gauge as is; derive and counter are counters
/// when write_kafka sends them raw (<c>StoreRates false</c>) and gauges when it sends their rates (its default);
/// absolute is a count since the previous read, divided by the interval when raw. A <c>null</c> value (collectd's
/// NaN, e.g. the first rate of a derive) is left out and counted; a value that is not a finite number in range, or
/// whose type is unknown, is refused alone (named by its index in <c>values</c>); the other values of the list go through.
/// </summary>
internal static class CollectdValues
{
    public static string? Fields(DecodedRecord record, CollectdDataSources sources, bool storeRates, double interval)
    {
        for (var i = 0; i < sources.Count; i++)
        {
            var value = sources.Value(i);
            var type = sources.Type(i);
            if (sources.Refusal(i) is { } refusal)
            {
                record.AddField(CollectdNames.Suffix(record, sources.Name(i), cumulative: false), 0, MetricKind.Gauge, i);
                record.Fields.Refuse(record.FieldCount - 1, refusal);
                continue;
            }

            if (double.IsNaN(value))
            {
                record.Fields.Skip(SkipReasons.NullValue);
                continue;
            }

            if (type == DataSourceType.Absolute && !storeRates)
            {
                // The count since the previous read: its rate over the interval, as collectd's own cache computes it.
                if (!(interval > 0))
                {
                    return RejectReasons.MissingField;
                }

                value /= interval;
            }

            var cumulative = type is DataSourceType.Derive or DataSourceType.Counter;
            var kind = cumulative && !storeRates ? MetricKind.Counter : MetricKind.Gauge;
            record.AddField(CollectdNames.Suffix(record, sources.Name(i), cumulative), value, kind, i);
        }

        return null;
    }
}
