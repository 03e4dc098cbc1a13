namespace Forecaster.Worker.Checkpoints;

/// <summary>Reads the last complete checkpoint of one input partition back from the state topic (<see cref="StateRestorer"/>; a fake in the test driver).</summary>
internal interface IStateReader
{
    /// <summary>The last complete checkpoint of input <paramref name="topic"/> partition <paramref name="partition"/>, null when there is none; <paramref name="highestSequence"/> is the highest sequence seen, <paramref name="orphans"/> the series keys no marker vouches for.</summary>
    /// <exception cref="StateRestoreException">A record of this shard is refused.</exception>
    /// <exception cref="TimeoutException">The partition could not be read to its end in time.</exception>
    /// <exception cref="Confluent.Kafka.KafkaException">The state topic cannot be read.</exception>
    RestoredShard? Read(string topic, int partition, out long highestSequence, out IReadOnlyList<string> orphans);

    /// <summary>
    /// Told on the loop's thread, before <paramref name="count"/> reads start on pool threads, so a reader can tell
    /// reads asked for from reads begun (the test driver waits for every one asked for; the real reader needs nothing).
    /// </summary>
    void Requested(int count)
    {
    }
}
