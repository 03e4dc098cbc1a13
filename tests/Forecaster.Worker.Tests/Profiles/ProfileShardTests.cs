using System.Text;
using System.Text.Json;
using Forecaster.Core.Forecasting;
using Forecaster.Worker.Ingest;
using Forecaster.Worker.Options;
using Forecaster.Worker.Processing;
using Forecaster.Worker.Profiles;
using Forecaster.Worker.Publish;
using Forecaster.Worker.Tests.Publish;

namespace Forecaster.Worker.Tests.Profiles;

/// <summary>A shard resolves each new series' profile once and takes its step, aggregation, kind and time zone from it; the forecast record names the profile.</summary>
public class ProfileShardTests
{
    private const long T0 = 1_764_100_800_000;

    [Fact]
    public void A_series_takes_its_profiles_step_and_kind_and_its_records_name_the_profile()
    {
        var (shard, sink) = ShardWith(new ProfileRuleOptions { Name = "web", Metric = "http_*", Step = "5m", Kind = "counter" });
        var decoder = new RecordDecoder(new IngestOptions());
        for (var t = 0; t < 60; t++)
        {
            Offer(shard, decoder, t * 2, $$"""{"metric":"http_requests","labels":{"code":"200"},"ts":{{T0 + (t * 60_000)}},"value":{{t * 600}},"kind":"gauge"}""");
            Offer(shard, decoder, (t * 2) + 1, $$"""{"metric":"cpu","labels":{"host":"a"},"ts":{{T0 + (t * 60_000)}},"value":{{50 + (t % 4)}}}""");
            shard.Flush();
        }

        var http = shard.Series.Single(s => s.Id.StartsWith("http", StringComparison.Ordinal));
        var cpu = shard.Series.Single(s => s.Id.StartsWith("cpu", StringComparison.Ordinal));
        Assert.Equal((1, 300_000L), (http.ProfileIndex, http.Timeline.StepMs)); // the profile's step, not the raw minute
        Assert.Equal((0, 60_000L), (cpu.ProfileIndex, cpu.Timeline.StepMs));   // the default: the learned raw step
        var httpRecords = sink.Records.Select(r => JsonDocument.Parse(r).RootElement).Where(r => r.GetProperty("metric").GetString() == "http_requests").ToList();
        var cpuRecord = JsonDocument.Parse(sink.Records.Last(r => r.Contains("\"cpu\"", StringComparison.Ordinal))).RootElement;
        Assert.NotEmpty(httpRecords);
        Assert.All(httpRecords, r => Assert.Equal("web", r.GetProperty("profile").GetString()));
        Assert.All(httpRecords, r => Assert.Equal(300, r.GetProperty("step_s").GetDouble()));
        Assert.Equal(5, httpRecords[^1].GetProperty("points").GetInt32());
        Assert.Equal(10, httpRecords[^1].GetProperty("horizons")[0].GetProperty("q").GetProperty("0.5").GetDouble(), 0.5); // a counter: 600 per minute is 10 per second
        Assert.Equal("default", cpuRecord.GetProperty("profile").GetString());
    }

    [Fact]
    public void A_15_second_series_under_a_5_minute_rule_is_forecast_in_5_minute_buckets_of_20_points()
    {
        var (shard, sink) = ShardWith(new ProfileRuleOptions { Name = "scrape", Metric = "node_*", Step = "5m" });
        var decoder = new RecordDecoder(new IngestOptions());
        for (var t = 0; t < 240; t++)
        {
            Offer(shard, decoder, t, $$"""{"metric":"node_load1","labels":{"host":"a"},"ts":{{T0 + (t * 15_000)}},"value":{{t % 20}}}""");
            shard.Flush();
        }

        var node = Assert.Single(shard.Series);
        Assert.Equal((1, 15_000L, 300_000L), (node.ProfileIndex, node.Timeline.RawStepMs, node.Timeline.StepMs));
        var records = sink.Records.Select(r => JsonDocument.Parse(r).RootElement).ToList();
        Assert.Equal(11, records.Count); // 12 buckets of 20 points in the hour; the last is still open
        Assert.All(records, r => Assert.Equal(("scrape", 300.0, 20), (r.GetProperty("profile").GetString(), r.GetProperty("step_s").GetDouble(), r.GetProperty("points").GetInt32())));
        Assert.Equal(records.Select((_, i) => T0 + (i * 300_000L)), records.Select(r => r.GetProperty("ts").GetInt64()));
    }

    [Fact]
    public void A_series_of_a_zoned_profile_carries_the_zone_when_created_and_when_restored()
    {
        var (shard, _) = ShardWith(new ProfileRuleOptions { Name = "shop", Metric = "orders_*", TimeZone = "America/New_York" });
        var decoder = new RecordDecoder(new IngestOptions());
        for (var t = 0; t < 10; t++)
        {
            Offer(shard, decoder, t * 2, $$"""{"metric":"orders_total","labels":{},"ts":{{T0 + (t * 60_000)}},"value":{{t}},"kind":"gauge"}""");
            Offer(shard, decoder, (t * 2) + 1, $$"""{"metric":"cpu","labels":{},"ts":{{T0 + (t * 60_000)}},"value":{{t}},"kind":"gauge"}""");
            shard.Flush();
        }

        var orders = shard.Series.Single(s => s.Id.StartsWith("orders", StringComparison.Ordinal));
        Assert.Equal("America/New_York", orders.State.Zone?.Name);
        Assert.Null(shard.Series.Single(s => s.Id.StartsWith("cpu", StringComparison.Ordinal)).State.Zone);

        orders.State.Zone = null; // as a decoded checkpoint record has it: the zone is not saved
        var (restored, _) = ShardWith(new ProfileRuleOptions { Name = "shop", Metric = "orders_*", TimeZone = "America/New_York" });
        restored.StartRestore(null);
        restored.RestoreSeries(orders, []);
        Assert.Equal("America/New_York", orders.State.Zone?.Name);
    }

    /// <summary>A small shard over the default options and <paramref name="rules"/>, writing its records to the sink.</summary>
    private static (Shard Shard, WritingSink Sink) ShardWith(params ProfileRuleOptions[] rules)
    {
        var series = new SeriesOptions();
        var profiles = ProfileSet.TryBuild(new ProfilesOptions { Rules = rules }, new ForecastOptions(), series, out var problems);
        Assert.True(profiles is not null, string.Join("; ", problems));
        var sink = new WritingSink(new ForecastRecordWriter("lstm", [0.1f, 0.5f, 0.9f], [.. profiles.Profiles.Select(p => p.Name)]));
        var settings = new ForecastSettings { Horizons = 2, Season = 4, WarmupPoints = 4, HistoryCapacity = 16, HiddenSize = 4 };
        return (new Shard(0, series, settings, sink, profiles), sink);
    }

    private static void Offer(Shard shard, RecordDecoder decoder, long offset, string json)
    {
        Assert.Null(decoder.Decode(Encoding.UTF8.GetBytes(json), InputFormat.Canonical, T0 + 100_000_000));
        shard.Offsets.Register(offset);
        shard.Offer(decoder.Record, decoder.Ids, 0, offset);
        shard.Offsets.Release(offset);
    }
}
