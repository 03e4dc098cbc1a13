using Confluent.Kafka;
using Forecaster.Core.Forecasting;
using Forecaster.Worker.Checkpoints;
using Forecaster.Worker.Ingest;
using Forecaster.Worker.Options;
using Forecaster.Worker.Processing;
using Forecaster.Worker.Tests.Hosting;

namespace Forecaster.Worker.Tests.Checkpoints;

/// <summary>
/// A shard driven by hand, for checkpoint tests that need no worker: points offered one per step (each a
/// record of its own offset, stepped alone so batch composition never matters), checkpoints written through
/// the real <see cref="CheckpointWriter"/> to the mock broker, and every series' checkpoint bytes for comparison.
/// </summary>
internal sealed class ShardFeed
{
    private readonly RecordDecoder _decoder = new(new IngestOptions());
    private readonly CheckpointWriter _writer;
    private long _offset;

    /// <summary>A feed of <paramref name="shard"/> whose points start at input offset <paramref name="firstOffset"/>.</summary>
    public ShardFeed(IProducer<byte[], byte[]> producer, string stateTopic, Shard shard, string inputTopic, long firstOffset = 0)
    {
        _offset = firstOffset;
        Shard = shard;
        _writer = new CheckpointWriter(producer, stateTopic, shard.Forecaster.Settings);
        Checkpoints = new ShardCheckpoint(inputTopic, shard, 1, -1);
    }

    public Shard Shard { get; }

    public ShardCheckpoint Checkpoints { get; }

    /// <summary>One point per step of each series s{n} in <paramref name="series"/>, steps [from, to).</summary>
    public void Feed(IEnumerable<int> series, int from, int to)
    {
        var list = series.ToList();
        for (var t = from; t < to; t++)
        {
            foreach (var s in list)
            {
                var json = TopicIo.Point("s" + s, TopicIo.T0 + (t * 60_000L), 50 + (10 * Math.Sin((t + s) * 0.5)) + s);
                Assert.Null(_decoder.Decode(System.Text.Encoding.UTF8.GetBytes(json), InputFormat.Auto, TopicIo.T0 + (1000 * 60_000L)));
                var offset = _offset++;
                Shard.Position = offset + 1;
                Shard.Offsets.Register(offset);
                Shard.Offer(_decoder.Record, _decoder.Ids, 0, offset);
                Shard.Offsets.Release(offset);
                Shard.Flush();
            }
        }
    }

    /// <summary>A whole checkpoint (full the first time, incremental after), acknowledged and committed.</summary>
    public void Checkpoint()
    {
        Shard.Flush();
        var acks = new CheckpointAcks();
        var position = Checkpoints.Position;
        _writer.Write(Checkpoints, position, acks);
        Assert.Equal(0, _writer.Collector.Flush(TimeSpan.FromSeconds(10)));
        Assert.True(acks.Completed(out _));
        CheckpointWriter.Commit(Checkpoints, position);
    }

    /// <summary>Every series of <paramref name="series"/> as its checkpoint payload (base64) by id, encoded under <paramref name="settings"/>.</summary>
    public static Dictionary<string, string> Bytes(IEnumerable<SeriesEntry> series, ForecastSettings settings)
    {
        var codec = new SeriesEntryCodec(settings);
        return series.ToDictionary(e => e.Id, e => Convert.ToBase64String(codec.Encode(e)));
    }

    /// <summary>Asserts <paramref name="actual"/> holds the same series as <paramref name="expected"/>, bit for bit.</summary>
    public static void AssertSameSeries(Dictionary<string, string> expected, Dictionary<string, string> actual, string what)
    {
        Assert.Equal(expected.Keys.Order(StringComparer.Ordinal), actual.Keys.Order(StringComparer.Ordinal));
        foreach (var (id, bytes) in expected)
        {
            Assert.True(bytes == actual[id], $"{what}: series {id} differs");
        }
    }

    /// <summary>A sink that discards every forecast.</summary>
    public sealed class NullSink : IForecastSink
    {
        public void Publish(Shard shard, SeriesEntry series, long originMs, BatchForecaster forecaster, int slot, long offset, OffsetTracker offsets)
        {
        }
    }
}
