using System.Text;
using Forecaster.Core.Forecasting;
using Forecaster.Worker.Ingest;
using Forecaster.Worker.Options;
using Forecaster.Worker.Processing;

namespace Forecaster.Worker.Bench;

/// <summary>
/// Managed memory per series of one shard (series table, timelines, Core's state) measured as the heap
/// growth from an empty shard to one holding <c>series</c> series, each offered <c>steps</c> points
/// (<c>node_cpu{host="host-NNNNNN",mode="user"}</c>, one step apart: <see cref="SeriesOptions.StepSeconds"/>, 60 s when 0). Every per-series buffer is allocated at its
/// full size when the series is created (the history ring included), so a few steps give the full-history
/// figure; the caller must be the only thing allocating (GC.GetTotalMemory counts every thread).
/// </summary>
internal static class SeriesSizing
{
    public const long T0 = 1_764_100_800_000;

    /// <summary>Bytes per series, and the shard itself without series.</summary>
    public static (double PerSeries, long EmptyShard) Measure(int series, int steps, ForecastSettings settings, SeriesOptions options)
    {
        var decoder = new RecordDecoder(new IngestOptions());
        var before = GC.GetTotalMemory(forceFullCollection: true);
        var shard = new Shard(0, options, settings, new DiscardingSink());
        var empty = GC.GetTotalMemory(forceFullCollection: true);
        var stepMs = (options.StepSeconds > 0 ? options.StepSeconds : 60) * 1000L;
        var now = T0 + ((steps + 1) * stepMs);
        var json = new byte[256];
        long offset = 0;
        for (var t = 0; t < steps; t++)
        {
            for (var s = 0; s < series; s++)
            {
                var length = Point(json, s, t, stepMs);
                if (decoder.Decode(json.AsSpan(0, length), InputFormat.Canonical, now) is { } reason)
                {
                    throw new InvalidOperationException("sizing input rejected: " + reason);
                }

                shard.Offsets.Register(offset);
                shard.Offer(decoder.Record, decoder.Ids, 0, offset);
                shard.Offsets.Release(offset);
                offset++;
            }

            shard.Flush();
            shard.Offsets.TryAdvance(out _); // as the loop settles after each batch; a backlog would count as series memory
        }

        var full = GC.GetTotalMemory(forceFullCollection: true);
        if (shard.SeriesCount != series)
        {
            throw new InvalidOperationException($"{shard.SeriesCount} series in the shard, {series} offered (Series:MaxSeriesPerShard too low?)");
        }

        GC.KeepAlive(shard);
        return ((full - empty) / (double)series, empty - before);
    }

    private static int Point(byte[] destination, int series, int step, long stepMs)
    {
        var value = 10 + (3 * Math.Sin((step * 0.26) + series));
        return Encoding.UTF8.GetBytes(FormattableString.Invariant(
            $$"""{"metric":"node_cpu","labels":{"host":"host-{{series:D6}}","mode":"user"},"ts":{{T0 + (step * stepMs)}},"value":{{value:R}}}"""), destination);
    }

    private sealed class DiscardingSink : IForecastSink
    {
        public void Publish(Shard shard, SeriesEntry series, long originMs, BatchForecaster forecaster, int slot, long offset, OffsetTracker offsets)
        {
        }
    }
}
