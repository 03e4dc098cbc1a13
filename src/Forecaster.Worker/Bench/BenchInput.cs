using System.Diagnostics;
using System.Globalization;
using System.Text;
using Confluent.Kafka;

namespace Forecaster.Worker.Bench;

/// <summary>Synthetic input for the benchmark: daily sines, one key per series, a point every 5 minutes (or every <c>intervalMs</c>).</summary>
internal sealed class BenchInput
{
    public const long StepMs = 300_000;
    public const long StartMs = 1_764_000_000_000 / StepMs * StepMs;

    private readonly byte[][] _keys;
    private readonly string[] _prefixes;

    private readonly long _intervalMs;

    public BenchInput(int series, long intervalMs = StepMs)
    {
        _intervalMs = intervalMs;
        _keys = new byte[series][];
        _prefixes = new string[series];
        for (var s = 0; s < series; s++)
        {
            var host = "h" + s.ToString(CultureInfo.InvariantCulture);
            _keys[s] = Encoding.UTF8.GetBytes($"bench_cpu{{host=\"{host}\"}}");
            _prefixes[s] = $"{{\"metric\":\"bench_cpu\",\"labels\":{{\"host\":\"{host}\"}},\"ts\":";
        }
    }

    /// <summary>Partitions of an unkeyed input topic (the mock's default).</summary>
    public const int UnkeyedPartitions = 4;

    public int Series => _keys.Length;

    public Message<byte[], byte[]> Point(int series, int step)
    {
        var value = 50 + (20 * Math.Sin(2 * Math.PI * (((double)step * _intervalMs / 86_400_000) + (series / 288.0)))) + (series % 7);
        var json = string.Create(CultureInfo.InvariantCulture, $"{_prefixes[series]}{StartMs + (step * _intervalMs)},\"value\":{value:F3}}}");
        return new Message<byte[], byte[]> { Key = _keys[series], Value = Encoding.UTF8.GetBytes(json) };
    }

    /// <summary>
    /// Produces steps [from, to) of every series as fast as the broker takes them; returns the rate. Unless
    /// <paramref name="keyed"/>, the records carry no key and series s goes to partition s mod
    /// <see cref="UnkeyedPartitions"/>: each series in one partition, in order, but not the one its key would pick, so
    /// every point is re-keyed and none arrives late (what re-keying costs, apart from the reordering that points of one
    /// series spread over partitions can suffer, which the driver tests cover).
    /// </summary>
    public double ProduceAll(string bootstrap, string topic, int from, int to, bool keyed = true)
    {
        using var producer = new ProducerBuilder<byte[], byte[]>(BenchSettings.Producer(bootstrap)).Build();
        var clock = Stopwatch.StartNew();
        for (var step = from; step < to; step++)
        {
            for (var s = 0; s < Series; s++)
            {
                var point = Point(s, step);
                if (keyed)
                {
                    BenchSettings.Produce(producer, topic, point);
                }
                else
                {
                    point.Key = null!;
                    BenchSettings.Produce(producer, new TopicPartition(topic, s % UnkeyedPartitions), point);
                }
            }
        }

        producer.Flush(TimeSpan.FromMinutes(2));
        return (double)(to - from) * Series / clock.Elapsed.TotalSeconds;
    }
}
