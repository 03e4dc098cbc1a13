namespace Forecaster.Worker.Processing;

/// <summary>
/// The series of one shard by id, with a cap: finding a series makes it the most recent, and adding
/// one beyond the cap evicts the least recently seen. Keys are UTF-8 series ids; lookups by a byte span allocate nothing.
/// </summary>
internal sealed class SeriesTable
{
    private readonly Dictionary<byte[], SeriesEntry> _byId = new(SeriesKeyComparer.Instance);
    private readonly Dictionary<byte[], SeriesEntry>.AlternateLookup<ReadOnlySpan<byte>> _bySpan;
    private readonly int _capacity;
    private SeriesEntry? _newest;
    private SeriesEntry? _oldest;

    public SeriesTable(int capacity)
    {
        _capacity = capacity;
        _bySpan = _byId.GetAlternateLookup<ReadOnlySpan<byte>>();
    }

    public int Count => _byId.Count;

    /// <summary>Every series, in no particular order (checkpoints).</summary>
    public Dictionary<byte[], SeriesEntry>.ValueCollection Entries => _byId.Values;

    /// <summary>Finds a series and marks it the most recently seen.</summary>
    public bool TryTouch(ReadOnlySpan<byte> key, out SeriesEntry entry)
    {
        if (!_bySpan.TryGetValue(key, out entry!))
        {
            return false;
        }

        Touch(entry);
        return true;
    }

    /// <summary>Finds a series without marking it seen.</summary>
    public bool TryGet(ReadOnlySpan<byte> key, out SeriesEntry entry) => _bySpan.TryGetValue(key, out entry!);

    /// <summary>Marks a series of this table the most recently seen.</summary>
    public void Touch(SeriesEntry entry)
    {
        Unlink(entry);
        LinkNewest(entry);
    }

    /// <summary>Adds a new series as the most recent; returns the evicted one when the cap was reached.</summary>
    public SeriesEntry? Add(SeriesEntry entry)
    {
        SeriesEntry? evicted = null;
        if (_byId.Count >= _capacity && _oldest is not null)
        {
            evicted = _oldest;
            Unlink(evicted);
            _byId.Remove(evicted.Key);
        }

        _byId.Add(entry.Key, entry);
        LinkNewest(entry);
        return evicted;
    }

    private void LinkNewest(SeriesEntry entry)
    {
        entry.Older = _newest;
        entry.Newer = null;
        if (_newest is not null)
        {
            _newest.Newer = entry;
        }

        _newest = entry;
        _oldest ??= entry;
    }

    private void Unlink(SeriesEntry entry)
    {
        if (entry.Newer is not null)
        {
            entry.Newer.Older = entry.Older;
        }
        else
        {
            _newest = entry.Older;
        }

        if (entry.Older is not null)
        {
            entry.Older.Newer = entry.Newer;
        }
        else
        {
            _oldest = entry.Newer;
        }

        entry.Newer = entry.Older = null;
    }
}
