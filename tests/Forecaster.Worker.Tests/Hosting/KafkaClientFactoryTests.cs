using Confluent.Kafka;
using Forecaster.Worker.Hosting;
using Forecaster.Worker.Options;

namespace Forecaster.Worker.Tests.Hosting;

public class KafkaClientFactoryTests
{
    [Fact]
    public void At_least_once_clients_auto_commit_stored_offsets_and_are_not_transactional()
    {
        var kafka = new KafkaOptions { BootstrapServers = "b:9092", GroupInstanceId = "pod-0" };

        var consumer = KafkaClientFactory.ConsumerConfig(kafka);
        var producer = KafkaClientFactory.ProducerConfig(kafka);

        Assert.True(consumer.EnableAutoCommit);
        Assert.False(consumer.EnableAutoOffsetStore);
        Assert.Null(producer.TransactionalId);
        Assert.True(producer.EnableIdempotence);
        Assert.Equal(5, producer.LingerMs);
        Assert.Equal(45_000, producer.RequestTimeoutMs); // Longer than a 30 s broker outage.
    }

    [Fact]
    public void Exactly_once_clients_read_committed_never_auto_commit_and_produce_with_the_instance_transactional_id()
    {
        var kafka = new KafkaOptions { BootstrapServers = "b:9092", GroupId = "g", GroupInstanceId = "pod-0", ExactlyOnce = true, Client = new() { ["linger.ms"] = "50" } };

        var consumer = KafkaClientFactory.ConsumerConfig(kafka);
        var producer = KafkaClientFactory.ProducerConfig(kafka);

        Assert.False(consumer.EnableAutoCommit);
        Assert.False(consumer.EnableAutoOffsetStore);
        Assert.Equal(IsolationLevel.ReadCommitted, consumer.IsolationLevel);
        Assert.Equal("g-pod-0", producer.TransactionalId);
        Assert.Equal(50, producer.LingerMs);
    }

    [Fact]
    public void The_consumer_backs_off_a_full_fetch_queue_for_milliseconds_not_librdkafkas_second_unless_the_client_settings_say_otherwise()
    {
        var shipped = KafkaClientFactory.ConsumerConfig(new KafkaOptions { BootstrapServers = "b:9092" });
        var overridden = KafkaClientFactory.ConsumerConfig(new KafkaOptions { BootstrapServers = "b:9092", Client = new() { ["fetch.queue.backoff.ms"] = "250" } });

        Assert.Equal(KafkaClientFactory.FetchQueueBackoffMs, shipped.FetchQueueBackoffMs);
        Assert.True(KafkaClientFactory.FetchQueueBackoffMs < 1000);
        Assert.Equal(250, overridden.FetchQueueBackoffMs);
    }

    [Fact]
    public void Consumed_records_carry_their_topic_and_headers_but_no_timestamp_unless_the_client_settings_say_otherwise()
    {
        const string Key = "dotnet.consumer.consume.result.fields";
        var shipped = KafkaClientFactory.ConsumerConfig(new KafkaOptions { BootstrapServers = "b:9092" });
        var overridden = KafkaClientFactory.ConsumerConfig(new KafkaOptions { BootstrapServers = "b:9092", Client = new() { [Key] = "all" } });

        Assert.Equal("topic,headers", shipped.Get(Key));
        Assert.Equal("all", overridden.Get(Key));
    }
}
