using Forecaster.Worker.Hosting;
using Forecaster.Worker.Processing;

namespace Forecaster.Worker.Delivery;

/// <summary>
/// How the loop makes its work durable: when offsets are stored or committed, and what a delivery failure,
/// a revoke, a loss and shutdown mean for them. One of <see cref="OffsetCommit"/> (no state: offsets follow
/// acknowledged work), <see cref="CheckpointCommit"/> (at-least-once: offsets follow acknowledged
/// checkpoints) or <see cref="TransactionalCommit"/> (exactly-once). Its punctuation is the due work of each
/// turn of the loop: a checkpoint round's next share, a transaction commit, a rewind. Consume thread only.
/// </summary>
internal interface ICommitProtocol : IPunctuator
{
    /// <summary>The consume timeout for the next poll (short while a checkpoint is being spread).</summary>
    TimeSpan PollTimeout(TimeSpan idle);

    /// <summary>Before the first poll (opens the first transaction).</summary>
    void Start();

    /// <summary>Applies delivery reports and advances (or stores) offsets; acts on a delivery failure.</summary>
    void Settle();

    /// <summary>Inside the revoke callback, once the revoked shards are stepped, flushed and settled, before they are dropped.</summary>
    void Revoked(IReadOnlyList<OwnedShard> revoked);

    /// <summary>Inside the lost callback, before the shards are dropped: nothing of theirs may be committed.</summary>
    void Lost();

    /// <summary>A shard is being dropped: forget what is in flight for it.</summary>
    void Dropped(OwnedShard owned);

    /// <summary>At shutdown, once every shard is stepped, flushed and settled: the last checkpoint or commit.</summary>
    void Shutdown();
}
