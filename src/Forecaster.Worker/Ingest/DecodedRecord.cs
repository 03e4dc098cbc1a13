using System.Text.Json;

namespace Forecaster.Worker.Ingest;

/// <summary>
/// One decoded input record, reused for every record of the loop: a metric name, labels, a timestamp,
/// and one or more values, each with its own kind (Telegraf, collectd: one per field, each naming its own series). All
/// text lives in one character scratch (<see cref="RecordText"/>), so decoding allocates nothing once the buffers have grown.
/// </summary>
internal sealed class DecodedRecord
{
    private readonly RecordText _text = new();
    private TextRange[] _labelKeys = new TextRange[16];
    private TextRange[] _labelValues = new TextRange[16];

    public TextRange Metric
    {
        get;
        set
        {
            field = value;
            Version++;
        }
    }
    public long TimestampMs { get; set; }

    /// <summary>The kind a field added without one gets (the canonical <c>kind</c>, an OTLP point's type).</summary>
    public MetricKind Kind { get; set; }

    /// <summary>Whether a canonical record stated its <c>kind</c>: then no name rule changes it (see <see cref="KindRules"/>).</summary>
    public bool KindStated { get; set; }

    /// <summary>The index a dead letter names for a field added without its own: the OTLP data point's (0 for one-point records).</summary>
    public int Position { get; set; }
    public int LabelCount { get; private set; }

    /// <summary>
    /// Bytes at the start of the record that name its series, when <see cref="PlainCanonicalParser"/> read it and they end
    /// before its timestamp, value and kind (see <see cref="PlainCanonicalParser.TryParse"/>); −1 otherwise.
    /// </summary>
    public int IdentityLength { get; set; } = -1;

    /// <summary>The values of the point, each its own series, with kind, position and refusal.</summary>
    public RecordFields Fields { get; } = new();
    public int FieldCount => Fields.Count;

    /// <summary>Bumped by every change (clear, metric, label, field, sort): tells a reader of the record whether it still holds what it read.</summary>
    public long Version { get; private set; }

    public ReadOnlySpan<char> Text(TextRange range) => _text.Of(range);
    public ReadOnlySpan<char> LabelKey(int i) => Text(_labelKeys[i]);
    public ReadOnlySpan<char> LabelValue(int i) => Text(_labelValues[i]);

    /// <summary>Where label i's key and value sit in the scratch (to re-add them to the next point of the record).</summary>
    public (TextRange Key, TextRange Value) LabelRanges(int i) => (_labelKeys[i], _labelValues[i]);

    /// <summary>Suffix appended to the metric as <c>metric_suffix</c> for field i; empty for single-value formats.</summary>
    public ReadOnlySpan<char> FieldSuffix(int i) => Text(Fields.Suffix(i));
    public double FieldValue(int i) => Fields.Value(i);
    public MetricKind FieldKind(int i) => Fields.Kind(i);

    public void Clear(int inputLength)
    {
        Version++;
        _text.Reset(inputLength);
        LabelCount = 0;
        Fields.Clear();
        Metric = default;
        TimestampMs = 0;
        Kind = MetricKind.Gauge;
        KindStated = false;
        IdentityLength = -1;
    }

    /// <summary>Text into the scratch: see <see cref="RecordText"/>.</summary>
    public TextRange AppendString(ref Utf8JsonReader reader) => _text.AppendString(ref reader);

    /// <summary>Where the next text goes: a mark for <see cref="ResetPoint"/>, <see cref="RewindText"/> and <see cref="TextSince"/>.</summary>
    public int TextLength => _text.Length;
    public TextRange TextSince(int mark) => _text.Since(mark);
    public TextRange AppendText(ReadOnlySpan<char> text) => _text.Append(text);
    public TextRange AppendText(TextRange range) => _text.Append(range);
    public TextRange AppendUtf8(ReadOnlySpan<byte> utf8) => _text.AppendUtf8(utf8);
    public TextRange AppendFormatted<T>(T value)
        where T : ISpanFormattable => _text.AppendFormatted(value);
    public Span<char> Writable(TextRange range) => _text.Writable(range);

    /// <summary>Forgets the text written after <paramref name="textMark"/> (a label that was read and then dropped).</summary>
    public void RewindText(int textMark) => _text.Rewind(textMark);

    /// <summary>Starts the next point of a multi-point record: keeps the text before <paramref name="textMark"/> (its ranges stay valid), clears the rest.</summary>
    public void ResetPoint(int textMark)
    {
        Version++;
        _text.Rewind(textMark);
        LabelCount = 0;
        Fields.Clear();
        Metric = default;
        TimestampMs = 0;
        Kind = MetricKind.Gauge;
        KindStated = false;
    }

    /// <summary>Adds a label, or replaces the value of one whose key has the same text (a point attribute overriding a resource one).</summary>
    public void SetLabel(TextRange key, TextRange value)
    {
        for (var i = 0; i < LabelCount; i++)
        {
            if (Text(_labelKeys[i]).SequenceEqual(Text(key)))
            {
                Version++;
                _labelValues[i] = value;
                return;
            }
        }

        AddLabel(key, value);
    }

    public void AddLabel(TextRange key, TextRange value)
    {
        Version++;
        if (LabelCount == _labelKeys.Length)
        {
            Array.Resize(ref _labelKeys, LabelCount * 2);
            Array.Resize(ref _labelValues, LabelCount * 2);
        }

        _labelKeys[LabelCount] = key;
        _labelValues[LabelCount] = value;
        LabelCount++;
    }

    public void AddField(TextRange suffix, double value) => AddField(suffix, value, Kind, Position);

    public void AddField(TextRange suffix, double value, MetricKind kind, int position)
    {
        Version++;
        Fields.Add(suffix, value, kind, position);
    }

    public void SetFieldKind(int i, MetricKind kind)
    {
        Version++;
        Fields.SetKind(i, kind);
    }

    /// <summary>Removes field i and counts it left out for <paramref name="reason"/> (not an error).</summary>
    public void RemoveField(int i, string reason)
    {
        Version++;
        Fields.Remove(i, reason);
    }

    /// <summary>Sorts labels by key (ordinal), insertion sort: label sets are small.</summary>
    public void SortLabels()
    {
        Version++;
        for (var i = 1; i < LabelCount; i++)
        {
            var key = _labelKeys[i];
            var value = _labelValues[i];
            var j = i - 1;
            while (j >= 0 && Text(_labelKeys[j]).SequenceCompareTo(Text(key)) > 0)
            {
                _labelKeys[j + 1] = _labelKeys[j];
                _labelValues[j + 1] = _labelValues[j];
                j--;
            }

            _labelKeys[j + 1] = key;
            _labelValues[j + 1] = value;
        }
    }
}
