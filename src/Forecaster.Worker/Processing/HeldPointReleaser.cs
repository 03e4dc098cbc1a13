namespace Forecaster.Worker.Processing;

/// <summary>
/// Keeps a quiet series from pinning its partition's committed offset: a point its timeline still holds
/// (learning the step, or in an open bucket) is detached from its input offset once it has been held
/// longer than the wall-clock bound, or is older than the shard's stream time by more than the stream
/// bound, or when the shard tracks more offsets than its cap. A detached point stays in the series' state,
/// which the checkpoint saves, so nothing is lost (the worker only detaches with checkpoints on: the
/// stored offset never passes the last checkpoint). The shard is scanned only when its oldest outstanding
/// offset is past a bound, its tracker is over the cap, or stream time moved a bound since the last scan.
/// Consume thread only.
/// </summary>
internal sealed class HeldPointReleaser
{
    private readonly long _wallTicks;
    private readonly long _streamMs;
    private readonly int _maxOutstanding;
    private readonly Dictionary<Shard, long> _lastScanStream = [];

    /// <param name="wallTicks">The wall-clock bound in ticks of the clock the offsets are registered with (0: none).</param>
    /// <param name="streamMs">The stream-time bound in ms (0: none).</param>
    /// <param name="maxOutstanding">The cap of offsets a shard tracks.</param>
    public HeldPointReleaser(long wallTicks, long streamMs, int maxOutstanding)
    {
        _wallTicks = wallTicks;
        _streamMs = streamMs;
        _maxOutstanding = maxOutstanding;
    }

    /// <summary>Detaches what is due in <paramref name="shard"/> at time <paramref name="now"/> (same clock as the registrations); returns the points detached.</summary>
    public int Release(Shard shard, long now)
    {
        var offsets = shard.Offsets;
        if (offsets.OldestOutstanding < 0)
        {
            return 0;
        }

        var overCap = offsets.Outstanding > _maxOutstanding;
        var wallDue = _wallTicks > 0 && now - offsets.OldestRegisteredAt > _wallTicks;
        _lastScanStream.TryGetValue(shard, out var lastScan);
        var streamDue = _streamMs > 0 && shard.StreamTimeMs != long.MinValue && shard.StreamTimeMs - lastScan >= _streamMs;
        if (!overCap && !wallDue && !streamDue)
        {
            return 0;
        }

        _lastScanStream[shard] = shard.StreamTimeMs;
        var cutoff = overCap ? offsets.OutstandingAt(_maxOutstanding / 2) : -1;
        var stream = shard.StreamTimeMs;
        var detached = 0;
        foreach (var series in shard.Series)
        {
            if (!series.Timeline.HoldsTrackedOffsets)
            {
                continue;
            }

            series.Timeline.DetachHeld(
                held => held.Offset < cutoff
                    || (_streamMs > 0 && stream - held.Ts > _streamMs)
                    || (_wallTicks > 0 && now - offsets.RegisteredAt(held.Offset) > _wallTicks),
                offset =>
                {
                    offsets.Release(offset);
                    detached++;
                });
        }

        return detached;
    }

    /// <summary>Forgets a shard that left.</summary>
    public void Forget(Shard shard) => _lastScanStream.Remove(shard);
}
