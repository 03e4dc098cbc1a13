using Confluent.Kafka;
using Forecaster.Worker.Observability;
using Forecaster.Worker.Processing;

namespace Forecaster.Worker.Hosting;

/// <summary>Exactly-once mode after an abort: the shards go back to their last committed checkpoint.</summary>
internal sealed partial class ConsumeLoop
{
    /// <summary>
    /// After an abort: every shard is replaced by one restored from its last committed checkpoint and its
    /// input sought back to that checkpoint's offset (the committed group offset, else the beginning, when
    /// it has none), as on a fresh assignment. Records handled since the abort are read again.
    /// </summary>
    private void Rewind()
    {
        AbortTransaction();
        _abortReason = null;
        foreach (var (key, old) in _shards.ToList())
        {
            if (_fatal is not null)
            {
                return;
            }

            if (old.Position < 0)
            {
                continue; // Nothing read since it was assigned and restored: it already holds the committed state.
            }

            var tp = new TopicPartition(key.Topic, key.Partition);
            var shard = new Shard(key.Partition, _series, _settings, _publisher!);
            _shards[key] = shard;
            _checkpoints.Remove(key);
            var start = RestoreShard(tp, shard, ReadStates([tp])?[0]);
            try
            {
                if (start == Offset.Unset)
                {
                    var committed = _consumer!.Committed([tp], TimeSpan.FromSeconds(_state.RestoreTimeoutSeconds)).Single().Offset;
                    start = committed.Value >= 0 ? committed : Offset.Beginning;
                }

                _consumer!.Seek(new TopicPartitionOffset(tp, start));
                TransactionLog.Rewound(_logger, key.Topic, key.Partition, start.Value);
            }
            catch (KafkaException e)
            {
                OnError(new Error(e.Error.Code, $"Rewinding {tp} failed: {e.Error.Reason}", isFatal: true));
            }
        }

        AbandonTraining();
    }
}
