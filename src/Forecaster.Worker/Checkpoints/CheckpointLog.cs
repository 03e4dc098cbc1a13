namespace Forecaster.Worker.Checkpoints;

/// <summary>
/// Folds the records of one state partition, in log order, into the last complete checkpoint of one shard.
/// Records of a sequence are pending until its commit marker arrives; a new sequence before the marker
/// discards the pending ones (a checkpoint cut short by a crash). A record that cannot be opened is kept
/// with its reason under its key: it only refuses the restore if it is still part of the last complete
/// checkpoint at the end (a later record of the same key supersedes it, as compaction would).
/// </summary>
internal sealed class CheckpointLog
{
    private readonly string _stateTopic;
    private readonly string _topic;
    private readonly int _partition;
    private readonly string _modelKey;
    private readonly string _commitKey;
    private readonly Dictionary<string, (long Offset, ReadOnlyMemory<byte>? Payload, string? Error)> _pending = new(StringComparer.Ordinal);
    private (long Offset, ReadOnlyMemory<byte> Payload, string? Error)? _pendingModel;
    private long _pendingSequence = -1;

    public CheckpointLog(string stateTopic, string topic, int partition)
    {
        _stateTopic = stateTopic;
        _topic = topic;
        _partition = partition;
        _modelKey = StateKeys.Model(topic, partition);
        _commitKey = StateKeys.Commit(topic, partition);
    }

    /// <summary>Series records of the last complete checkpoint; Error is the reason one could not be opened.</summary>
    public Dictionary<string, (long Offset, ReadOnlyMemory<byte> Payload, string? Error)> Series { get; } = new(StringComparer.Ordinal);

    public (long Offset, ReadOnlyMemory<byte> Payload, string? Error)? Model { get; private set; }

    public (long Offset, long Sequence, CommitMarker Commit)? Marker { get; private set; }

    /// <summary>The last commit marker could not be opened: its offset and the reason.</summary>
    public (long Offset, string Reason)? MarkerError { get; private set; }

    public long HighestSequence { get; private set; }

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
                Bad(offset, seriesId, key, "a tombstone without a series key or sequence header");
                return;
            }

            Stage(tombstoneSequence.Value);
            _pending[seriesId] = (offset, null, null);
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
            Bad(offset, seriesId, key, e.Message);
            return;
        }

        var expected = seriesId is not null ? StateRecordKind.Series : key == _modelKey ? StateRecordKind.Model : StateRecordKind.Commit;
        if (kind != expected)
        {
            Bad(offset, seriesId, key, $"a {kind} record under key {key}");
            return;
        }

        Stage(sequence);
        switch (kind)
        {
            case StateRecordKind.Series: _pending[seriesId!] = (offset, payload, null); break;
            case StateRecordKind.Model: _pendingModel = (offset, payload, null); break;
            default: Complete(offset, sequence, payload); break;
        }
    }

    /// <summary>Remembers a record that cannot be opened under its key, in the sequence being read.</summary>
    private void Bad(long offset, string? seriesId, string key, string reason)
    {
        if (seriesId is not null)
        {
            _pending[seriesId] = (offset, default, reason);
        }
        else if (key == _modelKey)
        {
            _pendingModel = (offset, default, reason);
        }
        else
        {
            MarkerError = (offset, reason);
            _pending.Clear();
            _pendingModel = null;
            _pendingSequence = -1;
        }
    }

    private void Stage(long sequence)
    {
        HighestSequence = Math.Max(HighestSequence, sequence);
        if (sequence != _pendingSequence)
        {
            // Records that could not be opened before any sequence started belong to this one.
            if (_pendingSequence != -1)
            {
                _pending.Clear();
                _pendingModel = null;
            }

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
            Bad(offset, null, _commitKey, e.Message);
            return;
        }

        foreach (var (id, record) in _pending)
        {
            if (record.Payload is { } bytes || record.Error is not null)
            {
                Series[id] = (record.Offset, record.Payload ?? default, record.Error);
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
        MarkerError = null;
        _pending.Clear();
        _pendingModel = null;
        _pendingSequence = -1;
    }
}
