using System.Text.Json;

namespace Forecaster.Worker.Ingest;

/// <summary>
/// One decoded input record, reused for every record of the loop: a metric name, labels, a timestamp,
/// a kind per value and one or more values (Telegraf, collectd: one per field, each naming its own series). All
/// text lives in one character scratch, so decoding allocates nothing once the buffers have grown.
/// </summary>
internal sealed class DecodedRecord
{
    private char[] _text = new char[1024];
    private int _textLength;
    private TextRange[] _labelKeys = new TextRange[16];
    private TextRange[] _labelValues = new TextRange[16];
    private TextRange[] _fieldSuffixes = new TextRange[4];
    private double[] _fieldValues = new double[4];
    private MetricKind[] _fieldKinds = new MetricKind[4];

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

    /// <summary>The kind a field added without one gets (the canonical <c>kind</c>).</summary>
    public MetricKind Kind { get; set; }
    public int LabelCount { get; private set; }
    public int FieldCount { get; private set; }

    /// <summary>Values of the record left out on purpose (not an error, nothing dead-lettered), and why: see <see cref="SkipReasons"/>.</summary>
    public int SkippedValues { get; private set; }
    public string? SkipReason { get; private set; }

    /// <summary>Bumped by every change (clear, metric, label, field, sort): tells a reader of the record whether it still holds what it read.</summary>
    public long Version { get; private set; }

    public ReadOnlySpan<char> Text(TextRange range) => _text.AsSpan(range.Start, range.Length);
    public ReadOnlySpan<char> LabelKey(int i) => Text(_labelKeys[i]);
    public ReadOnlySpan<char> LabelValue(int i) => Text(_labelValues[i]);

    /// <summary>Suffix appended to the metric as <c>metric_suffix</c> for field i; empty for single-value formats.</summary>
    public ReadOnlySpan<char> FieldSuffix(int i) => Text(_fieldSuffixes[i]);
    public double FieldValue(int i) => _fieldValues[i];
    public MetricKind FieldKind(int i) => _fieldKinds[i];

    public void SetFieldKind(int i, MetricKind kind)
    {
        Version++;
        _fieldKinds[i] = kind;
    }

    public void Clear(int inputLength)
    {
        Version++;
        _textLength = 0;
        LabelCount = 0;
        FieldCount = 0;
        SkippedValues = 0;
        SkipReason = null;
        Metric = default;
        TimestampMs = 0;
        Kind = MetricKind.Gauge;
        if (_text.Length < inputLength + 16)
        {
            _text = new char[Math.Max(inputLength + 16, _text.Length * 2)];
        }
    }

    /// <summary>Copies the current string token (unescaped) into the scratch.</summary>
    public TextRange AppendString(ref Utf8JsonReader reader)
    {
        var written = reader.CopyString(_text.AsSpan(_textLength));
        var range = new TextRange(_textLength, written);
        _textLength += written;
        return range;
    }

    /// <summary>Where the next appended text starts: with <see cref="TextSince"/>, several appends make one range.</summary>
    public int TextMark => _textLength;

    public TextRange TextSince(int mark) => new(mark, _textLength - mark);

    /// <summary>Appends literal text (not a span of this record's own text: use the range overload for that).</summary>
    public TextRange AppendText(ReadOnlySpan<char> text)
    {
        EnsureText(text.Length);
        text.CopyTo(_text.AsSpan(_textLength));
        _textLength += text.Length;
        return new TextRange(_textLength - text.Length, text.Length);
    }

    /// <summary>Appends a copy of text already in the scratch.</summary>
    public TextRange AppendText(TextRange range)
    {
        EnsureText(range.Length);
        return AppendText(Text(range));
    }

    /// <summary>Counts <paramref name="count"/> values left out for <paramref name="reason"/>.</summary>
    public void Skip(string reason, int count = 1)
    {
        SkippedValues += count;
        SkipReason = reason;
    }

    /// <summary>Removes field i (the later ones move down one) and counts it skipped for <paramref name="reason"/>.</summary>
    public void RemoveField(int i, string reason)
    {
        Version++;
        FieldCount--;
        Array.Copy(_fieldSuffixes, i + 1, _fieldSuffixes, i, FieldCount - i);
        Array.Copy(_fieldValues, i + 1, _fieldValues, i, FieldCount - i);
        Array.Copy(_fieldKinds, i + 1, _fieldKinds, i, FieldCount - i);
        Skip(reason);
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

    public void AddField(TextRange suffix, double value) => AddField(suffix, value, Kind);

    public void AddField(TextRange suffix, double value, MetricKind kind)
    {
        Version++;
        if (FieldCount == _fieldSuffixes.Length)
        {
            Array.Resize(ref _fieldSuffixes, FieldCount * 2);
            Array.Resize(ref _fieldValues, FieldCount * 2);
            Array.Resize(ref _fieldKinds, FieldCount * 2);
        }

        _fieldSuffixes[FieldCount] = suffix;
        _fieldValues[FieldCount] = value;
        _fieldKinds[FieldCount] = kind;
        FieldCount++;
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

    private void EnsureText(int more)
    {
        if (_textLength + more > _text.Length)
        {
            Array.Resize(ref _text, Math.Max(_text.Length * 2, _textLength + more));
        }
    }
}
