using Forecaster.Worker.Ingest;
using Forecaster.Worker.Observability;
using Forecaster.Worker.Options;
using Forecaster.Worker.Processing;
using Forecaster.Worker.Tests.Observability;
using Forecaster.Worker.Training;
using Microsoft.Extensions.Time.Testing;

namespace Forecaster.Worker.Tests.Training;

/// <summary>
/// NAB's real 5-minute streams with a daily season (288 steps) and frequent retraining, logged through a
/// logger that writes values the way the JSON console formatter does (issue 15: a NaN held-out score crashed it, in a loop).
/// </summary>
public class NabDailySeasonTests
{
    private const int Season = 288;

    [Fact]
    public async Task A_retraining_with_nothing_to_score_logs_its_scores_as_null_instead_of_throwing()
    {
        // History 512 < season + horizons + warm-up + 1 = 589: every run ends not_enough_data with NaN scores
        // (the configuration the worker now refuses at start-up; the trainer must still survive it).
        var logger = new JsonStateLogger();
        var run = await RunAsync(new ForecastOptions { Season = Season, WarmupPoints = Season, HistoryCapacity = 512 }, logger, points: 12_000);

        Assert.True(run.Trainer.Count(TrainingOutcomes.NotEnoughData) >= 1, "no retraining ended");
        Assert.Contains(logger.Entries, e => e.Contains("\"Outcome\":\"not_enough_data\"", StringComparison.Ordinal) && e.Contains("\"Challenger\":null", StringComparison.Ordinal));
        Assert.Equal(run.Accepted, run.Sink.Count);
    }

    [Fact]
    public async Task Nab_streams_with_a_daily_season_and_frequent_training_keep_forecasting()
    {
        var logger = new JsonStateLogger();
        var run = await RunAsync(new ForecastOptions { Season = Season, WarmupPoints = Season, HistoryCapacity = 1024 }, logger, points: int.MaxValue);

        Assert.True(run.Runs >= 3, $"only {run.Runs} retrainings ended");
        Assert.Equal(0, run.Trainer.Count(TrainingOutcomes.Failed));
        Assert.Equal(run.Accepted, run.Sink.Count);
        Assert.Equal(run.Runs, logger.Entries.Count(e => e.Contains("\"EventId\":40", StringComparison.Ordinal)));
    }

    private static async Task<(ShardTrainer Trainer, CountingSink Sink, long Accepted, long Runs)> RunAsync(ForecastOptions forecast, JsonStateLogger logger, int points)
    {
        var training = new TrainingOptions { Interval = 0, EveryPoints = 10_000, Steps = 20 };
        var time = new FakeTimeProvider();
        var sink = new CountingSink();
        var shard = new Shard(0, new SeriesOptions { StepSeconds = 300 }, forecast.ToSettings(), sink);
        var trainer = new ShardTrainer(shard, training, new TrainingScheduler(1, time), time, new ForecasterMetrics(Prometheus.Metrics.NewCustomRegistry()), "nab", logger);
        var decoder = new RecordDecoder(new IngestOptions());
        long offset = 0;
        long accepted = 0;
        long runs = 0;
        foreach (var (ms, stream, value) in NabStreams.Read("realAWSCloudwatch").Take(points))
        {
            accepted += NabStreams.Offer(shard, decoder, offset++, ms, stream, value) == OfferResult.Accepted ? 1 : 0;
            if (offset % 64 == 0)
            {
                shard.Flush();
                trainer.Poll();
                if (trainer.Running is { } running)
                {
                    await running;
                    trainer.Poll();
                    runs++;
                }
            }
        }

        shard.Flush();
        trainer.Dispose();
        return (trainer, sink, accepted, runs);
    }
}
