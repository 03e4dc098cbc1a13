using System.CommandLine;
using Forecaster.Worker.Commands;
using Forecaster.Worker.Ingest;
using Forecaster.Worker.Options;
using Forecaster.Worker.Tests.Hosting;

namespace Forecaster.Worker.Tests.Commands;

[Collection(MockClusterTests.Name)]
public class ReplayCommandTests(MockClusterFixture cluster)
{
    [Fact]
    public async Task Replay_produces_every_row_as_a_canonical_point_keyed_by_series()
    {
        var csv = Path.GetTempFileName();
        try
        {
            var lines = new List<string> { "series,timestamp,value" };
            string[] series = ["cpu{host=\"a\"}", "cpu{host=\"b\"}", "mem"];
            for (var t = 0; t < 5; t++)
            {
                lines.AddRange(series.Select(s => $"\"{s.Replace("\"", "\"\"", StringComparison.Ordinal)}\",{TopicIo.T0 + (t * 60_000)},{t}.5"));
            }

            await File.WriteAllLinesAsync(csv, lines);
            var root = new RootCommand { ReplayCommand.Create() };

            var exit = await root.Parse(["replay", "--input", csv, "--topic", "replay.in", "--bootstrap", cluster.BootstrapServers]).InvokeAsync();

            Assert.Equal(0, exit);
            var records = TopicIo.ReadAll(cluster.BootstrapServers, "replay.in", 15);
            Assert.Equal(15, records.Count);
            var decoder = new RecordDecoder(new IngestOptions());
            foreach (var record in records)
            {
                Assert.Null(decoder.Decode(record.Message.Value, InputFormat.Canonical, TopicIo.T0 + 3_600_000));
                Assert.Equal(TopicIo.Key(record), decoder.Ids.Build(decoder.Record, 0).ToString());
            }

            Assert.Equal(3, records.GroupBy(TopicIo.Key).Count(g => g.Select(r => r.Partition.Value).Distinct().Count() == 1));
        }
        finally
        {
            File.Delete(csv);
        }
    }
}
