using System.Text;
using Confluent.Kafka;
using Forecaster.Core.Forecasting;
using Forecaster.Worker.Checkpoints;

namespace Forecaster.Worker.Tests.Driver;

/// <summary>
/// Reads a shard's checkpoint back from the fake state topic (committed records only), decoding it as the
/// real restorer does (<see cref="StateRestorer.Decode"/>). <see cref="Gate"/>, when set, holds every read
/// until it opens: a restore as slow as a test wants.
/// </summary>
internal sealed class FakeStateReader(FakeCluster cluster, string stateTopic, ForecastSettings settings) : IStateReader
{
    private readonly StateRestorer _decoder = new(new ConsumerConfig(), stateTopic, settings, TimeSpan.FromSeconds(1));

    public ManualResetEventSlim? Gate { get; set; }

    private int _reads;
    private int _completed;
    private int _requested;

    /// <summary>Reads the loop asked for so far (counted on its thread, before they start).</summary>
    public int Requests => Volatile.Read(ref _requested);

    /// <summary>Reads begun so far (any thread).</summary>
    public int Reads => Volatile.Read(ref _reads);

    /// <summary>Reads finished so far, successfully or not (any thread).</summary>
    public int Completed => Volatile.Read(ref _completed);

    public void Requested(int count) => Interlocked.Add(ref _requested, count);

    public RestoredShard? Read(string topic, int partition, out long highestSequence, out IReadOnlyList<string> orphans)
    {
        Interlocked.Increment(ref _reads);
        try
        {
            return ReadLog(topic, partition, out highestSequence, out orphans);
        }
        finally
        {
            Interlocked.Increment(ref _completed);
        }
    }

    private RestoredShard? ReadLog(string topic, int partition, out long highestSequence, out IReadOnlyList<string> orphans)
    {
        if (Gate is { } gate && !gate.Wait(TimeSpan.FromSeconds(30)))
        {
            throw new TimeoutException("the test never opened the restore gate");
        }

        var log = new CheckpointLog(stateTopic, topic, partition);
        foreach (var record in cluster.Read(new TopicPartition(stateTopic, partition)))
        {
            log.Add(record.Offset, record.Key is null ? null : Encoding.UTF8.GetString(record.Key), record.Value, Sequence(record.Headers));
        }

        highestSequence = log.HighestSequence;
        if (log.MarkerError is { } bad)
        {
            throw new StateRestoreException($"State record at offset {bad.Offset} refused: {bad.Reason}.", log.HighestSequence) { Orphans = [.. log.Series.Keys] };
        }

        orphans = log.Marker is null ? [.. log.Series.Keys] : [];
        return log.Marker is null ? null : _decoder.Decode(log, partition);
    }

    private static long? Sequence(Headers? headers) =>
        headers is not null && headers.TryGetLastBytes(StateEnvelope.SequenceHeader, out var bytes) && bytes.Length == 8 ? BitConverter.ToInt64(bytes) : null;
}
