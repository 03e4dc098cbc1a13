using System.Globalization;
using System.Text;
using Forecaster.Core.Forecasting;
using Forecaster.Worker.Observability;
using Forecaster.Worker.Options;
using Forecaster.Worker.Processing;
using Forecaster.Worker.Training;
using Prometheus;

namespace Forecaster.Worker.Backtest;

/// <summary>
/// The LSTM as the worker serves it (<c>--mode stream</c>): every training point goes, as a canonical JSON
/// record, through the worker's decoder and one <see cref="Shard"/> with its <see cref="ShardTrainer"/> and the
/// retraining schedule of <c>Training</c> in config (its point-count trigger), series interleaved step by step as they would arrive. The
/// answer is the forecast the shard published at each series' last training point. Every retraining is
/// awaited where it starts, so the run is deterministic (the worker does not wait).
/// </summary>
/// <param name="lstm">The model's size and seed.</param>
/// <param name="schedule">The Training section (its StartFrom picks the initial model).</param>
/// <param name="log">Receives one line per retraining and a summary (null: none).</param>
internal sealed class StreamBacktestMethod(LstmBacktestSettings lstm, TrainingOptions schedule, TextWriter? log = null) : IBacktestMethod
{
    /// <summary>Synthetic clock of series without timestamps: 2020-01-06T00:00Z (a Monday), one hour per step.</summary>
    private const long OriginMs = 1_578_268_800_000;
    private const long StepMs = 3_600_000;

    public string Key => "lstm_stream";

    public string DisplayName => "LSTM (stream)";

    /// <summary>Retrainings the shard started in the last <see cref="Forecast"/> (each one awaited).</summary>
    public int RetrainingsStarted { get; private set; }

    /// <summary>What the last <see cref="Forecast"/> served at every point, scored one step ahead and over every horizon (<see cref="ServedScore.Summary"/>).</summary>
    public ServedSummary Served { get; private set; }

    /// <summary>The shard's model and settings at the end of the last <see cref="Forecast"/>; null before.</summary>
    public (Core.Lstm.ForecastModel Model, ForecastSettings Settings)? Final { get; private set; }

    public IReadOnlyList<MethodForecast> Forecast(IReadOnlyList<ReadOnlyMemory<double>> training, BacktestSettings settings, ProgressLine progress, CancellationToken cancellationToken)
    {
        var shortest = training.Min(series => series.Length);
        var forecastSettings = LstmBacktest.SettingsFor(settings.Horizon, settings.Season, shortest, lstm with { Seed = settings.Seed });
        var sink = new LastForecastSink(training.Count, forecastSettings, new ServedScore(training, settings.Season, forecastSettings.Horizons, forecastSettings.QuantileLevels.Length, forecastSettings.MedianIndex, 1 - (forecastSettings.QuantileLevels[^1] - forecastSettings.QuantileLevels[0])));
        var seriesOptions = new SeriesOptions { MaxSeriesPerShard = training.Count + 1, MaxBatchSeries = Math.Min(4096, training.Count), StepSeconds = (int)(StepMs / 1000) };
        var shard = new Shard(0, seriesOptions, forecastSettings, sink);
        var clock = new ReplayClock();
        var metrics = new ForecasterMetrics(Metrics.NewCustomRegistry());
        RetrainingsStarted = 0;
        using var trainer = new ShardTrainer(shard, schedule, new TrainingScheduler(1, TimeProvider.System), clock, metrics, "backtest");
        var decoder = new Ingest.RecordDecoder(new IngestOptions());
        var longest = training.Max(series => series.Length);
        var buffer = new StringBuilder();
        var clockTotal = System.Diagnostics.Stopwatch.StartNew();
        var trainingSeconds = 0.0;
        log?.WriteLine($"lstm stream: starts from {trainer.StartedFrom} ({Describe(shard.Forecaster.Model.Shape)}, version {shard.Forecaster.ModelVersion})");
        long offset = 0;
        for (var step = 0; step < longest && !cancellationToken.IsCancellationRequested; step++)
        {
            var timestamp = OriginMs + (step * StepMs);
            clock.Now = DateTimeOffset.FromUnixTimeMilliseconds(timestamp);
            for (var i = 0; i < training.Count; i++)
            {
                var index = step - (longest - training[i].Length);
                if (index >= 0)
                {
                    Offer(shard, decoder, buffer, i, timestamp, training[i].Span[index], offset++);
                }
            }

            shard.Flush();
            trainer.Poll();
            if (trainer.Running is { } running)
            {
                RetrainingsStarted++;
                running.Wait(cancellationToken);
                trainer.Poll();
                if (trainer.LastRun is { } run)
                {
                    trainingSeconds += run.Duration.TotalSeconds;
                    log?.WriteLine(string.Create(CultureInfo.InvariantCulture, $"\rlstm stream: step {step + 1}: run {RetrainingsStarted} {run.Outcome} in {run.Duration.TotalSeconds:F1} s, challenger {run.Result?.ChallengerScore:F4} champion {run.Result?.ChampionScore:F4} baseline {run.Result?.BaselineScore:F4}, {run.Result?.SeriesUsed} series, next after {trainer.PointThreshold} points"));
                }
            }

            progress.Report("lstm stream steps", step + 1, longest);
        }

        progress.Finish();
        Final = (shard.Forecaster.Model, forecastSettings);
        Served = sink.Served.Summary();
        log?.WriteLine(sink.Served.Line(Served));
        log?.WriteLine(string.Create(CultureInfo.InvariantCulture, $"lstm stream: {RetrainingsStarted} runs ({trainer.Count(TrainingOutcomes.Accepted)} accepted), {trainingSeconds:F1} s training of {clockTotal.Elapsed.TotalSeconds:F1} s, model version {shard.Forecaster.ModelVersion}"));
        return sink.Forecasts(settings.Horizon);
    }

    private static string Describe(Core.Lstm.ModelShape shape) => $"I={shape.InputSize} H={shape.HiddenSize} K={shape.Horizons} Q={shape.Quantiles}";

    private static void Offer(Shard shard, Ingest.RecordDecoder decoder, StringBuilder buffer, int series, long timestamp, double value, long offset)
    {
        buffer.Clear();
        buffer.Append(CultureInfo.InvariantCulture, $"{{\"metric\":\"backtest\",\"labels\":{{\"series\":\"{series}\"}},\"ts\":{timestamp},\"value\":{value.ToString("R", CultureInfo.InvariantCulture)},\"kind\":\"gauge\"}}");
        var reason = decoder.Decode(Encoding.UTF8.GetBytes(buffer.ToString()), InputFormat.Canonical, timestamp);
        if (reason is not null)
        {
            throw new InvalidOperationException($"The worker's decoder refused a replayed point of series {series}: {reason}.");
        }

        shard.Offsets.Register(offset);
        shard.Offer(decoder.Record, decoder.Ids, 0, offset);
        shard.Offsets.Release(offset);
    }

    /// <summary>Keeps the last forecast published for each series (series are labelled by their index).</summary>
    private sealed class LastForecastSink(int count, ForecastSettings settings, ServedScore served) : IForecastSink
    {
        private readonly double[]?[] _last = new double[]?[count];

        public ServedScore Served => served;

        public void Publish(Shard shard, SeriesEntry series, long originMs, BatchForecaster forecaster, int slot, long offset, OffsetTracker offsets)
        {
            var index = int.Parse(series.Id.AsSpan(series.Id.IndexOf('"', StringComparison.Ordinal) + 1).TrimEnd("\"}"), CultureInfo.InvariantCulture);
            var quantiles = forecaster.Quantiles(slot);
            _last[index] = quantiles.ToArray();
            var accuracy = series.State.Accuracy;
            served.Published(index, forecaster.Status(slot), quantiles, accuracy.PendingModelMedian, accuracy.PendingBaselineMedian);
        }

        public MethodForecast[] Forecasts(int horizon)
        {
            return _last.Select((last, i) => MethodForecast.FromQuantiles(
                last ?? throw new InvalidOperationException($"Series {i} was never forecast."), horizon, settings.QuantileLevels.Length, settings.MedianIndex)).ToArray();
        }
    }
}
