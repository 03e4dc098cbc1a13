using Confluent.Kafka;
using Forecaster.Worker.Processing;

namespace Forecaster.Worker.Hosting;

/// <summary>
/// The lag punctuator, once a second, per partition: detaches held points past their bound (active shards only); the lag gauges
/// (high watermark, as last fetched, no broker call, minus the position and minus the offset stored for
/// commit), the age of the oldest outstanding offset and the count outstanding.
/// </summary>
internal sealed class LagGauges(LoopServices loop, HeldPointReleaser? heldPoints) : IPunctuator
{
    private long _last;

    public void Punctuate()
    {
        var now = loop.Time.GetTimestamp();
        if (loop.Time.GetElapsedTime(_last, now) < TimeSpan.FromSeconds(1))
        {
            return;
        }

        _last = now;
        var metrics = loop.Metrics;
        foreach (var owned in loop.Shards.All)
        {
            var shard = owned.Shard;
            var label = owned.Partition.ToString(System.Globalization.CultureInfo.InvariantCulture);
            // Not while frozen for its checkpoint, nor while restoring: a put shared out over turns has series in the shard
            // whose held offsets it has not registered yet (detaching one threw, and ended the loop).
            if (heldPoints is not null && owned.Phase == ShardPhase.Active)
            {
                metrics.HeldPointsDetached.Inc(heldPoints.Release(shard, now));
            }

            var high = loop.Consumer.GetWatermarkOffsets(new TopicPartition(owned.Topic, owned.Partition)).High;
            if (high.Value >= 0 && shard.Position >= 0)
            {
                metrics.ConsumerLag.WithLabels(label).Set(Math.Max(0, high.Value - shard.Position));
            }

            var stored = owned.Checkpoint?.StoredOffset ?? shard.Offsets.NextToStore;
            if (high.Value >= 0 && stored >= 0)
            {
                metrics.CommittedLag.WithLabels(label).Set(Math.Max(0, high.Value - stored));
            }

            metrics.OffsetsOutstanding.WithLabels(label).Set(shard.Offsets.Outstanding);
            metrics.HeldOffsetAge.WithLabels(label).Set(
                shard.Offsets.OldestOutstanding < 0 || shard.Offsets.OldestRegisteredAt == 0 ? 0 : loop.Time.GetElapsedTime(shard.Offsets.OldestRegisteredAt, now).TotalSeconds);
        }
    }
}
