using System.Text;
using System.Text.Json;
using Forecaster.Core.Forecasting;
using Forecaster.Worker.Ingest;
using Forecaster.Worker.Options;
using Forecaster.Worker.Processing;
using Forecaster.Worker.Publish;
using Forecaster.Worker.Tests.Publish;
using Forecaster.Worker.Training;

namespace Forecaster.Worker.Tests.Training;

/// <summary>The forecast record carries the series' self-measured quality and says which model served it; the shard summary agrees.</summary>
public class QualityRecordTests
{
    private const long T0 = 1_764_100_800_000;

    private static (Shard Shard, List<string> Records) Stream(int points)
    {
        var writer = new ForecastRecordWriter("lstm", [0.1f, 0.5f, 0.9f]);
        var sink = new WritingSink(writer);
        var settings = new ForecastSettings { Horizons = 3, Season = 4, WarmupPoints = 4, HistoryCapacity = 32, HiddenSize = 4 };
        var shard = new Shard(0, new SeriesOptions { StepSeconds = 300 }, settings, sink);
        var decoder = new RecordDecoder(new IngestOptions());
        for (var t = 0; t < points; t++)
        {
            var json = $$"""{"metric":"cpu","labels":{"host":"a"},"ts":{{T0 + (t * 300_000)}},"value":{{50 + (t % 4) + (0.1 * (t % 3))}}}""";
            Assert.Null(decoder.Decode(Encoding.UTF8.GetBytes(json), InputFormat.Canonical, T0 + 100_000_000));
            shard.Offsets.Register(t);
            shard.Offer(decoder.Record, decoder.Ids, 0, t);
            shard.Offsets.Release(t);
            shard.Flush();
        }

        return (shard, sink.Records);
    }

    /// <summary>Record numbers carry 6 significant digits: within half a unit of the sixth.</summary>
    private static void SixDigits(double expected, double written) => Assert.Equal(expected, written, Math.Abs(expected) * 5.0001e-6);

    [Fact]
    public void The_first_record_has_an_empty_quality_and_is_served_by_the_baseline()
    {
        var (_, records) = Stream(1);
        using var doc = JsonDocument.Parse(records[0]);
        var root = doc.RootElement;
        Assert.Equal("warming_up", root.GetProperty("status").GetString());
        Assert.Equal("baseline", root.GetProperty("served_by").GetString());
        Assert.Equal("lstm", root.GetProperty("model").GetString());
        var quality = root.GetProperty("quality");
        Assert.Equal(0, quality.GetProperty("samples").GetInt64());
        Assert.Equal(["samples"], quality.EnumerateObject().Select(p => p.Name));
    }

    [Fact]
    public void Later_records_carry_the_scaled_errors_and_coverages_the_shard_summary_averages()
    {
        var (shard, records) = Stream(40);
        using var doc = JsonDocument.Parse(records[^1]);
        var root = doc.RootElement;
        var quality = root.GetProperty("quality");
        var accuracy = shard.Series.Single().State.Accuracy;

        Assert.Equal(accuracy.Samples, quality.GetProperty("samples").GetInt64());
        Assert.True(accuracy.Samples > 0);
        SixDigits(accuracy.ModelScaledError, quality.GetProperty("scaled_error").GetDouble());
        SixDigits(accuracy.BaselineScaledError, quality.GetProperty("baseline_scaled_error").GetDouble());
        SixDigits(accuracy.ModelOneStepError, quality.GetProperty("scaled_error_1").GetDouble());
        SixDigits(accuracy.BaselineOneStepError, quality.GetProperty("baseline_scaled_error_1").GetDouble());
        var (one, baselineOne) = (accuracy.ModelOneStepError, accuracy.BaselineOneStepError); // the pair the status follows, with its 5 % hysteresis
        Assert.True(root.GetProperty("status").GetString() == "fallback" ? one >= baselineOne : one <= 1.05 * baselineOne, $"{root.GetProperty("status")}: {one} against {baselineOne}");
        SixDigits(accuracy.ModelCoverage, quality.GetProperty("coverage").GetDouble());
        SixDigits(accuracy.BaselineCoverage, quality.GetProperty("baseline_coverage").GetDouble());
        Assert.Equal(root.GetProperty("status").GetString() == "ok" ? "lstm" : "baseline", root.GetProperty("served_by").GetString());

        var summary = ShardAccuracy.Of(shard);
        Assert.Equal(accuracy.ModelScaledError, summary.ModelScaledError);
        Assert.Equal(accuracy.BaselineCoverage, summary.BaselineCoverage);
        Assert.Equal(accuracy.ModelOneStepError, summary.ModelOneStepError); // what the fallback compares, not the pooled error
        Assert.Equal(accuracy.BaselineOneStepError, summary.BaselineOneStepError);
        Assert.NotEqual(summary.ModelScaledError, summary.ModelOneStepError);
        Assert.Equal(1, summary.Scored);
        Assert.Equal(0, summary.WarmingUp);
        Assert.Equal(1, ShardAccuracy.Of(Stream(3).Shard).WarmingUp);
    }
}
