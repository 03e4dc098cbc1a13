using System.Globalization;
using System.Text;
using Forecaster.Core.Forecasting;
using Forecaster.Worker.Ingest;
using Forecaster.Worker.Options;
using Forecaster.Worker.Processing;

namespace Forecaster.Worker.Nab;

/// <summary>
/// Runs one NAB file through the worker's own code: every row as a canonical JSON record through the
/// worker's decoder into one <see cref="Shard"/> with the worker's default settings, except that the season
/// is one day of steps at the file's median spacing (and the warm-up and history hold at least one season)
/// and the step is that spacing. Each row is flushed before the next, as a lone series is in the worker.
/// </summary>
internal static class NabRunner
{
    public static NabDetection Run(NabFile file, double threshold)
    {
        var spacing = file.MedianSpacingSeconds();
        var defaults = new ForecastOptions().ToSettings();
        var season = (int)Math.Max(1, Math.Round(86_400.0 / spacing));
        var settings = defaults with
        {
            Season = season,
            WarmupPoints = Math.Max(defaults.WarmupPoints, season),
            HistoryCapacity = Math.Max(defaults.HistoryCapacity, season),
            AnomalyThreshold = threshold,
        };
        var trace = new ForecastTrace(file.Rows);
        var options = new SeriesOptions { StepSeconds = (int)spacing, MaxBatchSeries = 1, MaxSeriesPerShard = 1 };
        var shard = new Shard(0, options, settings, new TraceSink(trace));
        var decoder = new RecordDecoder(new IngestOptions());
        var buffer = new StringBuilder();
        var refused = 0;
        for (var row = 0; row < file.Rows; row++)
        {
            var ts = new DateTimeOffset(file.Timestamps[row], TimeSpan.Zero).ToUnixTimeMilliseconds();
            buffer.Clear();
            buffer.Append(CultureInfo.InvariantCulture, $"{{\"metric\":\"nab\",\"labels\":{{\"file\":\"x\"}},\"ts\":{ts},\"value\":{file.Values[row].ToString("R", CultureInfo.InvariantCulture)},\"kind\":\"gauge\"}}");
            var reason = decoder.Decode(Encoding.UTF8.GetBytes(buffer.ToString()), InputFormat.Canonical, ts);
            if (reason is not null)
            {
                throw new InvalidOperationException($"{file.Path} row {row + 2}: the worker's decoder refused the point: {reason}.");
            }

            shard.Offsets.Register(row);
            if (shard.Offer(decoder.Record, decoder.Ids, 0, row) != OfferResult.Accepted)
            {
                refused++;
            }

            shard.Offsets.Release(row);
            shard.Flush();
        }

        return new NabDetection(file, trace, spacing, season, refused);
    }

    /// <summary>Writes each published forecast's anomaly fields into the trace at its row (the offset).</summary>
    private sealed class TraceSink(ForecastTrace trace) : IForecastSink
    {
        public void Publish(Shard shard, SeriesEntry series, long originMs, BatchForecaster forecaster, int slot, long offset, OffsetTracker offsets)
        {
            var row = (int)offset;
            trace.Published[row] = true;
            trace.Likelihoods[row] = forecaster.AnomalyLikelihood(slot);
            trace.Directions[row] = forecaster.AnomalyDirection(slot);
            trace.WarmingUp[row] = forecaster.Status(slot) == SeriesStatus.WarmingUp;
            trace.Events[row] = forecaster.AnomalyFlag(slot);
            var quantiles = forecaster.Quantiles(slot);
            var levels = forecaster.Settings.QuantileLevels.Length;
            if (row + 1 < trace.Lower.Length)
            {
                trace.Lower[row + 1] = quantiles[0];
                trace.Median[row + 1] = quantiles[forecaster.Settings.MedianIndex];
                trace.Upper[row + 1] = quantiles[levels - 1];
            }
        }
    }
}
