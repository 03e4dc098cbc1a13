using System.Text;
using System.Text.Json;
using Forecaster.Worker.Ingest;
using Forecaster.Worker.Options;
using Forecaster.Worker.Publish;

namespace Forecaster.Worker.Tests.Publish;

public class SeriesJsonTests
{
    [Theory]
    [InlineData("cpu", new string[0])]
    [InlineData("cpu", new[] { "host", "a\"b", "zone", "x\\y" })]
    [InlineData("m\"e\\t", new[] { "k", "line\nbreak\ttab\r", "k2", "ünïcödé ✓", "k3", "\\" })]
    [InlineData("cpu", new[] { "empty", "" })]
    public void Metric_and_labels_written_from_the_id_read_back_as_they_came_in(string metric, string[] pairs)
    {
        var labels = new Dictionary<string, string>();
        for (var i = 0; i < pairs.Length; i += 2)
        {
            labels[pairs[i]] = pairs[i + 1];
        }

        var input = JsonSerializer.Serialize(new { metric, labels, ts = 1_764_100_800_000, value = 1.0 });
        var decoder = new RecordDecoder(new IngestOptions());
        Assert.Null(decoder.Decode(Encoding.UTF8.GetBytes(input), InputFormat.Canonical, 1_764_100_900_000));
        decoder.Ids.Build(decoder.Record, 0);
        var id = decoder.Ids.Utf8().ToArray();

        var buffer = new byte[(id.Length * 6) + 64];
        "{\"metric\":\""u8.CopyTo(buffer);
        var length = 11;
        SeriesJson.WriteMetricAndLabels(id, buffer, ref length);
        buffer[length++] = (byte)'}';

        using var doc = JsonDocument.Parse(buffer.AsMemory(0, length));
        Assert.Equal(metric, doc.RootElement.GetProperty("metric").GetString());
        var written = doc.RootElement.GetProperty("labels").EnumerateObject().ToDictionary(p => p.Name, p => p.Value.GetString());
        Assert.Equal(labels.OrderBy(p => p.Key, StringComparer.Ordinal).Select(p => p.Key), written.Keys);
        foreach (var (key, value) in labels)
        {
            Assert.Equal(value, written[key]);
        }
    }
}
