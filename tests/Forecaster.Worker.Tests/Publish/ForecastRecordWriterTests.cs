using System.Text.Json;
using Forecaster.Core.Forecasting;
using Forecaster.Worker.Ingest;
using Forecaster.Worker.Options;
using Forecaster.Worker.Processing;
using Forecaster.Worker.Publish;

namespace Forecaster.Worker.Tests.Publish;

public class ForecastRecordWriterTests
{
    private const long T0 = 1_764_100_800_000;

    [Fact]
    public void Record_carries_schema_series_horizons_band_and_quantile_map()
    {
        using var writer = new ForecastRecordWriter("lstm", [0.1f, 0.5f, 0.9f]);
        var sink = new WritingSink(writer);
        var settings = new ForecastSettings { Horizons = 3, Season = 4, WarmupPoints = 4, HistoryCapacity = 16, HiddenSize = 4 };
        var shard = new Shard(0, new SeriesOptions { StepSeconds = 300 }, settings, sink);
        var decoder = new RecordDecoder(new IngestOptions());
        for (var t = 0; t < 10; t++)
        {
            var json = $$"""{"metric":"cpu","labels":{"host":"a\"b","az":"1"},"ts":{{T0 + (t * 300_000)}},"value":{{50 + (t % 4)}}}""";
            Assert.Null(decoder.Decode(System.Text.Encoding.UTF8.GetBytes(json), InputFormat.Canonical, T0 + 10_000_000));
            shard.Offsets.Register(t);
            shard.Offer(decoder.Record, decoder.Ids, 0, t);
            shard.Offsets.Release(t);
            shard.Flush();
        }

        Assert.Equal(10, sink.Records.Count);
        using var doc = JsonDocument.Parse(sink.Records[^1]);
        var root = doc.RootElement;
        Assert.Equal(1, root.GetProperty("v").GetInt32());
        Assert.Equal("cpu", root.GetProperty("metric").GetString());
        Assert.Equal("a\"b", root.GetProperty("labels").GetProperty("host").GetString());
        Assert.Equal(["az", "host"], root.GetProperty("labels").EnumerateObject().Select(p => p.Name));
        var origin = T0 + (9 * 300_000);
        Assert.Equal(origin, root.GetProperty("ts").GetInt64());
        Assert.Equal(300, root.GetProperty("step_s").GetDouble());
        Assert.Equal(1, root.GetProperty("points").GetInt32()); // one raw point per 5-minute bucket here
        Assert.Equal("lstm", root.GetProperty("model").GetString());
        Assert.Contains(root.GetProperty("status").GetString(), new[] { "ok", "warming_up", "fallback" });
        Assert.InRange(root.GetProperty("anomaly").GetInt32(), -1, 1);
        Assert.InRange(root.GetProperty("anomaly_likelihood").GetDouble(), 0, 1);
        Assert.Equal([0.1, 0.9], root.GetProperty("band").EnumerateArray().Select(l => l.GetDouble()));
        var horizons = root.GetProperty("horizons").EnumerateArray().ToList();
        Assert.Equal(3, horizons.Count);
        for (var k = 0; k < 3; k++)
        {
            var h = horizons[k];
            Assert.Equal(k + 1, h.GetProperty("h").GetInt32());
            Assert.Equal(origin + ((k + 1) * 300_000), h.GetProperty("ts").GetInt64());
            var q = h.GetProperty("q");
            Assert.Equal(h.GetProperty("yhat").GetDouble(), q.GetProperty("0.5").GetDouble());
            Assert.Equal(h.GetProperty("yhat_lower").GetDouble(), q.GetProperty("0.1").GetDouble());
            Assert.Equal(h.GetProperty("yhat_upper").GetDouble(), q.GetProperty("0.9").GetDouble());
            Assert.True(q.GetProperty("0.1").GetDouble() <= q.GetProperty("0.9").GetDouble());
        }
    }
}
