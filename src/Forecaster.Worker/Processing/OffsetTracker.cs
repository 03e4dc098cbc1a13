using Confluent.Kafka;
using Forecaster.Worker.Publish;

namespace Forecaster.Worker.Processing;

/// <summary>
/// The input offsets of one partition that still have work outstanding (held points, forecasts or
/// dead letters not yet acknowledged), in consumption order. An offset is done when its hold count
/// reaches zero; <see cref="TryAdvance"/> reports the next offset to store once every offset before it
/// is done, so a stored offset never skips unfinished work. A negative offset is a detached one (the
/// complement of the input offset of a point the checkpointed state holds, no longer tracked): holding and
/// releasing it do nothing. Consume thread only.
/// </summary>
internal sealed class OffsetTracker : IDeliveryReceiver
{
    private long[] _offsets = new long[1024];
    private int[] _holds = new int[1024];
    private long[] _registeredAt = new long[1024];
    private int _head;
    private int _tail;
    private long _lastDone = -1;
    private long _reported = -1;

    public int Outstanding => _tail - _head;

    /// <summary>The last offset registered (-1 before the first): the shard has absorbed input up to it.</summary>
    public long LastRegistered { get; private set; } = -1;

    /// <summary>Records produced for these offsets (forecasts, dead letters) whose delivery report is not applied yet.</summary>
    public int Unacknowledged { get; private set; }

    /// <summary>The oldest offset not yet done as of the last <see cref="TryAdvance"/>, or -1 when none.</summary>
    public long OldestOutstanding => _tail > _head ? _offsets[_head] : -1;

    /// <summary>The offset to store next: every offset before it is done.</summary>
    public long NextToStore => _lastDone + 1;

    /// <summary>When <see cref="OldestOutstanding"/> was registered (the caller's clock; 0 when none or not given).</summary>
    public long OldestRegisteredAt => _tail > _head ? _registeredAt[_head] : 0;

    /// <summary>When <paramref name="offset"/> was registered; 0 when it is not outstanding.</summary>
    public long RegisteredAt(long offset)
    {
        var index = Array.BinarySearch(_offsets, _head, _tail - _head, offset);
        return index >= 0 ? _registeredAt[index] : 0;
    }

    /// <summary>The offset <paramref name="back"/> places behind the newest outstanding one (the oldest when fewer).</summary>
    public long OutstandingAt(int back) => _tail > _head ? _offsets[Math.Max(_head, _tail - 1 - back)] : -1;

    /// <summary>Registers a consumed offset with one hold (released when its record has been handled), at time <paramref name="registeredAt"/> of the caller's clock.</summary>
    /// <exception cref="InvalidOperationException">Offsets must increase.</exception>
    public void Register(long offset, long registeredAt = 0)
    {
        if ((_tail > _head && offset <= _offsets[_tail - 1]) || offset <= _lastDone)
        {
            throw new InvalidOperationException($"Offset {offset} registered out of order.");
        }

        if (_tail == _offsets.Length)
        {
            Compact();
        }

        _offsets[_tail] = offset;
        _holds[_tail] = 1;
        _registeredAt[_tail] = registeredAt;
        _tail++;
        LastRegistered = offset;
    }

    public void Hold(long offset)
    {
        if (offset >= 0)
        {
            _holds[IndexOf(offset)]++;
        }
    }

    /// <summary>A record was produced for one of these offsets (its delivery report will call <see cref="Acknowledged"/>).</summary>
    public void Sent() => Unacknowledged++;

    /// <summary>The delivery report of a record counted by <see cref="Sent"/> was applied, failed or not.</summary>
    public void Acknowledged() => Unacknowledged--;

    /// <summary>
    /// The report of a forecast or dead letter produced for input offset <paramref name="token"/> (after <see cref="Hold"/>
    /// and <see cref="Sent"/>): acknowledged either way; released only when delivered, so a failed record's
    /// offset is never stored past.
    /// </summary>
    public void Delivered(long token, Error? error)
    {
        Acknowledged();
        if (error is null)
        {
            Release(token);
        }
    }

    public void Release(long offset)
    {
        if (offset < 0)
        {
            return;
        }

        var index = IndexOf(offset);
        if (--_holds[index] < 0)
        {
            throw new InvalidOperationException($"Offset {offset} released more often than held.");
        }
    }

    /// <summary>True when more offsets are done: <paramref name="nextOffset"/> is the offset to store (last done + 1).</summary>
    public bool TryAdvance(out long nextOffset)
    {
        while (_head < _tail && _holds[_head] == 0)
        {
            _lastDone = _offsets[_head];
            _head++;
        }

        nextOffset = _lastDone + 1;
        if (_lastDone == _reported)
        {
            return false;
        }

        _reported = _lastDone;
        return true;
    }

    private int IndexOf(long offset)
    {
        if (_tail > _head && _offsets[_tail - 1] == offset)
        {
            return _tail - 1; // the record being routed: held and released at the newest end
        }

        var index = Array.BinarySearch(_offsets, _head, _tail - _head, offset);
        return index >= 0 ? index : throw new InvalidOperationException($"Offset {offset} is not outstanding.");
    }

    private void Compact()
    {
        var live = _tail - _head;
        if (live > _offsets.Length / 2)
        {
            Array.Resize(ref _offsets, _offsets.Length * 2);
            Array.Resize(ref _holds, _holds.Length * 2);
            Array.Resize(ref _registeredAt, _registeredAt.Length * 2);
        }

        Array.Copy(_offsets, _head, _offsets, 0, live);
        Array.Copy(_holds, _head, _holds, 0, live);
        Array.Copy(_registeredAt, _head, _registeredAt, 0, live);
        _head = 0;
        _tail = live;
    }
}
