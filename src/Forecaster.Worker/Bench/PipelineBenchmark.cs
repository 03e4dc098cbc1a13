using System.Diagnostics;
using System.Text.Json;
using Confluent.Kafka;
using Forecaster.Worker.Hosting;
using Forecaster.Worker.Observability;
using Forecaster.Worker.Options;
using Microsoft.Extensions.Logging.Abstractions;
using Prometheus;

namespace Forecaster.Worker.Bench;

/// <summary>
/// Throughput of the whole worker (input topic → forecast delivered) against the bare consume rate of
/// the same mock broker in the same run, bytes per forecast record, and append → forecast-readable
/// latency at half the measured rate. Each phase uses its own topic and group.
/// </summary>
internal sealed class PipelineBenchmark
{
    private readonly string _bootstrap;
    private readonly BenchInput _input;
    private readonly ForecastOptions _forecast;

    public PipelineBenchmark(string bootstrap, int series, int hidden, int horizons)
    {
        _bootstrap = bootstrap;
        _input = new BenchInput(series);
        _forecast = new ForecastOptions { HiddenSize = hidden, Horizons = horizons };
    }

    /// <summary>Reads <paramref name="count"/> records of <paramref name="topic"/> with a plain consumer; records/s from the first record on.</summary>
    public double BareConsume(string topic, long count)
    {
        using var consumer = new ConsumerBuilder<byte[], byte[]>(BenchSettings.Consumer(_bootstrap, topic + ".bare")).Build();
        consumer.Subscribe(topic);
        Stopwatch? clock = null;
        long read = 0;
        while (read < count)
        {
            if (consumer.Consume(TimeSpan.FromSeconds(1)) is { IsPartitionEOF: false })
            {
                clock ??= Stopwatch.StartNew();
                read++;
            }
        }

        consumer.Close();
        return count / clock!.Elapsed.TotalSeconds;
    }

    /// <summary>Runs the worker's loop over <paramref name="count"/> records; records/s from its first consumed record to the last forecast acknowledged.</summary>
    public (double Rate, double BytesPerForecast) Pipeline(string topic, long count)
    {
        var (loop, metrics, stop, thread) = StartWorker(topic);
        SpinWait.SpinUntil(() => loop.ConsumedRecords > 0);
        var clock = Stopwatch.StartNew();
        SpinWait.SpinUntil(() => metrics.ForecastsDelivered.Value >= count);
        var elapsed = clock.Elapsed;
        stop.Cancel();
        thread.Join();
        stop.Dispose();
        return (count / elapsed.TotalSeconds, metrics.ForecastBytes.Value / metrics.ForecastsPublished.Value);
    }

    /// <summary>Feeds <paramref name="steps"/> steps of every series at <paramref name="rate"/> points/s into a running worker; append → forecast readable latencies in ms, sorted.</summary>
    public double[] Latency(string topic, double rate, int steps)
    {
        _input.ProduceAll(_bootstrap, topic, 0, 1); // creates the topic; warms every series
        var (loop, metrics, stop, thread) = StartWorker(topic);
        SpinWait.SpinUntil(() => metrics.ForecastsDelivered.Value >= _input.Series);
        var sentAt = new long[steps + 1, _input.Series];
        var latencies = new List<double>(steps * _input.Series);
        using var reading = new CancellationTokenSource();
        var reader = new Thread(() => ReadForecasts(topic + ".out", sentAt, latencies, steps * _input.Series, reading.Token)) { IsBackground = true };
        reader.Start();
        using (var producer = new ProducerBuilder<byte[], byte[]>(BenchSettings.Producer(_bootstrap)).Build())
        {
            var clock = Stopwatch.StartNew();
            long sent = 0;
            for (var step = 1; step <= steps; step++)
            {
                for (var s = 0; s < _input.Series; s++)
                {
                    sentAt[step, s] = Stopwatch.GetTimestamp();
                    BenchSettings.Produce(producer, topic, _input.Point(s, step));
                    if (++sent % 100 == 0 && TimeSpan.FromSeconds(sent / rate) - clock.Elapsed is { TotalMilliseconds: > 1 } ahead)
                    {
                        Thread.Sleep(ahead);
                    }
                }
            }

            producer.Flush(TimeSpan.FromMinutes(1));
        }

        reader.Join(TimeSpan.FromSeconds(60));
        reading.Cancel();
        stop.Cancel();
        thread.Join();
        stop.Dispose();
        lock (latencies)
        {
            latencies.Sort();
            return [.. latencies];
        }
    }

    private void ReadForecasts(string topic, long[,] sentAt, List<double> latencies, int expected, CancellationToken stop)
    {
        // Assigned, not subscribed: a group join on the mock takes seconds and would count as latency.
        using var consumer = new ConsumerBuilder<byte[], byte[]>(BenchSettings.Consumer(_bootstrap, topic + ".latency")).Build();
        consumer.Assign(Enumerable.Range(0, 4).Select(p => new TopicPartitionOffset(topic, p, Offset.Beginning)));
        var seen = 0;
        while (seen < expected && !stop.IsCancellationRequested)
        {
            var result = consumer.Consume(TimeSpan.FromMilliseconds(100));
            if (result is null || result.IsPartitionEOF)
            {
                continue;
            }

            var now = Stopwatch.GetTimestamp();
            var (series, step) = Identify(result.Message);
            if (step >= 1 && step < sentAt.GetLength(0))
            {
                lock (latencies)
                {
                    latencies.Add(Stopwatch.GetElapsedTime(sentAt[step, series], now).TotalMilliseconds);
                }

                seen++;
            }
        }

        consumer.Close();
    }

    /// <summary>Series index from the key (<c>bench_cpu{host="hN"}</c>) and step from the record's origin <c>ts</c>.</summary>
    private static (int Series, int Step) Identify(Message<byte[], byte[]> message)
    {
        var key = message.Key.AsSpan(17..^2); // after bench_cpu{host="h, before "}
        var series = int.Parse(System.Text.Encoding.ASCII.GetString(key), System.Globalization.CultureInfo.InvariantCulture);
        var reader = new Utf8JsonReader(message.Value);
        while (reader.Read())
        {
            if (reader.TokenType == JsonTokenType.PropertyName && reader.CurrentDepth == 1 && reader.ValueTextEquals("ts"u8))
            {
                reader.Read();
                return (series, (int)((reader.GetInt64() - BenchInput.StartMs) / BenchInput.StepMs));
            }
        }

        return (series, -1);
    }

    private (ConsumeLoop Loop, ForecasterMetrics Metrics, CancellationTokenSource Stop, Thread Thread) StartWorker(string topic)
    {
        var metrics = new ForecasterMetrics(new CollectorRegistry());
        var kafka = new KafkaOptions
        {
            BootstrapServers = _bootstrap,
            GroupId = topic + ".worker",
            InputTopic = topic,
            ForecastTopic = topic + ".out",
            DeadLetterTopic = topic + ".dlq",
            Client = new Dictionary<string, string>(BenchSettings.Fetch),
        };
        var loop = new ConsumeLoop(
            Microsoft.Extensions.Options.Options.Create(kafka),
            Microsoft.Extensions.Options.Options.Create(new SeriesOptions { StepSeconds = (int)(BenchInput.StepMs / 1000) }),
            Microsoft.Extensions.Options.Options.Create(_forecast),
            Microsoft.Extensions.Options.Options.Create(new IngestOptions()),
            metrics, new WorkerHealth(TimeProvider.System), TimeProvider.System, NullLogger<ConsumeLoop>.Instance);
        var stop = new CancellationTokenSource();
        var thread = new Thread(() => loop.Run(stop.Token)) { Name = "bench consume loop" };
        thread.Start();
        return (loop, metrics, stop, thread);
    }
}
