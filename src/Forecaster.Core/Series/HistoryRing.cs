namespace Forecaster.Core.Series;

/// <summary>
/// Fixed-capacity ring of the most recent values of one series (NaN marks a gap).
/// Oldest values are overwritten; nothing is allocated after construction.
/// </summary>
public sealed class HistoryRing
{
    private readonly float[] _values;
    private int _next;

    /// <exception cref="ArgumentOutOfRangeException"><paramref name="capacity"/> is less than 1.</exception>
    public HistoryRing(int capacity)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(capacity, 1);
        _values = new float[capacity];
    }

    public int Capacity => _values.Length;

    /// <summary>Values held, at most <see cref="Capacity"/>.</summary>
    public int Count { get; private set; }

    public void Add(float value)
    {
        _values[_next] = value;
        _next = _next + 1 == _values.Length ? 0 : _next + 1;
        if (Count < _values.Length)
        {
            Count++;
        }
    }

    /// <summary>The value <paramref name="age"/> steps back (0 = newest).</summary>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="age"/> is not in [0, Count).</exception>
    public float Back(int age)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(age);
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(age, Count);
        var index = _next - 1 - age;
        return _values[index < 0 ? index + _values.Length : index];
    }

    /// <summary>Copies the values oldest first into <paramref name="destination"/> and returns how many.</summary>
    /// <exception cref="ArgumentException"><paramref name="destination"/> is shorter than <see cref="Count"/>.</exception>
    public int CopyTo(Span<float> destination)
    {
        if (destination.Length < Count)
        {
            throw new ArgumentException($"Destination holds {destination.Length} values, the ring {Count}.", nameof(destination));
        }

        var start = _next - Count;
        if (start >= 0)
        {
            _values.AsSpan(start, Count).CopyTo(destination);
        }
        else
        {
            var tail = -start;
            _values.AsSpan(_values.Length - tail, tail).CopyTo(destination);
            _values.AsSpan(0, _next).CopyTo(destination[tail..]);
        }

        return Count;
    }

    /// <summary>Forgets every value.</summary>
    public void Clear()
    {
        Count = 0;
        _next = 0;
    }
}
