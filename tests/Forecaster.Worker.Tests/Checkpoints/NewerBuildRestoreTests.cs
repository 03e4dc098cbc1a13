using System.Buffers.Binary;
using System.Text;
using Confluent.Kafka;
using Forecaster.Core.Checkpoints;
using Forecaster.Core.Forecasting;
using Forecaster.Worker.Checkpoints;
using Forecaster.Worker.Options;
using Forecaster.Worker.Processing;
using Forecaster.Worker.Tests.Hosting;

namespace Forecaster.Worker.Tests.Checkpoints;

/// <summary>
/// A rolling update moves partitions from updated pods to old ones, and a rollback moves all of them: a state topic
/// written by a newer build must restore on this one. A newer build's series records are simulated byte by byte
/// from this build's (its format number, "readable from", an extension of new fields, and fields appended to the
/// timeline), independently of this build's writer.
/// </summary>
[Collection(MockClusterTests.Name)]
public sealed class NewerBuildRestoreTests(MockClusterFixture cluster) : IDisposable
{
    private const int Partition = 1;
    private readonly ForecastSettings _settings = StateWorker.Model.ToSettings();
    private readonly SeriesOptions _options = new() { StepSeconds = 60, ReorderWindowSteps = 1 };
    private readonly IProducer<byte[], byte[]> _producer = new ProducerBuilder<byte[], byte[]>(new ProducerConfig { BootstrapServers = cluster.BootstrapServers, EnableIdempotence = true, LingerMs = 1 }).Build();

    public void Dispose() => _producer.Dispose();

    [Fact]
    public void A_state_topic_a_newer_build_wrote_readable_from_format_5_restores_as_this_build_s_own_and_one_it_cannot_read_is_refused_with_why()
    {
        var kafka = StateWorker.Kafka(cluster.BootstrapServers, "newer-build");
        var feed = new ShardFeed(_producer, kafka.StateTopic, new Shard(Partition, _options, _settings, new ShardFeed.NullSink()), kafka.InputTopic);
        feed.Feed([0, 1, 2, 3], 0, 14);
        feed.Checkpoint();
        feed.Feed([1, 2], 14, 18);
        feed.Checkpoint();

        var own = StateWorker.Restorer(cluster.BootstrapServers, kafka).Read(kafka.InputTopic, Partition, out _);
        var newerTopic = SeriesAsNewerBuild(kafka.StateTopic, readableFrom: 5);
        var newer = StateWorker.Restorer(cluster.BootstrapServers, kafka, newerTopic).Read(kafka.InputTopic, Partition, out _);
        var compacted = StateWorker.Restorer(cluster.BootstrapServers, kafka, CompactedLog.Copy(cluster.BootstrapServers, newerTopic)).Read(kafka.InputTopic, Partition, out _);

        Assert.NotNull(own);
        Assert.Equal(4, own.Series.Count);
        CompactedLog.AssertSame(own, newer, _settings, "a newer build's state topic");
        CompactedLog.AssertSame(own, compacted, _settings, "a newer build's state topic, compacted"); // what a real broker's cleaner leaves of it

        var refused = Assert.Throws<StateRestoreException>(() =>
            StateWorker.Restorer(cluster.BootstrapServers, kafka, SeriesAsNewerBuild(kafka.StateTopic, readableFrom: 6)).Read(kafka.InputTopic, Partition, out _));
        Assert.Contains("format 6 or newer", refused.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_model_a_newer_build_wrote_leaves_the_series_restored_to_be_re_warmed_under_the_initial_model_and_a_corrupt_one_refuses_the_checkpoint()
    {
        var kafka = StateWorker.Kafka(cluster.BootstrapServers, "newer-model");
        var live = new Shard(Partition, _options, _settings, new ShardFeed.NullSink());
        var feed = new ShardFeed(_producer, kafka.StateTopic, live, kafka.InputTopic);
        feed.Feed([0, 1, 2], 0, 14);
        var model = live.Forecaster.Model;
        live.Forecaster.SwapModel(model.Clone(model.Version + 3)); // a trained model: the series states are of its version
        feed.Checkpoint();

        var own = StateWorker.Restorer(cluster.BootstrapServers, kafka).Read(kafka.InputTopic, Partition, out _);
        var newer = StateWorker.Restorer(cluster.BootstrapServers, kafka, Rewritten(kafka.StateTopic, "model-2", StateRecordKind.Model, p => WithModelVersion(p, 2), 1)).Read(kafka.InputTopic, Partition, out _);

        Assert.Equal(model.Version + 3, own!.Model!.Version);
        Assert.Null(newer!.Model);
        Assert.Contains("format 2, newer than this build reads (1)", newer.ShapeChange, StringComparison.Ordinal);
        Assert.Equal(StateWorker.SeriesBytes([own]), StateWorker.SeriesBytes([newer]));
        var shard = new Shard(Partition, _options, _settings, new ShardFeed.NullSink());
        Assert.Equal(3, RestoreApplier.Apply(shard, newer, rewarmSteps: 8)); // every series re-warmed under the initial model
        Assert.True(shard.TrainFirst);

        var corrupt = Rewritten(kafka.StateTopic, "model-corrupt", StateRecordKind.Model, p => [.. p[..^1], (byte)(p[^1] ^ 1)], 1);
        var refused = Assert.Throws<StateRestoreException>(() => StateWorker.Restorer(cluster.BootstrapServers, kafka, corrupt).Read(kafka.InputTopic, Partition, out _));
        Assert.Contains("checksum", refused.Message, StringComparison.Ordinal);
    }

    /// <summary>A model record's payload with another format version (its checksum renewed).</summary>
    private static byte[] WithModelVersion(byte[] payload, int version)
    {
        Assert.Equal(1, ModelSerializer.RecordVersion(payload));
        var copy = payload.ToArray();
        BinaryPrimitives.WriteInt32LittleEndian(copy.AsSpan(8), version);
        BinaryPrimitives.WriteUInt32LittleEndian(copy.AsSpan(copy.Length - 4), Crc32.Compute(copy.AsSpan(0, copy.Length - 4)));
        return copy;
    }

    [Fact]
    public void Bytes_after_the_timeline_are_refused_unless_the_state_record_says_a_newer_build_appended_them()
    {
        var live = new Shard(Partition, _options, _settings, new ShardFeed.NullSink());
        new ShardFeed(_producer, "newer-codec.state", live, "newer-codec.input").Feed([0], 0, 6);
        var payload = new SeriesEntryCodec(_settings).Encode(live.Series.Single());

        var e = Assert.Throws<InvalidDataException>(() => SeriesEntryCodec.Decode((byte[])[.. payload, 7, 7, 7], _settings));
        Assert.Contains("3 bytes left over", e.Message, StringComparison.Ordinal);
        var fromNewer = SeriesEntryCodec.Decode(NewerPayload(payload, readableFrom: 5), _settings);
        Assert.Equal(payload, new SeriesEntryCodec(_settings).Encode(fromNewer));
    }

    /// <summary>
    /// <paramref name="payload"/> (id, format-4 state, timeline) as a build of format 7 would write it: "readable from"
    /// after the state's shape, 24 bytes of new state fields in its extension, 12 bytes of new timeline fields after the timeline.
    /// </summary>
    private static byte[] NewerPayload(ReadOnlyMemory<byte> payload, int readableFrom)
    {
        using var reader = new BinaryReader(new MemoryStream(payload.ToArray()), Encoding.UTF8);
        var id = reader.ReadString();
        var state = reader.ReadBytes(reader.ReadInt32());
        var timeline = reader.ReadBytes((int)(reader.BaseStream.Length - reader.BaseStream.Position));
        Assert.Equal(4, BinaryPrimitives.ReadInt32LittleEndian(state.AsSpan(8)));

        const int ShapeEnd = 8 + 4 + (5 * 4);
        var extension = Enumerable.Range(0, 24).Select(i => (byte)(i * 11)).ToArray();
        byte[] body = [.. state[..8], .. Int32(7), .. state[12..ShapeEnd], .. Int32(readableFrom), .. state[ShapeEnd..^4], .. Int32(extension.Length), .. extension];
        byte[] newer = [.. body, .. BitConverter.GetBytes(Crc32.Compute(body))];
        Assert.True(BitConverter.IsLittleEndian);

        using var stream = new MemoryStream();
        using (var writer = new BinaryWriter(stream, Encoding.UTF8, leaveOpen: true))
        {
            writer.Write(id);
            writer.Write(newer.Length);
            writer.Write(newer);
            writer.Write(timeline);
            writer.Write((byte[])[1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12]);
        }

        return stream.ToArray();
    }

    private static byte[] Int32(int value)
    {
        var bytes = new byte[4];
        BinaryPrimitives.WriteInt32LittleEndian(bytes, value);
        return bytes;
    }

    /// <summary>A copy of <paramref name="topic"/> with every series record as a newer build writes it (everything else as it was); returns its name.</summary>
    private string SeriesAsNewerBuild(string topic, int readableFrom) =>
        Rewritten(topic, $"newer-{readableFrom}", StateRecordKind.Series, p => NewerPayload(p, readableFrom), 6); // four in the full checkpoint, two in the incremental one

    /// <summary>A copy of <paramref name="topic"/> with the payload of every record of <paramref name="kind"/> (<paramref name="expected"/> of them) rewritten, everything else as it was; returns its name.</summary>
    private string Rewritten(string topic, string suffix, StateRecordKind kind, Func<byte[], byte[]> rewrite, int expected)
    {
        var target = $"{topic}.{suffix}";
        using var producer = new ProducerBuilder<byte[], byte[]?>(new ProducerConfig { BootstrapServers = cluster.BootstrapServers, EnableIdempotence = true, LingerMs = 1 }).Build();
        var rewritten = 0;
        foreach (var record in TopicIo.ReadAll(cluster.BootstrapServers, topic, 0, TimeSpan.FromSeconds(20)))
        {
            var value = record.Message.Value;
            if (value is { Length: > 0 } && StateEnvelope.Unwrap(value) is var frame && frame.Kind == kind)
            {
                value = StateEnvelope.Wrap(frame.Kind, frame.Sequence, rewrite(frame.Payload.ToArray()), frame.Absorbed, frame.ModelVersion);
                rewritten++;
            }

            producer.Produce(new TopicPartition(target, record.Partition), new Message<byte[], byte[]?> { Key = record.Message.Key, Value = value, Headers = record.Message.Headers });
        }

        Assert.Equal(0, producer.Flush(TimeSpan.FromSeconds(10)));
        Assert.Equal(expected, rewritten);
        return target;
    }
}
