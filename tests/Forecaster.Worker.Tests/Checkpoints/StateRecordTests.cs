using System.Buffers.Binary;
using System.Text;
using Confluent.Kafka;
using Forecaster.Worker.Checkpoints;
using Forecaster.Worker.Tests.Hosting;

namespace Forecaster.Worker.Tests.Checkpoints;

/// <summary>Refusal of foreign, corrupt, newer and incomplete state records, read back from the mock cluster.</summary>
[Collection(MockClusterTests.Name)]
public class StateRecordTests(MockClusterFixture cluster)
{
    private static byte[] Commit(long sequence, long offset, int series) =>
        StateEnvelope.Wrap(StateRecordKind.Commit, sequence, new CommitMarker(offset, series).ToBytes());

    private (Forecaster.Worker.Options.KafkaOptions Kafka, StateRestorer Restorer) Topic(string prefix, params (string Key, byte[]? Value)[] records)
    {
        var kafka = StateWorker.Kafka(cluster.BootstrapServers, prefix);
        ProduceTo(kafka.StateTopic, 1, records);
        return (kafka, StateWorker.Restorer(cluster.BootstrapServers, kafka));
    }

    private void ProduceTo(string topic, int partition, (string Key, byte[]? Value)[] records)
    {
        using var producer = new ProducerBuilder<byte[], byte[]?>(new ProducerConfig { BootstrapServers = cluster.BootstrapServers }).Build();
        foreach (var (key, value) in records)
        {
            var headers = new Headers { { StateEnvelope.SequenceHeader, BitConverter.GetBytes(9L) } };
            producer.Produce(new TopicPartition(topic, partition), new Message<byte[], byte[]?> { Key = Encoding.UTF8.GetBytes(key), Value = value, Headers = headers });
        }

        Assert.Equal(0, producer.Flush(TimeSpan.FromSeconds(10)));
    }

    private static string Refused(StateRestorer restorer, string topic) =>
        Assert.Throws<StateRestoreException>(() => restorer.Read(topic, 1, out _)).Message;

    [Fact]
    public void A_foreign_value_under_a_shard_key_is_refused_naming_partition_and_offset()
    {
        var (kafka, restorer) = Topic("st-foreign", ("s/st-foreign.in/1/m", """{"hello":1}"""u8.ToArray()), ("c/st-foreign.in/1", Commit(1, 5, 1)));
        var message = Refused(restorer, kafka.InputTopic);
        Assert.Contains("st-foreign.state [1] at offset 0", message, StringComparison.Ordinal);
        Assert.Contains("magic", message, StringComparison.Ordinal);
    }

    [Fact]
    public void Corrupt_newer_and_truncated_records_are_refused_with_the_reason()
    {
        var corrupt = Commit(1, 5, 0);
        corrupt[^6] ^= 0x01;
        var newer = Commit(1, 5, 0);
        BinaryPrimitives.WriteInt32LittleEndian(newer.AsSpan(8), StateEnvelope.FormatVersion + 1);
        var truncated = Commit(1, 5, 0)[..^3];
        foreach (var (name, value, reason) in new[] { ("corrupt", corrupt, "checksum"), ("newer", newer, $"version {StateEnvelope.FormatVersion + 1}"), ("truncated", truncated, "truncated") })
        {
            var (kafka, restorer) = Topic("st-" + name, ("c/st-" + name + ".in/1", value));
            var message = Refused(restorer, kafka.InputTopic);
            Assert.Contains($"st-{name}.state [1] at offset 0", message, StringComparison.Ordinal);
            Assert.Contains(reason, message, StringComparison.Ordinal);
        }
    }

    [Fact]
    public void A_bad_series_payload_in_a_complete_checkpoint_refuses_the_whole_checkpoint()
    {
        var (kafka, restorer) = Topic(
            "st-payload",
            ("s/st-payload.in/1/m{s=\"a\"}", StateEnvelope.Wrap(StateRecordKind.Series, 1, new byte[40])),
            ("c/st-payload.in/1", Commit(1, 5, 1)));
        var message = Refused(restorer, kafka.InputTopic);
        Assert.Contains("st-payload.state [1] at offset 0", message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_commit_marker_demands_no_records_compaction_may_have_superseded()
    {
        // Issue 15: the marker's series count used to refuse a compacted log. It is informative now.
        var (kafka, restorer) = Topic("st-missing", ("c/st-missing.in/1", Commit(1, 5, 3)));
        var restored = restorer.Read(kafka.InputTopic, 1, out _);
        Assert.NotNull(restored);
        Assert.Empty(restored.Series);
        Assert.Equal(3, restored.MarkerSeriesCount);
        Assert.Equal(5, restored.InputOffset);
    }

    [Fact]
    public void Records_of_a_checkpoint_without_its_commit_marker_and_of_other_shards_are_ignored()
    {
        var (kafka, restorer) = Topic(
            "st-partial",
            ("c/st-partial.in/1", Commit(4, 7, 0)),
            ("s/st-partial.in/1/m{s=\"a\"}", StateEnvelope.Wrap(StateRecordKind.Series, 5, new byte[40])),
            ("m/st-partial.in/1", StateEnvelope.Wrap(StateRecordKind.Model, 5, new byte[40])),
            ("s/other.in/1/m{s=\"a\"}", "not ours"u8.ToArray()),
            ("s/st-partial.in/1/m{s=\"b\"}", "garbage of the cut-short checkpoint"u8.ToArray()),
            ("s/st-partial.in/10/m{s=\"a\"}", "not ours either"u8.ToArray()));

        var restored = restorer.Read(kafka.InputTopic, 1, out var highest);

        Assert.NotNull(restored);
        Assert.Equal(7, restored.InputOffset);
        Assert.Equal(4, restored.Sequence);
        Assert.Empty(restored.Series);
        Assert.Null(restored.Model);
        Assert.Equal(5, highest);
    }

    [Fact]
    public void Without_state_the_restorer_reports_none()
    {
        var kafka = StateWorker.Kafka(cluster.BootstrapServers, "st-none");
        Assert.Null(StateWorker.Restorer(cluster.BootstrapServers, kafka).Read(kafka.InputTopic, 2, out var highest));
        Assert.Equal(0, highest);
    }

    [Fact]
    public void A_worker_whose_state_is_refused_starts_those_partitions_clean_from_the_committed_offset_and_forecasts_everything()
    {
        var kafka = StateWorker.Kafka(cluster.BootstrapServers, "st-clean");
        for (var p = 0; p < 4; p++)
        {
            ProduceTo(kafka.StateTopic, p, [($"c/{kafka.InputTopic}/{p}", "garbage"u8.ToArray())]);
        }

        var input = RestartTests.Points(8, 0, 10);
        TopicIo.Produce(cluster.BootstrapServers, kafka.InputTopic, input);
        using var worker = new StateWorker(kafka);
        var forecasts = TopicIo.ReadAll(cluster.BootstrapServers, kafka.ForecastTopic, input.Count - 8);
        worker.Stop();

        Assert.Equal(input.Count - 8, forecasts.Count);
        Assert.Equal(4, worker.Metrics.RestoreFailures.Value);

        // Its shutdown checkpoint supersedes the refused records: the state now restores.
        Assert.All(StateWorker.ReadState(cluster.BootstrapServers, kafka), shard => Assert.NotNull(shard));
    }
}
