using System.Text.Json;

namespace Forecaster.Worker.Ingest.Otlp;

/// <summary>
/// One OTLP record in, its data points out one at a time: <see cref="Index"/> walks the record once and
/// refuses it whole only when its framing is broken; <see cref="Fill"/> loads point i into the reused
/// <see cref="DecodedRecord"/> (its own metric, labels, timestamp, kind and fields) or says why that point is
/// bad. The labels and name a metric's points share are read once per metric and re-added by range.
/// Reused for every record; allocates nothing per point once its buffers have grown.
/// </summary>
internal sealed class OtlpDecoder
{
    private readonly OtlpIndex _index = new();
    private readonly OtlpLabelFilter _filter;
    private bool _json;
    private int _baseMetric;
    private int _baseMark;
    private TextRange _baseName;
    private TextRange _count;
    private TextRange _sum;
    private TextRange[] _baseKeys = new TextRange[16];
    private TextRange[] _baseValues = new TextRange[16];
    private int _baseLabels;

    public OtlpDecoder(OtlpLabelFilter filter)
    {
        _filter = filter;
    }

    public int PointCount => _index.PointCount;

    /// <summary>Indexes the record's points; returns null, or the reason the whole record is unreadable.</summary>
    public string? Index(ReadOnlySpan<byte> value, bool json)
    {
        _index.Clear();
        _json = json;
        _baseMetric = -1;
        try
        {
            if (json)
            {
                OtlpJsonIndexer.Index(value, _index);
            }
            else
            {
                OtlpProtoIndexer.Index(value, _index);
            }

            return null;
        }
        catch (JsonException)
        {
            _index.Clear();
            return RejectReasons.MalformedJson;
        }
        catch (InvalidDataException)
        {
            _index.Clear();
            return RejectReasons.MalformedProtobuf;
        }
    }

    /// <summary>Loads point <paramref name="point"/> into <paramref name="record"/>; null when it is usable (no fields: a point with no recorded value).</summary>
    public string? Fill(ReadOnlySpan<byte> value, int point, DecodedRecord record)
    {
        var at = _index.Point(point);
        ref var metric = ref _index.Metric(at.Metric);
        try
        {
            if (at.Metric != _baseMetric)
            {
                ReadBase(value, metric, record);
                _baseMetric = at.Metric;
            }
            else
            {
                record.ResetPoint(_baseMark);
                record.Metric = _baseName;
                for (var i = 0; i < _baseLabels; i++)
                {
                    record.AddLabel(_baseKeys[i], _baseValues[i]);
                }
            }

            if (_baseName.Length == 0)
            {
                return RejectReasons.MissingField;
            }

            var data = default(OtlpPointData);
            string? reason = null;
            if (_json)
            {
                reason = OtlpJsonPoints.ReadPoint(value, at, metric.Shape, record, ref data);
            }
            else
            {
                OtlpProtoPoints.ReadPoint(value, at, metric.Shape, record, ref data);
            }

            return reason ?? OtlpPointValues.Apply(metric, data, record, _count, _sum);
        }
        catch (JsonException)
        {
            _baseMetric = -1;
            return RejectReasons.MalformedJson;
        }
        catch (InvalidDataException)
        {
            _baseMetric = -1; // the base may be half read
            return RejectReasons.MalformedProtobuf;
        }
    }

    private void ReadBase(ReadOnlySpan<byte> value, in OtlpMetricRef metric, DecodedRecord record)
    {
        record.Clear(0);
        if (_json)
        {
            OtlpJsonPoints.ReadBase(value, metric, record, _filter);
        }
        else
        {
            OtlpProtoPoints.ReadBase(value, metric, record, _filter);
        }

        _baseName = record.Metric;
        _count = record.AppendUtf8("count"u8);
        _sum = record.AppendUtf8("sum"u8);
        _baseMark = record.TextLength;
        _baseLabels = record.LabelCount;
        if (_baseKeys.Length < _baseLabels)
        {
            Array.Resize(ref _baseKeys, _baseLabels);
            Array.Resize(ref _baseValues, _baseLabels);
        }

        for (var i = 0; i < _baseLabels; i++)
        {
            (_baseKeys[i], _baseValues[i]) = record.LabelRanges(i);
        }
    }
}
