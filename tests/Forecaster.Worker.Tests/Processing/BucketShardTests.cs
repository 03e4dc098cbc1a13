using System.Globalization;
using System.Text;
using Forecaster.Core.Forecasting;
using Forecaster.Worker.Ingest;
using Forecaster.Worker.Options;
using Forecaster.Worker.Processing;
using Forecaster.Worker.Tests.Deploy;

namespace Forecaster.Worker.Tests.Processing;

/// <summary>Step buckets through a shard (issue 11 item 2): one forecast per closed bucket, the same forecasts from 15-second scrapes as from 5-minute samples, and offsets held until a bucket's forecast is acknowledged.</summary>
public class BucketShardTests
{
    private const long T0 = 1_764_100_800_000; // a whole day: 5-minute buckets start on it
    private const long FiveMinutes = 300_000;

    private static readonly ForecastSettings Settings = new() { Horizons = 3, Season = 12, WarmupPoints = 24, HistoryCapacity = 64, HiddenSize = 4 };
    private static readonly SeriesOptions Floored = new() { MinStep = 300 };

    private readonly RecordDecoder _decoder = new(new IngestOptions());

    [Fact]
    public void A_nab_series_fed_as_15_second_points_gives_the_forecasts_of_its_5_minute_samples()
    {
        var values = NabValues("realAWSCloudwatch", "ec2_cpu_utilization_5f5533.csv", 300);
        var coarseSink = new DeferredSink();
        var fineSink = new DeferredSink();
        var coarse = new Shard(0, Floored, Settings, coarseSink);
        var fine = new Shard(0, Floored, Settings, fineSink);
        var random = new Random(11);
        long coarseOffset = 0, fineOffset = 0;
        for (var k = 0; k < values.Length; k++)
        {
            var bucket = T0 + (k * FiveMinutes);
            Assert.Equal(OfferResult.Accepted, Offer(coarse, bucket + 150_000, values[k], coarseOffset++));
            for (var i = 0; i < 20; i++)
            {
                var ts = bucket + 7_500 + (i * 15_000) + random.Next(-2_000, 2_001); // jittered, always inside its bucket
                Assert.Contains(Offer(fine, ts, values[k], fineOffset++), new[] { OfferResult.Accepted, OfferResult.Merged });
            }

            coarse.Flush();
            fine.Flush();
        }

        Assert.Equal((FiveMinutes, FiveMinutes), (coarse.Series.Single().Timeline.StepMs, fine.Series.Single().Timeline.StepMs));
        Assert.Equal(15_000, fine.Series.Single().Timeline.RawStepMs);
        Assert.Equal(values.Length, coarseSink.Forecasts.Count);
        Assert.Equal(values.Length - 1, fineSink.Forecasts.Count); // one record per closed bucket: the last one is still open
        Assert.All(coarseSink.Forecasts, f => Assert.Equal(1, f.Points));
        Assert.All(fineSink.Forecasts, f => Assert.Equal(20, f.Points));
        Assert.Contains(fineSink.Forecasts, f => f.Status == SeriesStatus.Ok);
        for (var k = 0; k < fineSink.Forecasts.Count; k++)
        {
            var (expected, actual) = (coarseSink.Forecasts[k], fineSink.Forecasts[k]);
            Assert.Equal((expected.Origin, expected.Status), (actual.Origin, actual.Status));
            Assert.Equal(expected.Quantiles, actual.Quantiles, (a, b) => Math.Abs(a - b) <= 1e-9 * Math.Max(1, Math.Abs(a)));
        }
    }

    [Fact]
    public void Every_raw_offset_of_a_bucket_is_held_until_its_forecast_is_acknowledged()
    {
        var sink = new DeferredSink();
        var shard = new Shard(0, Floored, Settings, sink);
        for (var i = 0; i < 20; i++)
        {
            Offer(shard, T0 + 5_000 + (i * 15_000), 10 + i, i); // bucket 0, offsets 0..19
        }

        Offer(shard, T0 + FiveMinutes + 5_000, 50, 20); // bucket 1 begins: bucket 0 closes
        shard.Flush();
        var forecast = Assert.Single(sink.Forecasts);
        Assert.Equal((T0, 0L, 20), (forecast.Origin, forecast.Offset, forecast.Points));

        Assert.False(shard.Offsets.TryAdvance(out var stored)); // not acknowledged: nothing of the bucket may be stored
        Assert.Equal(0, stored);

        // A crash now restarts from the stored offset: every raw point of the bucket is read again.
        var restartedSink = new DeferredSink();
        var restarted = new Shard(0, Floored, Settings, restartedSink);
        for (var offset = stored; offset <= 20; offset++)
        {
            Offer(restarted, offset < 20 ? T0 + 5_000 + (offset * 15_000) : T0 + FiveMinutes + 5_000, offset < 20 ? 10 + offset : 50, offset);
        }

        restarted.Flush();
        Assert.Equal(forecast.Quantiles, Assert.Single(restartedSink.Forecasts).Quantiles);
        Assert.Equal(20, restartedSink.Forecasts[0].Points);

        sink.Acknowledge();
        Assert.True(shard.Offsets.TryAdvance(out stored));
        Assert.Equal(20, stored); // past every point of bucket 0; bucket 1 (offset 20) is still open
    }

    [Fact]
    public void A_quiet_series_bucket_closes_after_the_bounded_wait_in_stream_time()
    {
        var sink = new DeferredSink();
        var shard = new Shard(0, new SeriesOptions { MinStep = 300, BucketCloseAfter = 60 }, Settings, sink);
        long offset = 0;
        for (var i = 0; i < 40; i++)
        {
            Offer(shard, T0 + 5_000 + (i * 15_000), 1, offset++, "quiet"); // buckets 0 and 1, then silence
            Offer(shard, T0 + 5_000 + (i * 15_000), 2, offset++, "busy");
        }

        shard.Flush();
        Assert.Equal(2, sink.Forecasts.Count); // bucket 0 of each, closed when bucket 1 began
        for (var i = 40; i < 45; i++)
        {
            Offer(shard, T0 + 5_000 + (i * 15_000), 2, offset++, "busy"); // bucket 2 of the busy series only: stream time moves on
        }

        shard.Flush();
        var quiet = sink.Forecasts.Where(f => f.Series == "quiet").Select(f => (f.Origin, f.Points)).ToList();
        Assert.Equal([(T0, 20), (T0 + FiveMinutes, 20)], quiet); // bucket 1 closed 60 s after it ended, with no point of its own after it
        Assert.Equal(OfferResult.LateInBucket, Offer(shard, T0 + (2 * FiveMinutes) - 1_000, 1, offset++, "quiet"));
    }

    private OfferResult Offer(Shard shard, long ts, double value, long offset, string series = "x")
    {
        var json = $$"""{"metric":"nab","labels":{"s":"{{series}}"},"ts":{{ts}},"value":{{value.ToString("R", CultureInfo.InvariantCulture)}}}""";
        Assert.Null(_decoder.Decode(Encoding.UTF8.GetBytes(json), InputFormat.Canonical, ts));
        shard.Offsets.Register(offset);
        var result = shard.Offer(_decoder.Record, _decoder.Ids, 0, offset);
        shard.Offsets.Release(offset);
        return result;
    }

    private static double[] NabValues(string folder, string file, int count) =>
        [.. File.ReadLines(Path.Combine(RepositoryFiles.Root, "..", "shared", "data", "nab", folder, file)).Skip(1).Take(count)
            .Select(line => double.Parse(line.Split(',')[1], CultureInfo.InvariantCulture))];

    /// <summary>Keeps each forecast with its bucket's point count; holds each forecast's offset until <see cref="Acknowledge"/>, as the Kafka publisher does until its delivery report.</summary>
    private sealed class DeferredSink : IForecastSink
    {
        private readonly List<(OffsetTracker Offsets, long Offset)> _unacknowledged = [];

        public List<(string Series, long Origin, long Offset, int Points, SeriesStatus Status, double[] Quantiles)> Forecasts { get; } = [];

        public void Publish(Shard shard, SeriesEntry series, long originMs, BatchForecaster forecaster, int slot, long offset, OffsetTracker offsets)
        {
            Forecasts.Add((SeriesIdLabel(series), originMs, offset, series.BucketPoints, forecaster.Status(slot), forecaster.Quantiles(slot).ToArray()));
            offsets.Hold(offset);
            _unacknowledged.Add((offsets, offset));
        }

        private static string SeriesIdLabel(SeriesEntry series) => series.Id[(series.Id.IndexOf('"', StringComparison.Ordinal) + 1)..^2];

        public void Acknowledge()
        {
            foreach (var (offsets, offset) in _unacknowledged)
            {
                offsets.Release(offset);
            }

            _unacknowledged.Clear();
        }
    }
}
