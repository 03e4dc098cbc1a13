namespace Forecaster.Worker.Checkpoints;

/// <summary>
/// The checkpoint of revoke and shutdown, in one go (bounded by the flush timeout the caller's
/// <c>flushAndSettle</c> uses): a shard whose forecasts or dead letters are not all acknowledged is not
/// checkpointed (its marker would save an input offset past them); the others produce their records,
/// and only once every record is acknowledged (and the shard's forecasts still are) their commit markers.
/// A refused record or marker fails the checkpoint of every shard in it; nothing throws.
/// </summary>
internal sealed class BlockingCheckpoint
{
    private readonly CheckpointWriter _writer;
    private readonly Action _flushAndSettle;

    /// <param name="writer">Produces the records.</param>
    /// <param name="flushAndSettle">Flushes the producer (bounded) and applies the delivery reports of forecasts and dead letters.</param>
    public BlockingCheckpoint(CheckpointWriter writer, Action flushAndSettle)
    {
        _writer = writer;
        _flushAndSettle = flushAndSettle;
    }

    /// <summary>Checkpoints the changed ones of <paramref name="shards"/>; the shards committed (their offsets may be stored) and those that failed, with the reason.</summary>
    public (List<(ShardCheckpoint Shard, long Position)> Written, long Bytes, List<ShardCheckpoint> Failed, string? Reason) Run(IEnumerable<ShardCheckpoint> shards)
    {
        var failed = new List<ShardCheckpoint>();
        string? reason = null;
        var due = new List<(ShardCheckpoint Shard, long Position)>();
        foreach (var shard in shards)
        {
            var position = shard.Position;
            if (position < 0 || !shard.HasChanges(position))
            {
                continue;
            }

            if (shard.Shard.Offsets.Unacknowledged > 0)
            {
                failed.Add(shard);
                reason = $"{shard.Topic} [{shard.Shard.Partition}]: {shard.Shard.Offsets.Unacknowledged} forecasts or dead letters not acknowledged";
                continue;
            }

            due.Add((shard, position));
        }

        var acks = new CheckpointAcks();
        long bytes = 0;
        foreach (var (shard, position) in due)
        {
            bytes += _writer.WriteRecords(shard, position, acks);
        }

        _flushAndSettle();
        if (due.Count > 0 && !acks.Completed(out var error))
        {
            return ([], bytes, [.. failed, .. due.Select(d => d.Shard)], error?.Reason ?? "state records not acknowledged in time");
        }

        var marked = new List<(ShardCheckpoint Shard, long Position)>();
        foreach (var (shard, position) in due)
        {
            if (shard.Shard.Offsets.Unacknowledged > 0 || shard.Shard.Offsets.LastRegistered >= position)
            {
                failed.Add(shard); // Moved while its records were in flight.
                reason = $"{shard.Topic} [{shard.Shard.Partition}]: the shard moved under its checkpoint";
                continue;
            }

            bytes += _writer.WriteMarker(shard, position, acks);
            marked.Add((shard, position));
        }

        _flushAndSettle();
        if (marked.Count > 0 && !acks.Completed(out error))
        {
            return ([], bytes, [.. failed, .. marked.Select(d => d.Shard)], error?.Reason ?? "commit markers not acknowledged in time");
        }

        foreach (var (shard, position) in marked)
        {
            CheckpointWriter.Commit(shard, position);
        }

        return (marked, bytes, failed, reason);
    }
}
