using System.Diagnostics;
using Forecaster.Worker.Processing;

namespace Forecaster.Worker.Checkpoints;

/// <summary>
/// One shard's checkpoint spread over several loop iterations. The caller pauses the shard's input
/// partition before creating the job, so nothing the job serialises can move until it ends, and resumes
/// it after. <see cref="Advance"/> produces series records until its time or count budget is spent;
/// once every record is acknowledged it asks the caller to see every forecast acknowledged, produces the
/// commit marker, and is done when that is acknowledged too. The job watches the shard: should anything
/// have moved it (a record of the paused partition, a model swap), it fails rather than commit a mixed
/// snapshot. Consume thread only.
/// </summary>
internal sealed class CheckpointJob
{
    private readonly CheckpointWriter _writer;
    private readonly SeriesEntry[] _entries;
    private readonly long _lastRegistered;
    private readonly long _modelVersion;
    private readonly int _seriesCount;
    private readonly long _ackTimeout;
    private long _ackDeadline;
    private int _next;

    /// <summary>Starts the checkpoint of <paramref name="shard"/> at input offset <paramref name="position"/>: tombstones and model are produced now.</summary>
    public CheckpointJob(CheckpointWriter writer, ShardCheckpoint shard, long position, TimeSpan ackTimeout)
    {
        _writer = writer;
        Shard = shard;
        Position = position;
        _ackTimeout = (long)(ackTimeout.TotalSeconds * Stopwatch.Frequency);
        _lastRegistered = shard.Shard.Offsets.LastRegistered;
        _modelVersion = shard.Shard.ModelStamp;
        _seriesCount = shard.Shard.SeriesCount;
        _entries = shard.Full ? [.. shard.Shard.Series] : [.. shard.Shard.Series.Where(e => e.Dirty)];
        Bytes = writer.WriteHead(shard, Acks);
    }

    public ShardCheckpoint Shard { get; }

    /// <summary>The input offset saved with this checkpoint: the shard's position when its partition was paused.</summary>
    public long Position { get; }

    public CheckpointAcks Acks { get; } = new();

    public CheckpointPhase Phase { get; private set; } = CheckpointPhase.Records;

    /// <summary>Value bytes produced so far.</summary>
    public long Bytes { get; private set; }

    /// <summary>Series records produced so far.</summary>
    public int SeriesWritten => _next;

    /// <summary>Series records this checkpoint produces in all.</summary>
    public int SeriesToWrite => _entries.Length;

    /// <summary>Why the job failed (phase <see cref="CheckpointPhase.Failed"/>).</summary>
    public string? FailureReason { get; private set; }

    /// <summary>Nothing absorbed, swapped, added or evicted since the job began.</summary>
    public bool ShardUnchanged =>
        Shard.Shard.Offsets.LastRegistered == _lastRegistered && Shard.Shard.ModelStamp == _modelVersion
        && Shard.Shard.SeriesCount == _seriesCount && Shard.Shard.PendingCount == 0;

    /// <summary>
    /// Does what can be done now without waiting: series records until <paramref name="until"/> (a
    /// <see cref="Stopwatch"/> timestamp) or <paramref name="maxSeries"/> records (at least one), then the
    /// marker once the records and the shard's forecasts are acknowledged (delivery reports applied by
    /// the caller). Returns the phase reached.
    /// </summary>
    public CheckpointPhase Advance(long until, int maxSeries)
    {
        if (Phase == CheckpointPhase.Records)
        {
            if (!ShardUnchanged)
            {
                return Fail("the shard's state moved under the checkpoint");
            }

            var written = 0;
            while (_next < _entries.Length && written < maxSeries && (written == 0 || Stopwatch.GetTimestamp() < until))
            {
                Bytes += _writer.WriteSeries(Shard, _entries[_next++], Position, Acks);
                written++;
            }

            if (_next < _entries.Length)
            {
                return Phase;
            }

            Phase = CheckpointPhase.Acks;
            _ackDeadline = Stopwatch.GetTimestamp() + _ackTimeout;
        }

        if (Phase == CheckpointPhase.Acks)
        {
            if (!Acknowledged(out var failure))
            {
                return failure is null ? Phase : Fail(failure);
            }

            if (!ShardUnchanged)
            {
                return Fail("the shard's state moved under the checkpoint");
            }

            if (Shard.Shard.Offsets.Unacknowledged > 0)
            {
                return Stopwatch.GetTimestamp() > _ackDeadline ? Fail("forecasts not acknowledged in time") : Phase;
            }

            Bytes += _writer.WriteMarker(Shard, Position, Acks);
            Phase = CheckpointPhase.MarkerAck;
            _ackDeadline = Stopwatch.GetTimestamp() + _ackTimeout;
            return Phase;
        }

        if (Phase == CheckpointPhase.MarkerAck)
        {
            if (!Acknowledged(out var failure))
            {
                return failure is null ? Phase : Fail(failure);
            }

            Phase = CheckpointPhase.Done;
        }

        return Phase;
    }

    /// <summary>True when every record is acknowledged; otherwise <paramref name="failure"/> says why it never will be (null: wait).</summary>
    private bool Acknowledged(out string? failure)
    {
        failure = null;
        if (Acks.Failed)
        {
            failure = Acks.LastError?.Reason ?? "a state record was refused";
            return false;
        }

        if (Acks.InFlight == 0)
        {
            return true;
        }

        if (Stopwatch.GetTimestamp() > _ackDeadline)
        {
            failure = "state records not acknowledged in time";
        }

        return false;
    }

    private CheckpointPhase Fail(string reason)
    {
        FailureReason = reason;
        Phase = CheckpointPhase.Failed;
        return Phase;
    }
}
