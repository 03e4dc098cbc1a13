using System.Globalization;
using Confluent.Kafka;

// Hosts librdkafka's mock Kafka cluster in a process of its own, so that a test can kill a worker process
// without losing the broker. Prints "bootstrap=127.0.0.1:PORT" on stdout, then lives until its standard
// input closes (the test process ends or closes it).
var brokers = args.Length > 0 ? int.Parse(args[0], CultureInfo.InvariantCulture) : 1;
var config = new AdminClientConfig { BootstrapServers = "mock:9092", LogConnectionClose = false };
config.Set("test.mock.num.brokers", brokers.ToString(CultureInfo.InvariantCulture));
using var host = new AdminClientBuilder(config).SetLogHandler((_, _) => { }).Build();
var metadata = host.GetMetadata(TimeSpan.FromSeconds(10));
Console.WriteLine("bootstrap=" + string.Join(',', metadata.Brokers.Select(b => $"{b.Host}:{b.Port}")));
Console.Out.Flush();
while (Console.In.ReadLine() is not null)
{
}
