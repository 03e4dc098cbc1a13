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
    private readonly int _maxBatchRecords;
    private readonly SeriesOptions _series;

    public PipelineBenchmark(string bootstrap, int series, int hidden, int horizons, int maxBatchRecords = 0, SeriesOptions? seriesOptions = null)
    {
        _series = seriesOptions ?? new SeriesOptions { StepSeconds = (int)(BenchInput.StepMs / 1000) };
        _maxBatchRecords = maxBatchRecords > 0 ? maxBatchRecords : new KafkaOptions().MaxBatchRecords;
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

    /// <summary>
    /// Runs the worker's loop over <paramref name="warm"/> + <paramref name="count"/> records; records/s over the last
    /// <paramref name="count"/> (from the moment <paramref name="warm"/> forecasts are acknowledged to the last one), so
    /// series are past their warm-up while timed.
    /// </summary>
    /// <remarks>
    /// With <paramref name="fromFirstRecord"/>, the clock starts at the first record consumed instead (as the bare consumer's
    /// does): when the worker's timed forecasts need far fewer steps than records (raw points aggregated into buckets),
    /// librdkafka has prefetched the timed records during the warm part, and a clock started there would time a local
    /// queue, not the broker. With <paramref name="fetchAhead"/> false, the worker polls on its loop's thread
    /// (<c>Kafka:FetchAhead</c> off), in a group of its own.
    /// </remarks>
    public (double Rate, double BytesPerForecast) Pipeline(string topic, long warm, long count, bool fromFirstRecord = false, bool fetchAhead = true)
    {
        var (loop, metrics, stop, thread) = StartWorker(topic, fetchAhead);
        WaitFor(() => fromFirstRecord ? loop.ConsumedRecords : (long)metrics.ForecastsDelivered.Value, fromFirstRecord ? 1 : warm, loop);
        var bytesBefore = metrics.ForecastBytes.Value;
        var publishedBefore = metrics.ForecastsPublished.Value;
        var clock = Stopwatch.StartNew();
        WaitFor(() => (long)metrics.ForecastsDelivered.Value, warm + count, loop);
        var elapsed = clock.Elapsed;
        var bytes = (metrics.ForecastBytes.Value - bytesBefore) / (metrics.ForecastsPublished.Value - publishedBefore);
        stop.Cancel();
        thread.Join();
        stop.Dispose();
        return (count / elapsed.TotalSeconds, bytes);
    }

    /// <summary>
    /// Waits until <paramref name="progress"/> reaches <paramref name="target"/>; fails when it stops moving for 30 s, which
    /// on the mock broker means input was deleted before it was read: the mock keeps at most 5 MB (or 100,000 message
    /// sets) per partition and drops the oldest beyond that, so a consumer behind the log start is reset past records
    /// it never read (librdkafka's rdkafka_mock.c, mpart->max_size and max_cnt).
    /// </summary>
    /// <exception cref="TimeoutException">No progress for 30 s.</exception>
    private static void WaitFor(Func<long> progress, long target, ConsumeLoop loop)
    {
        var last = progress();
        var since = Stopwatch.StartNew();
        while (progress() < target)
        {
            Thread.Sleep(1);
            var now = progress();
            if (now != last)
            {
                last = now;
                since.Restart();
            }
            else if (since.Elapsed > TimeSpan.FromSeconds(30))
            {
                throw new TimeoutException($"stalled at {now} of {target} (consumed {loop.ConsumedRecords}): input deleted by the mock broker's retention before it was read?");
            }
        }
    }

    /// <summary>
    /// Consumes <paramref name="warmSteps"/> steps of every series first (untimed), then feeds <paramref name="steps"/> more at
    /// <paramref name="rate"/> points/s into the running worker; returns each point's send time (s from the start of
    /// the paced phase) and its append → forecast readable latency (ms), in send order.
    /// </summary>
    public (double SentS, double Ms)[] Latency(string topic, double rate, int warmSteps, int steps, GcWatcher? gc = null, List<(double AtS, int Records, double Ms)>? batches = null)
    {
        _input.ProduceAll(_bootstrap, topic, 0, warmSteps); // creates the topic; warms every series
        var (loop, metrics, stop, thread) = StartWorker(topic);
        WaitFor(() => (long)metrics.ForecastsDelivered.Value, (long)warmSteps * _input.Series, loop);
        long batchesFrom = long.MaxValue;
        if (batches is not null)
        {
            loop.BatchHandled = (count, elapsed) =>
            {
                var now = Stopwatch.GetTimestamp();
                if (now >= Volatile.Read(ref batchesFrom))
                {
                    batches.Add((Stopwatch.GetElapsedTime(batchesFrom, now).TotalSeconds, count, elapsed.TotalMilliseconds));
                }
            };
        }

        var sentAt = new long[steps, _input.Series];
        long start;
        var latencies = new double[steps, _input.Series];
        var reader = new ForecastReader(_bootstrap, topic + ".out", warmSteps, sentAt, latencies);
        var readerThread = new Thread(() => reader.Run((long)steps * _input.Series)) { IsBackground = true, Name = "bench latency reader" };
        readerThread.Start();
        reader.Ready.Wait(TimeSpan.FromSeconds(30));
        using (var producer = new ProducerBuilder<byte[], byte[]>(BenchSettings.Producer(_bootstrap)).Build())
        {
            // An idempotent producer first fetches its producer id: a record sent before that would wait for it.
            producer.Produce(topic + ".connect", new Message<byte[], byte[]> { Value = [] });
            producer.Flush(TimeSpan.FromSeconds(30));
            var clock = Stopwatch.StartNew();
            start = Stopwatch.GetTimestamp();
            Volatile.Write(ref batchesFrom, start);
            gc?.Start();
            long sent = 0;
            for (var step = 0; step < steps; step++)
            {
                for (var s = 0; s < _input.Series; s++)
                {
                    var message = _input.Point(s, warmSteps + step);
                    Volatile.Write(ref sentAt[step, s], Stopwatch.GetTimestamp());
                    BenchSettings.Produce(producer, topic, message);
                    if (++sent % 100 == 0 && TimeSpan.FromSeconds(sent / rate) - clock.Elapsed is { TotalMilliseconds: > 1 } ahead)
                    {
                        Thread.Sleep(ahead);
                    }
                }
            }

            producer.Flush(TimeSpan.FromMinutes(1));
        }

        readerThread.Join(TimeSpan.FromSeconds(60));
        reader.Stop();
        stop.Cancel();
        thread.Join();
        loop.BatchHandled = null;
        stop.Dispose();
        var samples = new List<(double, double)>(steps * _input.Series);
        for (var step = 0; step < steps; step++)
        {
            for (var s = 0; s < _input.Series; s++)
            {
                if (Volatile.Read(ref latencies[step, s]) > 0)
                {
                    samples.Add((Stopwatch.GetElapsedTime(start, sentAt[step, s]).TotalSeconds, latencies[step, s]));
                }
            }
        }

        return [.. samples.OrderBy(x => x.Item1)];
    }

    /// <summary>Reads the forecast topic from its current end and records, per (step, series), the time since the point was sent.</summary>
    private sealed class ForecastReader(string bootstrap, string topic, int firstStep, long[,] sentAt, double[,] latencies)
    {
        private volatile bool _stop;

        /// <summary>Set once the reader is positioned: only then may points be sent.</summary>
        public ManualResetEventSlim Ready { get; } = new();

        public void Stop() => _stop = true;

        public void Run(long expected)
        {
            // Assigned at the current high watermarks, not subscribed: a group join on the mock takes seconds and would count as latency.
            var config = BenchSettings.Consumer(bootstrap, topic + ".latency");
            config.EnablePartitionEof = true;
            using var consumer = new ConsumerBuilder<byte[], byte[]>(config).Build();
            consumer.Assign(Enumerable.Range(0, 4).Select(p =>
                new TopicPartitionOffset(topic, p, consumer.QueryWatermarkOffsets(new TopicPartition(topic, p), TimeSpan.FromSeconds(10)).High)));
            WaitUntilFetching(consumer, 4);
            Ready.Set();
            long seen = 0;
            while (seen < expected && !_stop)
            {
                var result = consumer.Consume(TimeSpan.FromMilliseconds(100));
                if (result is null || result.IsPartitionEOF)
                {
                    continue;
                }

                var now = Stopwatch.GetTimestamp();
                var (series, step) = Identify(result.Message);
                step -= firstStep;
                if (step >= 0 && step < sentAt.GetLength(0))
                {
                    var sent = Volatile.Read(ref sentAt[step, series]);
                    Volatile.Write(ref latencies[step, series], Stopwatch.GetElapsedTime(sent, now).TotalMilliseconds);
                    seen++;
                }
            }

            consumer.Close();
        }
    }

    /// <summary>
    /// Returns once every assigned partition has reported its end: the consumer has resolved its positions and
    /// fetches, so the first forecasts are read as they arrive rather than after the consumer's own start-up.
    /// </summary>
    private static void WaitUntilFetching(IConsumer<byte[], byte[]> consumer, int partitions)
    {
        var atEnd = new HashSet<int>();
        var deadline = Stopwatch.StartNew();
        while (atEnd.Count < partitions && deadline.Elapsed < TimeSpan.FromSeconds(30))
        {
            if (consumer.Consume(TimeSpan.FromMilliseconds(100)) is { IsPartitionEOF: true } end)
            {
                atEnd.Add(end.Partition.Value);
            }
        }
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

    private (ConsumeLoop Loop, ForecasterMetrics Metrics, CancellationTokenSource Stop, Thread Thread) StartWorker(string topic, bool fetchAhead = true)
    {
        var metrics = new ForecasterMetrics(new CollectorRegistry());
        var kafka = new KafkaOptions
        {
            BootstrapServers = _bootstrap,
            GroupId = topic + (fetchAhead ? ".worker" : ".worker.inline"),
            InputTopic = topic,
            ForecastTopic = topic + ".out",
            DeadLetterTopic = topic + ".dlq",
            RepartitionTopic = topic + ".rep",
            Client = new Dictionary<string, string>(BenchSettings.Fetch),
            MaxBatchRecords = _maxBatchRecords,
            FetchAhead = fetchAhead,
        };
        var loop = new ConsumeLoop(
            Microsoft.Extensions.Options.Options.Create(kafka),
            Microsoft.Extensions.Options.Options.Create(_series),
            Microsoft.Extensions.Options.Options.Create(_forecast),
            Microsoft.Extensions.Options.Options.Create(new IngestOptions()),
            metrics, new WorkerHealth(TimeProvider.System), TimeProvider.System, NullLogger<ConsumeLoop>.Instance);
        var stop = new CancellationTokenSource();
        var thread = new Thread(() => loop.Run(stop.Token)) { Name = "bench consume loop" };
        thread.Start();
        return (loop, metrics, stop, thread);
    }
}
