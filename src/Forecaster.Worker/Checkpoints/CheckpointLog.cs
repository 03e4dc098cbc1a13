namespace Forecaster.Worker.Checkpoints;

/// <summary>
/// Folds the records of one state partition, in log order, into what compaction would leave of one shard:
/// the latest record of each key, a tombstone removing its key. Nothing else is kept, so the fold of the
/// full log and of any compaction of it are the same, and so is everything restored from it (see
/// <see cref="StateRestorer.Decode"/>). A record that cannot be opened is kept with its reason under its
/// key (a later record of the key supersedes it, as compaction would).
/// </summary>
internal sealed class CheckpointLog
{
    private readonly string _topic;
    private readonly int _partition;
    private readonly string _modelKey;
    private readonly string _commitKey;

    public CheckpointLog(string stateTopic, string topic, int partition)
    {
        StateTopic = stateTopic;
        _topic = topic;
        _partition = partition;
        _modelKey = StateKeys.Model(topic, partition);
        _commitKey = StateKeys.Commit(topic, partition);
    }

    public string StateTopic { get; }

    /// <summary>The latest record of each series key still holding a value (tombstoned keys are absent).</summary>
    public Dictionary<string, LatestRecord> Series { get; } = new(StringComparer.Ordinal);

    /// <summary>The latest model record of group 0, if any.</summary>
    public LatestRecord? Model { get; private set; }

    /// <summary>The latest model record of each other model group's shape (<see cref="StateKeys.Model(string, int, string)"/>).</summary>
    public Dictionary<string, LatestRecord> ShapeModels { get; } = new(StringComparer.Ordinal);

    /// <summary>The latest commit marker, if any and if it could be opened.</summary>
    public (long Offset, long Sequence, CommitMarker Commit)? Marker { get; private set; }

    /// <summary>The latest commit marker could not be opened: its offset and the reason.</summary>
    public (long Offset, string Reason)? MarkerError { get; private set; }

    /// <summary>The highest checkpoint sequence seen, so the next checkpoint's supersedes everything.</summary>
    public long HighestSequence { get; private set; }

    public void Add(long offset, string? key, byte[]? value, long? tombstoneSequence)
    {
        if (key is null)
        {
            return;
        }

        var seriesId = StateKeys.SeriesId(key, _topic, _partition);
        if (seriesId is null && StateKeys.ModelShape(key, _modelKey) is { } shape)
        {
            AddShapeModel(offset, shape, value);
            return;
        }

        if (seriesId is null && key != _modelKey && key != _commitKey)
        {
            return; // Another shard's record.
        }

        if (value is null)
        {
            HighestSequence = Math.Max(HighestSequence, tombstoneSequence ?? 0);
            if (seriesId is not null)
            {
                Series.Remove(seriesId);
            }
            else
            {
                Bad(offset, null, key, "a tombstone without a series key");
            }

            return;
        }

        StateFrame frame;
        try
        {
            frame = StateEnvelope.Unwrap(value);
        }
        catch (InvalidDataException e)
        {
            Bad(offset, seriesId, key, e.Message);
            return;
        }

        var expected = seriesId is not null ? StateRecordKind.Series : key == _modelKey ? StateRecordKind.Model : StateRecordKind.Commit;
        if (frame.Kind != expected)
        {
            Bad(offset, seriesId, key, $"a {frame.Kind} record under key {key}");
            return;
        }

        HighestSequence = Math.Max(HighestSequence, frame.Sequence);
        switch (frame.Kind)
        {
            case StateRecordKind.Series: Series[seriesId!] = new LatestRecord(offset, frame, null); break;
            case StateRecordKind.Model: Model = new LatestRecord(offset, frame, null); break;
            default: Complete(offset, frame); break;
        }
    }

    /// <summary>A model record of another shape's group: kept when it opens (a tombstone or a bad one removes the shape's model, whose group then starts afresh).</summary>
    private void AddShapeModel(long offset, string shape, byte[]? value)
    {
        try
        {
            var frame = value is null ? default : StateEnvelope.Unwrap(value);
            if (value is not null && frame.Kind == StateRecordKind.Model)
            {
                HighestSequence = Math.Max(HighestSequence, frame.Sequence);
                ShapeModels[shape] = new LatestRecord(offset, frame, null);
                return;
            }
        }
        catch (InvalidDataException)
        {
        }

        ShapeModels.Remove(shape);
    }

    private void Bad(long offset, string? seriesId, string key, string reason)
    {
        var record = new LatestRecord(offset, default, reason);
        if (seriesId is not null)
        {
            Series[seriesId] = record;
        }
        else if (key == _modelKey)
        {
            Model = record;
        }
        else
        {
            MarkerError = (offset, reason);
            Marker = null;
        }
    }

    private void Complete(long offset, StateFrame frame)
    {
        try
        {
            Marker = (offset, frame.Sequence, CommitMarker.Parse(frame.Payload.Span));
            MarkerError = null;
        }
        catch (InvalidDataException e)
        {
            Bad(offset, null, _commitKey, e.Message);
        }
    }
}
