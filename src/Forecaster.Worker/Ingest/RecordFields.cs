namespace Forecaster.Worker.Ingest;

/// <summary>
/// The values of one decoded point, each its own series: the suffix appended to the metric, the value, its kind,
/// where it sits in the record as the producer wrote it (the index a dead letter names) and, when it cannot be
/// used, why (it is dead-lettered alone, the others go through). Also counts the values left out on purpose
/// (collectd's <c>null</c>, a Prometheus <c>_created</c> series), which are not errors. Reused; grows, never shrinks.
/// </summary>
internal sealed class RecordFields
{
    private TextRange[] _suffixes = new TextRange[4];
    private double[] _values = new double[4];
    private MetricKind[] _kinds = new MetricKind[4];
    private int[] _positions = new int[4];
    private string?[] _refusals = new string?[4];
    private string[] _skipped = new string[4];

    public int Count { get; private set; }

    /// <summary>Values left out on purpose; <see cref="SkipReason"/> says why each was.</summary>
    public int SkippedCount { get; private set; }

    public TextRange Suffix(int i) => _suffixes[i];
    public double Value(int i) => _values[i];
    public MetricKind Kind(int i) => _kinds[i];
    public int Position(int i) => _positions[i];
    public string? Refusal(int i) => _refusals[i];
    public string SkipReason(int i) => _skipped[i];

    public void Clear()
    {
        Array.Clear(_refusals, 0, Count);
        Count = 0;
        SkippedCount = 0;
    }

    public void Add(TextRange suffix, double value, MetricKind kind, int position)
    {
        if (Count == _suffixes.Length)
        {
            Array.Resize(ref _suffixes, Count * 2);
            Array.Resize(ref _values, Count * 2);
            Array.Resize(ref _kinds, Count * 2);
            Array.Resize(ref _positions, Count * 2);
            Array.Resize(ref _refusals, Count * 2);
        }

        _suffixes[Count] = suffix;
        _values[Count] = value;
        _kinds[Count] = kind;
        _positions[Count] = position;
        _refusals[Count] = null;
        Count++;
    }

    public void SetKind(int i, MetricKind kind) => _kinds[i] = kind;

    /// <summary>Marks value i unusable for <paramref name="reason"/>; the first reason stays.</summary>
    public void Refuse(int i, string reason) => _refusals[i] ??= reason;

    /// <summary>Counts one value left out for <paramref name="reason"/> (a <see cref="SkipReasons"/> constant).</summary>
    public void Skip(string reason)
    {
        if (SkippedCount == _skipped.Length)
        {
            Array.Resize(ref _skipped, SkippedCount * 2);
        }

        _skipped[SkippedCount++] = reason;
    }

    /// <summary>Removes value i (the later ones move down one) and counts it left out for <paramref name="reason"/>.</summary>
    public void Remove(int i, string reason)
    {
        Count--;
        Array.Copy(_suffixes, i + 1, _suffixes, i, Count - i);
        Array.Copy(_values, i + 1, _values, i, Count - i);
        Array.Copy(_kinds, i + 1, _kinds, i, Count - i);
        Array.Copy(_positions, i + 1, _positions, i, Count - i);
        Array.Copy(_refusals, i + 1, _refusals, i, Count - i);
        _refusals[Count] = null;
        Skip(reason);
    }
}
