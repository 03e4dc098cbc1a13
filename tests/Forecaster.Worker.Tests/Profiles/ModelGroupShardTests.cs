using System.Text;
using System.Text.Json;
using Forecaster.Worker.Checkpoints;
using Forecaster.Worker.Ingest;
using Forecaster.Worker.Observability;
using Forecaster.Worker.Options;
using Forecaster.Worker.Processing;
using Forecaster.Worker.Profiles;
using Forecaster.Worker.Publish;
using Forecaster.Worker.Tests.Driver;
using Forecaster.Worker.Tests.Publish;
using Forecaster.Worker.Training;
using Microsoft.Extensions.Time.Testing;

namespace Forecaster.Worker.Tests.Profiles;

/// <summary>
/// Issue 11's settings in time with a learned step: one shard, the default profile (`Series:MinStep` 5m, seasons 1d and 1w,
/// horizon 1h), series at 10 s, 15 s, 60 s, 5 min and 1 h spacing. Each gets its step, its seasons and horizon counted in
/// it, a model group of its shape, and one record per closed bucket; the groups survive a checkpoint and restore.
/// </summary>
public class ModelGroupShardTests
{
    private const long T0 = 1_764_100_800_000; // a whole hour
    private const long Hour = 3_600_000;
    private static readonly (string Name, long SpacingMs)[] Spacings = [("s10", 10_000), ("s15", 15_000), ("s60", 60_000), ("m5", 300_000), ("h1", Hour)];

    [Fact]
    public void Each_spacing_gets_its_step_seasons_and_horizon_and_one_record_per_closed_bucket()
    {
        var (shard, sink) = TimeShard();
        var decoder = new RecordDecoder(new IngestOptions());
        Feed(shard, decoder, 0, 12 * Hour);

        foreach (var (name, spacing) in Spacings)
        {
            var series = shard.Series.Single(s => s.Id.StartsWith(name + "{", StringComparison.Ordinal));
            var step = Math.Max(spacing, 300_000);
            var settings = series.Group!.Settings;
            var expected = step == Hour ? (24, 168, 1, 1) : (288, 168, 12, 12); // a day, an hour of the week, an hour
            Assert.Equal((step, expected), (series.Timeline.StepMs, (settings.Season, settings.WeeklySeason, settings.WeeklyStride, settings.Horizons)));
            Assert.True(series.State.Fits(settings));

            var records = sink.Records.Select(r => JsonDocument.Parse(r).RootElement).Where(r => r.GetProperty("metric").GetString() == name).ToList();
            var closed = (int)(12 * Hour / step) - (spacing < step ? 1 : 0); // every bucket of the 12 hours; an aggregated one's last is still open
            Assert.Equal(closed, records.Count);
            Assert.Equal(Enumerable.Range(0, closed).Select(i => T0 + (i * step)), records.Select(r => r.GetProperty("ts").GetInt64()));
            Assert.All(records, r => Assert.Equal((step / 1000.0, (int)(step / spacing), expected.Item4), (r.GetProperty("step_s").GetDouble(), r.GetProperty("points").GetInt32(), r.GetProperty("horizons").GetArrayLength())));
        }

        Assert.Equal(3, shard.Groups.All.Count); // the shard's own (24 steps, unused), 5-minute and hourly
        Assert.Empty(shard.SeriesOf(shard.Groups.Base));
    }

    [Fact]
    public void A_checkpoint_of_several_groups_restores_each_series_into_its_group_and_forecasts_as_the_uninterrupted_shard()
    {
        var (live, liveSink) = TimeShard();
        var decoder = new RecordDecoder(new IngestOptions());
        var offset = Feed(live, decoder, 0, 30 * Hour);
        var hourly = live.Groups.All.Single(g => g.Settings.Season == 24 && g.Index > 0);
        hourly.Forecaster.SwapModel(hourly.Forecaster.Model.Clone(7)); // a trained model of that shape, as far as the checkpoint can tell

        var cluster = new FakeCluster();
        using var collector = new RecordCollector(new FakeProducer(cluster), health: null);
        var writer = new CheckpointWriter(collector, "state", live.Forecaster.Settings);
        var acks = new CheckpointAcks();
        writer.Write(new ShardCheckpoint("metrics", live, 1, -1), offset, acks);
        collector.Flush(TimeSpan.FromSeconds(5));
        Assert.True(acks.Completed(out var error), error?.Reason);
        var saved = new FakeStateReader(cluster, "state", live.Forecaster.Settings).Read("metrics", 0, out _, out _)!;
        Assert.Equal(["s24w168x1h1q0.1_0.5_0.9", "s288w168x12h12q0.1_0.5_0.9"], saved.ShapeModels.Keys.Order(StringComparer.Ordinal));

        var (restored, restoredSink) = TimeShard();
        Assert.Equal(0, RestoreApplier.Apply(restored, saved, rewarmSteps: 48));
        foreach (var series in live.Series)
        {
            var back = restored.Series.Single(s => s.Id == series.Id);
            Assert.Equal(series.Group!.Shape, back.Group!.Shape);
            Assert.Equal(series.State.Steps, back.State.Steps);
        }

        Assert.Equal(7, restored.Groups.All.Single(g => g.Shape == hourly.Shape).Forecaster.ModelVersion);
        liveSink.Records.Clear();
        Feed(live, decoder, 30 * Hour, 36 * Hour, offset);
        Feed(restored, new RecordDecoder(new IngestOptions()), 30 * Hour, 36 * Hour, offset);
        Assert.NotEmpty(liveSink.Records);
        Assert.Equal(liveSink.Records, restoredSink.Records);
    }

    [Fact]
    public void A_series_whose_scrape_interval_changes_for_good_moves_to_the_group_of_its_new_step()
    {
        var (shard, sink) = TimeShard();
        var decoder = new RecordDecoder(new IngestOptions());
        var offset = Feed(shard, decoder, 0, 2 * Hour, spacings: [("x", 15_000)]);
        var series = Assert.Single(shard.Series);
        var before = series.Group!;
        Feed(shard, decoder, 2 * Hour, 8 * Hour, offset, [("x", 600_000)]); // the scrape interval goes to 10 minutes

        Assert.Equal(288, before.Settings.Season);
        Assert.Equal(600_000L, series.Timeline.StepMs);
        Assert.Equal((144, 168, 6, 6), (series.Group!.Settings.Season, series.Group.Settings.WeeklySeason, series.Group.Settings.WeeklyStride, series.Group.Settings.Horizons));
        Assert.True(series.State.Fits(series.Group.Settings));
        var last = JsonDocument.Parse(sink.Records[^1]).RootElement;
        Assert.Equal((600.0, 6), (last.GetProperty("step_s").GetDouble(), last.GetProperty("horizons").GetArrayLength()));
    }

    [Fact]
    public async Task Each_group_retrains_on_its_own_series_and_swaps_only_its_own_model()
    {
        var (shard, _) = TimeShard();
        var spacings = new (string, long)[] { ("m5a", 300_000), ("m5b", 300_000), ("h1a", Hour), ("h1b", Hour), ("h1c", Hour) };
        Feed(shard, new RecordDecoder(new IngestOptions()), 0, 80 * Hour, spacings: spacings); // an hourly history of 80 holds 24 + 1 + 48 + 1
        var five = shard.Groups.All.Single(g => g.Settings.Season == 288);
        var hourly = shard.Groups.All.Single(g => g.Index > 0 && g.Settings.Season == 24);
        var time = new FakeTimeProvider(DateTimeOffset.FromUnixTimeMilliseconds(T0 + (80 * Hour)));
        TrainingOptions Options(int interval) => new() { Enabled = true, Interval = interval, EveryPoints = 0, Window = 24, Batch = 4, Steps = 30, LearningRate = 5e-3f, BurnIn = 4, MaxSeconds = 600, MaxSeries = 0, Seed = 3, StartFrom = InitialModel.Scratch };
        var options = Options(0);
        var metrics = new ForecasterMetrics(Prometheus.Metrics.NewCustomRegistry());
        using var fiveTrainer = new ShardTrainer(shard, five, options, new TrainingScheduler(1, time), time, metrics, "metrics");
        using var hourlyTrainer = new ShardTrainer(shard, hourly, options, new TrainingScheduler(1, time), time, metrics, "metrics");

        Assert.True(hourlyTrainer.Start());
        var run = await hourlyTrainer.Running!;
        var swapped = hourlyTrainer.Poll();
        Assert.True(fiveTrainer.Start());
        var fiveRun = await fiveTrainer.Running!;

        Assert.Equal((3, 2), (run.Result!.SeriesUsed, fiveRun.Result!.SeriesUsed)); // each group samples its own series only
        Assert.Equal(swapped ? 1 : 0, hourly.Forecaster.ModelVersion);
        Assert.Equal((0L, 0L), (five.Forecaster.ModelVersion, shard.Forecaster.ModelVersion)); // the other groups keep theirs
        Assert.Equal(run.Outcome == TrainingOutcomes.Accepted, swapped);

        var byClock = Options(1);
        using var baseTrainer = new ShardTrainer(shard, shard.Groups.Base, byClock, new TrainingScheduler(1, time), time, metrics, "metrics");
        using var clockedHourly = new ShardTrainer(shard, hourly, byClock, new TrainingScheduler(1, time), time, metrics, "metrics");
        time.Advance(TimeSpan.FromSeconds(2));
        Assert.Equal((false, true), (baseTrainer.IsDue, clockedHourly.IsDue)); // the empty group 0 never runs "not enough data"
    }

    [Fact]
    public async Task Each_group_has_its_own_model_version_loss_and_gradient_norm_and_the_unused_group_0_none()
    {
        var (shard, _) = TimeShard();
        Feed(shard, new RecordDecoder(new IngestOptions()), 0, 80 * Hour, spacings: [("m5a", 300_000), ("h1a", Hour), ("h1b", Hour)]);
        var time = new FakeTimeProvider(DateTimeOffset.FromUnixTimeMilliseconds(T0 + (80 * Hour)));
        var options = new TrainingOptions { Enabled = true, Interval = 0, EveryPoints = 0, Window = 24, Batch = 4, Steps = 30, LearningRate = 5e-3f, BurnIn = 4, MaxSeconds = 600, MaxSeries = 0, Seed = 3, StartFrom = InitialModel.Scratch };
        var metrics = new ForecasterMetrics(Prometheus.Metrics.NewCustomRegistry());
        var trainers = shard.Groups.All.Select(g => new ShardTrainer(shard, g, options, new TrainingScheduler(1, time), time, metrics, "metrics")).ToList();
        var hourly = trainers.Single(t => t.Shape.StartsWith("s24w168", StringComparison.Ordinal));
        var five = trainers.Single(t => t.Shape.StartsWith("s288w", StringComparison.Ordinal));
        var hourlyGroup = shard.Groups.All.Single(g => g.Shape == hourly.Shape);
        hourlyGroup.Forecaster.SwapModel(hourlyGroup.Forecaster.Model.Clone(6)); // a trained model, so the gauge can tell it from the others
        trainers.ForEach(t => t.Poll());
        var summary = ShardAccuracy.Of(shard); // what group 0's first poll published

        Assert.Equal(["s24w0x1h12q0.1_0.5_0.9", five.Shape, hourly.Shape], trainers.Select(t => t.Shape)); // group 0 is named by its own shape
        Assert.Equal($"{five.Shape} v0, {hourly.Shape} v6", ShardRestore.ModelVersions(shard)); // the restore's log line names the groups that hold series
        static Dictionary<string, double> Shapes(Prometheus.Gauge gauge) => gauge.GetAllLabelValues().ToDictionary(l => l[2], l => gauge.WithLabels(l).Value);
        Assert.Equal(new Dictionary<string, double> { [five.Shape] = 0, [hourly.Shape] = 6 }, Shapes(metrics.ModelVersion)); // group 0 holds no series: no version of it is shown
        Assert.Equal(new Dictionary<string, double> { [five.Shape] = double.NaN, [hourly.Shape] = double.NaN }, Shapes(metrics.TrainingLastLoss));

        Assert.True(hourly.Start());
        var run = await hourly.Running!;
        hourly.Poll();
        var fit = run.Result!.Fit!;
        Assert.Equal(new Dictionary<string, double> { [five.Shape] = double.NaN, [hourly.Shape] = fit.LastLoss }, Shapes(metrics.TrainingLastLoss)); // the 5-minute group's stays its own
        Assert.Equal(new Dictionary<string, double> { [five.Shape] = double.NaN, [hourly.Shape] = fit.LastPreClipNorm }, Shapes(metrics.TrainingGradNorm));
        Assert.Equal(run.Outcome == TrainingOutcomes.Accepted ? 7 : 6, hourlyGroup.Forecaster.ModelVersion);
        Assert.Equal(new Dictionary<string, double> { [five.Shape] = 0, [hourly.Shape] = hourlyGroup.Forecaster.ModelVersion }, Shapes(metrics.ModelVersion));

        hourly.Abandon();
        Assert.Equal(new Dictionary<string, double> { [five.Shape] = 0 }, Shapes(metrics.ModelVersion)); // one group's children go with it, the others' stay
        Assert.Equal(2, metrics.OnlineCoverage.GetAllLabelValues().Count()); // the shard's accuracy gauges (lstm, baseline) are group 0's
        Assert.Equal(summary.ModelOneStepError, metrics.OnlineScaledErrorOneStep.WithLabels("metrics", "0", "lstm").Value); // over every group's series
        Assert.Equal(summary.BaselineOneStepError, metrics.OnlineScaledErrorOneStep.WithLabels("metrics", "0", "baseline").Value);
        Assert.False(double.IsNaN(summary.BaselineOneStepError));
        trainers.ForEach(t => t.Dispose());
        Assert.Empty(metrics.ModelVersion.GetAllLabelValues());
        Assert.Empty(metrics.OnlineCoverage.GetAllLabelValues());
        Assert.Empty(metrics.OnlineScaledErrorOneStep.GetAllLabelValues());
    }

    /// <summary>A shard of the default profile in time: 5-minute floor, seasons 1d and 1w, horizon 1h; a small LSTM.</summary>
    private static (Shard Shard, WritingSink Sink) TimeShard()
    {
        var series = new SeriesOptions { MinStep = 300 };
        var forecast = new ForecastOptions { Seasons = ["1d", "1w"], Horizon = "1h", HiddenSize = 4, HistoryCapacity = 320 };
        var profiles = ProfileSet.TryBuild(new ProfilesOptions(), forecast, series, out var problems);
        Assert.True(profiles is not null, string.Join("; ", problems));
        var sink = new WritingSink(new ForecastRecordWriter("lstm", [0.1f, 0.5f, 0.9f], [.. profiles.Profiles.Select(p => p.Name)]));
        return (new Shard(0, series, forecast.ToSettings(), sink, profiles), sink);
    }

    /// <summary>Every series' points from <paramref name="fromMs"/> to <paramref name="toMs"/> after T0, a daily sine; returns the next offset.</summary>
    private static long Feed(Shard shard, RecordDecoder decoder, long fromMs, long toMs, long offset = 0, (string Name, long SpacingMs)[]? spacings = null)
    {
        spacings ??= Spacings;
        var tick = spacings.Min(s => s.SpacingMs) == 10_000 ? 5_000 : spacings.Min(s => s.SpacingMs);
        for (var t = fromMs; t < toMs; t += tick)
        {
            foreach (var (name, spacing) in spacings)
            {
                if (t % spacing == 0)
                {
                    var value = 100 + (50 * Math.Sin(2 * Math.PI * t / (24.0 * Hour)));
                    var json = $$"""{"metric":"{{name}}","labels":{"host":"a"},"ts":{{T0 + t}},"value":{{value.ToString("R", System.Globalization.CultureInfo.InvariantCulture)}}}""";
                    Assert.Null(decoder.Decode(Encoding.UTF8.GetBytes(json), InputFormat.Canonical, T0 + toMs));
                    shard.Offsets.Register(offset);
                    shard.Offer(decoder.Record, decoder.Ids, 0, offset);
                    shard.Offsets.Release(offset++);
                }
            }

            shard.Flush();
        }

        return offset;
    }
}
