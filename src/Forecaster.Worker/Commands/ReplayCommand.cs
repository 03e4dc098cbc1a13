using System.CommandLine;
using System.Diagnostics;
using System.Globalization;
using System.Text;
using Confluent.Kafka;
using Forecaster.Worker.Demo;
using Forecaster.Worker.Ingest;
using Forecaster.Worker.Replay;

namespace Forecaster.Worker.Commands;

/// <summary>
/// The <c>replay</c> command: produces a long-format CSV (<c>series,timestamp,value</c>) into a topic as
/// canonical points keyed by series, at <c>--rate</c> records per second (0: as fast as the broker
/// takes them), with a progress line on stderr.
/// </summary>
internal static class ReplayCommand
{
    public static Command Create()
    {
        var input = new Option<FileInfo>("--input") { Description = "Long-format CSV: series,timestamp,value.", Required = true };
        var topic = new Option<string>("--topic") { Description = "Topic to produce to.", DefaultValueFactory = _ => "metrics" };
        var bootstrap = new Option<string>("--bootstrap") { Description = "Kafka bootstrap servers, HOST:PORT.", Required = true };
        var rate = new Option<double>("--rate") { Description = "Records per second; 0 = unthrottled.", DefaultValueFactory = _ => 0 };
        var command = new Command("replay", "Produces a long-format CSV into a Kafka topic.") { input, topic, bootstrap, rate };
        command.SetAction((parseResult, cancellationToken) => Task.FromResult(Run(
            parseResult.GetValue(input)!, parseResult.GetValue(topic)!, parseResult.GetValue(bootstrap)!, parseResult.GetValue(rate), cancellationToken)));
        return command;
    }

    private static int Run(FileInfo input, string topic, string bootstrap, double rate, CancellationToken cancellationToken)
    {
        if (!input.Exists || rate < 0)
        {
            Console.Error.WriteLine(input.Exists ? "replay: --rate must not be negative." : $"replay: {input.FullName} does not exist.");
            return 2;
        }

        var total = File.ReadLines(input.FullName).Count(l => l.Length > 0) - 1;
        using var producer = new ProducerBuilder<byte[], byte[]>(new ProducerConfig
        {
            BootstrapServers = bootstrap,
            EnableIdempotence = true,
            CompressionType = CompressionType.Lz4,
            LingerMs = 5,
        }).Build();
        using var encoder = new CanonicalPointEncoder();
        var parsed = new Dictionary<string, (byte[] Key, string Metric, List<KeyValuePair<string, string>> Labels)>();
        var clock = Stopwatch.StartNew();
        var lastReport = TimeSpan.Zero;
        long sent = 0;
        try
        {
            using var reader = new StreamReader(input.FullName);
            foreach (var (series, ts, value) in LongCsvReader.Read(reader))
            {
                if (cancellationToken.IsCancellationRequested)
                {
                    break;
                }

                if (!parsed.TryGetValue(series, out var id))
                {
                    var (metric, labels) = SeriesIdParser.Parse(series);
                    parsed[series] = id = (Encoding.UTF8.GetBytes(series), metric, labels);
                }

                Produce(producer, topic, new Message<byte[], byte[]> { Key = id.Key, Value = encoder.Encode(id.Metric, id.Labels, ts, value) });
                sent++;
                Pace(rate, sent, clock);
                if (clock.Elapsed - lastReport > TimeSpan.FromMilliseconds(500))
                {
                    lastReport = clock.Elapsed;
                    Progress(sent, total, clock.Elapsed);
                }
            }
        }
        catch (FormatException e)
        {
            Console.Error.WriteLine($"\nreplay: {e.Message}");
            return 2;
        }

        var left = producer.Flush(TimeSpan.FromSeconds(30));
        Progress(sent, total, clock.Elapsed);
        Console.Error.WriteLine(left == 0 ? "\nreplay: done" : $"\nreplay: {left} records not delivered");
        return left == 0 ? 0 : 1;
    }

    private static void Produce(IProducer<byte[], byte[]> producer, string topic, Message<byte[], byte[]> message)
    {
        while (true)
        {
            try
            {
                producer.Produce(topic, message);
                return;
            }
            catch (ProduceException<byte[], byte[]> e) when (e.Error.Code == ErrorCode.Local_QueueFull)
            {
                producer.Flush(TimeSpan.FromMilliseconds(100));
            }
        }
    }

    private static void Pace(double rate, long sent, Stopwatch clock)
    {
        if (rate > 0)
        {
            var ahead = TimeSpan.FromSeconds(sent / rate) - clock.Elapsed;
            if (ahead > TimeSpan.FromMilliseconds(1))
            {
                Thread.Sleep(ahead);
            }
        }
    }

    private static void Progress(long sent, long total, TimeSpan elapsed)
    {
        var share = total > 0 ? Math.Min(1.0, (double)sent / total) : 1.0;
        var bar = new string('#', (int)(share * 30)).PadRight(30, '.');
        var perSecond = elapsed.TotalSeconds > 0 ? sent / elapsed.TotalSeconds : 0;
        Console.Error.Write(string.Create(CultureInfo.InvariantCulture, $"\r[{bar}] {sent}/{total} ({share:P0}) {perSecond:F0} rec/s"));
    }
}
