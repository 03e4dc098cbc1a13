using System.Diagnostics;
using Forecaster.Worker.Checkpoints;
using Forecaster.Worker.Hosting;
using Forecaster.Worker.Observability;
using Forecaster.Worker.Processing;

namespace Forecaster.Worker.Delivery;

/// <summary>
/// At-least-once with checkpoints. A checkpoint is taken when no series is pending, and its commit marker
/// is produced only after every forecast so far is acknowledged, so the input offset it saves (the next
/// one the shard would read) covers exactly what the state absorbed. Consumer offsets are stored only
/// after a checkpoint is acknowledged, and never beyond it. Interval checkpoints are spread over turns of
/// the loop (<see cref="CheckpointRound"/>); revoke and shutdown take theirs in one go (<see cref="Checkpoint"/>).
/// A failed delivery ends the loop.
/// </summary>
internal sealed class CheckpointCommit : ICommitProtocol
{
    private static readonly TimeSpan SpreadPollTimeout = TimeSpan.FromMilliseconds(1);

    private readonly LoopServices _loop;
    private readonly CheckpointWriter _writer;
    private readonly OffsetSettler _settler;
    private readonly CheckpointRound _round;

    public CheckpointCommit(LoopServices loop, CheckpointWriter writer)
    {
        _loop = loop;
        _writer = writer;
        _settler = new OffsetSettler(loop);
        _round = new CheckpointRound(loop, writer, FlushAndSettle);
    }

    /// <summary>Short while a shard is frozen for its checkpoint, so its chunks follow each other quickly.</summary>
    public TimeSpan PollTimeout(TimeSpan idle) => _round.Busy ? SpreadPollTimeout : idle;

    public void Start()
    {
    }

    public void Settle() => OffsetCommit.FailOnDeliveryError(_loop, _settler.Settle(storeOffsets: false));

    public void Punctuate() => _round.IfDue();

    public void Revoked(IReadOnlyList<OwnedShard> revoked) =>
        Checkpoint([.. revoked.Select(s => s.Checkpoint).OfType<ShardCheckpoint>()], CheckpointTriggers.Revoke);

    public void Lost()
    {
    }

    public void Dropped(OwnedShard owned) => _round.Drop(owned.Topic, owned.Partition);

    public void Shutdown() => Checkpoint(_loop.Shards.Checkpoints(), CheckpointTriggers.Shutdown);

    /// <summary>
    /// Revoke and shutdown, in one go (bounded by the rebalance and shutdown timeouts): finishes a spread
    /// checkpoint in flight, waits for the forecasts to be acknowledged, checkpoints each shard that changed
    /// and has none unacknowledged (<see cref="BlockingCheckpoint"/>), and only then stores each shard's
    /// offset: the oldest input still held by a timeline, at most the checkpointed offset.
    /// </summary>
    private void Checkpoint(List<ShardCheckpoint> shards, string trigger)
    {
        if (_loop.Failure.Failed)
        {
            return;
        }

        var clock = Stopwatch.StartNew();
        _round.Finish();
        FlushAndSettle();
        var (written, bytes, failed, reason) = new BlockingCheckpoint(_writer, FlushAndSettle).Run(shards);
        if (failed.Count > 0)
        {
            foreach (var shard in failed)
            {
                shard.Full = true;
                shard.NextSequence++;
            }

            _loop.Metrics.CheckpointFailures.Inc();
            StateLog.CheckpointFailed(_loop.Logger, reason ?? "failed");
        }

        foreach (var shard in shards)
        {
            CheckpointOffsets.Store(_loop, shard);
        }

        _loop.Metrics.CheckpointBytes.Inc(bytes);
        if (failed.Count == 0)
        {
            _round.Checkpointed();
        }

        _loop.Metrics.CheckpointDuration.Observe(clock.Elapsed.TotalSeconds);
        _loop.Metrics.CheckpointPause.WithLabels(trigger).Observe(clock.Elapsed.TotalSeconds);
        StateLog.Checkpointed(_loop.Logger, written.Count, bytes, clock.Elapsed.TotalSeconds);
    }

    private void FlushAndSettle()
    {
        _loop.Publisher.Flush(_loop.FlushTimeout);
        Settle();
    }
}
