namespace Forecaster.Worker.Checkpoints;

/// <summary>
/// Folds the records of one state partition, in log order, into the last complete checkpoint of one shard.
/// Records of a sequence are pending until its commit marker arrives; a new sequence before the marker
/// discards the pending ones (a checkpoint cut short by a crash).
/// </summary>
internal sealed class CheckpointLog
{
    private readonly string _stateTopic;
    private readonly string _topic;
    private readonly int _partition;
    private readonly string _modelKey;
    private readonly string _commitKey;
    private readonly Dictionary<string, (long Offset, ReadOnlyMemory<byte>? Payload)> _pending = new(StringComparer.Ordinal);
    private (long Offset, ReadOnlyMemory<byte> Payload)? _pendingModel;
    private long _pendingSequence = -1;

    public CheckpointLog(string stateTopic, string topic, int partition)
    {
        _stateTopic = stateTopic;
        _topic = topic;
        _partition = partition;
        _modelKey = StateKeys.Model(topic, partition);
        _commitKey = StateKeys.Commit(topic, partition);
    }

    public Dictionary<string, (long Offset, ReadOnlyMemory<byte> Payload)> Series { get; } = new(StringComparer.Ordinal);

    public (long Offset, ReadOnlyMemory<byte> Payload)? Model { get; private set; }

    public (long Offset, long Sequence, CommitMarker Commit)? Marker { get; private set; }

    public long HighestSequence { get; private set; }

    /// <exception cref="StateRestoreException">A record of this shard cannot be opened.</exception>
    public void Add(long offset, string? key, byte[]? value, long? tombstoneSequence)
    {
        if (key is null)
        {
            return;
        }

        var seriesId = StateKeys.SeriesId(key, _topic, _partition);
        if (seriesId is null && key != _modelKey && key != _commitKey)
        {
            return; // Another shard's record.
        }

        if (value is null)
        {
            if (seriesId is null || tombstoneSequence is null)
            {
                throw Refused(offset, "a tombstone without a series key or sequence header");
            }

            Stage(tombstoneSequence.Value);
            _pending[seriesId] = (offset, null);
            return;
        }

        StateRecordKind kind;
        long sequence;
        ReadOnlyMemory<byte> payload;
        try
        {
            (kind, sequence, payload) = StateEnvelope.Unwrap(value);
        }
        catch (InvalidDataException e)
        {
            throw Refused(offset, e.Message, e);
        }

        var expected = seriesId is not null ? StateRecordKind.Series : key == _modelKey ? StateRecordKind.Model : StateRecordKind.Commit;
        if (kind != expected)
        {
            throw Refused(offset, $"a {kind} record under key {key}");
        }

        Stage(sequence);
        switch (kind)
        {
            case StateRecordKind.Series: _pending[seriesId!] = (offset, payload); break;
            case StateRecordKind.Model: _pendingModel = (offset, payload); break;
            default: Complete(offset, sequence, payload); break;
        }
    }

    private void Stage(long sequence)
    {
        HighestSequence = Math.Max(HighestSequence, sequence);
        if (sequence != _pendingSequence)
        {
            _pending.Clear();
            _pendingModel = null;
            _pendingSequence = sequence;
        }
    }

    private void Complete(long offset, long sequence, ReadOnlyMemory<byte> payload)
    {
        CommitMarker marker;
        try
        {
            marker = CommitMarker.Parse(payload.Span);
        }
        catch (InvalidDataException e)
        {
            throw Refused(offset, e.Message, e);
        }

        foreach (var (id, record) in _pending)
        {
            if (record.Payload is { } bytes)
            {
                Series[id] = (record.Offset, bytes);
            }
            else
            {
                Series.Remove(id);
            }
        }

        if (_pendingModel is not null)
        {
            Model = _pendingModel;
        }

        Marker = (offset, sequence, marker);
        _pending.Clear();
        _pendingModel = null;
        _pendingSequence = -1;
    }

    private StateRestoreException Refused(long offset, string reason, Exception? inner = null) =>
        new($"State record {_stateTopic} [{_partition}] at offset {offset} refused: {reason}.", HighestSequence, inner);
}
