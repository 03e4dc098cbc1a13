using Forecaster.Core.Forecasting;
using Forecaster.Worker.Ingest;
using Forecaster.Worker.Options;

using Forecaster.Worker.Profiles;

namespace Forecaster.Worker.Processing;

/// <summary>
/// Everything of one assigned partition: its forecaster (model and batch), its series table and its
/// offset tracker. Points are offered one by one; the series that moved are stepped together in
/// <see cref="Flush"/> (and earlier when a series moves twice or the batch is full), and each stepped
/// point's forecast goes to the sink. Owned by the consume thread.
/// </summary>
internal sealed partial class Shard
{
    /// <summary>A slot whose step is a gap (no point, nothing published); detached points have negative offsets (see <see cref="OffsetTracker"/>).</summary>
    private const long NoPoint = long.MinValue;
    private readonly SeriesOptions _options;
    private readonly IForecastSink _sink;
    private readonly SeriesTable _table;
    private readonly SeriesEntry?[] _slotSeries;
    private readonly long[] _slotOffsets;
    private readonly long[] _slotTimes;
    private long _lastCloseScan = long.MinValue;

    /// <summary>A shard of one partition; <paramref name="profiles"/> (null: every series takes the Series section's settings) give each series created its step, aggregation and kind.</summary>
    public Shard(int partition, SeriesOptions options, ForecastSettings settings, IForecastSink sink, ProfileSet? profiles = null)
    {
        Partition = partition;
        _options = options;
        Profiles = profiles;
        _sink = sink;
        Forecaster = new BatchForecaster(settings, options.MaxBatchSeries);
        _table = new SeriesTable(options.MaxSeriesPerShard);
        _slotSeries = new SeriesEntry?[options.MaxBatchSeries];
        _slotOffsets = new long[options.MaxBatchSeries];
        _slotTimes = new long[options.MaxBatchSeries];
    }

    public int Partition { get; }
    public ProfileSet? Profiles { get; }
    public BatchForecaster Forecaster { get; }
    public OffsetTracker Offsets { get; } = new();

    /// <summary>A shard of the repartition topic: the re-keyed points absorbed per input partition (empty elsewhere).</summary>
    public OriginMarks Origins { get; } = new();
    public int SeriesCount => _table.Count;
    public long EvictedSeries { get; private set; }

    /// <summary>Restored across a model-shape change: the next retraining is due at once (the histories are there), whatever the point threshold.</summary>
    public bool TrainFirst { get; set; }

    /// <summary>Points (and gap steps) stepped so far: the retraining schedule counts them.</summary>
    public long StepsTaken { get; private set; }


    /// <summary>The newest timestamp of a point accepted by this shard (its stream time), ms; long.MinValue before the first.</summary>
    public long StreamTimeMs { get; private set; } = long.MinValue;

    /// <summary>The next input offset to read (last consumed + 1), or -1 before the first record.</summary>
    public long Position { get; set; } = -1;

    /// <summary>Offers field <paramref name="field"/> of a decoded record read at <paramref name="offset"/> (registered by the caller).</summary>
    public OfferResult Offer(DecodedRecord record, SeriesIdBuilder ids, int field, long offset)
    {
        ids.Build(record, field);
        var key = ids.Utf8();
        if (!_table.TryTouch(key, out var series))
        {
            series = Create(record.FieldKind(field), key.ToArray());
        }

        if (offset < series.AbsorbedBefore)
        {
            return OfferResult.Absorbed;
        }

        series.Dirty = true;
        var result = series.Timeline.Offer(record.TimestampMs, record.FieldValue(field), offset);
        if (result is OfferResult.Accepted or OfferResult.Merged)
        {
            StreamTimeMs = Math.Max(StreamTimeMs, record.TimestampMs);
        }

        if (result == OfferResult.Accepted)
        {
            Offsets.Hold(offset); // a merged point's offset is covered by its bucket's hold (see SeriesTimeline)
        }

        Drain(series);
        CloseQuietBuckets();
        return result;
    }

    /// <summary>
    /// With <c>Series:BucketCloseAfter</c>, once per that much stream time: every open bucket that ended that long
    /// before the shard's stream time is closed and stepped, so a quiet series' last bucket is forecast without
    /// waiting for its next point.
    /// </summary>
    private void CloseQuietBuckets()
    {
        var afterMs = _options.BucketCloseAfter * 1000L;
        if (afterMs <= 0 || StreamTimeMs == long.MinValue || (_lastCloseScan != long.MinValue && StreamTimeMs - _lastCloseScan < afterMs))
        {
            return;
        }

        _lastCloseScan = StreamTimeMs;
        foreach (var entry in _table.Entries)
        {
            if (entry.Timeline.HeldCount > 0)
            {
                entry.Timeline.CloseThrough(StreamTimeMs - afterMs);
                Drain(entry);
            }
        }
    }

    /// <summary>One batched step for every pending series, then each stepped point is published.</summary>
    public void Flush()
    {
        if (Forecaster.PendingCount == 0)
        {
            return;
        }

        Forecaster.Step();
        StepsTaken += Forecaster.ResultCount;
        for (var slot = 0; slot < Forecaster.ResultCount; slot++)
        {
            var offset = _slotOffsets[slot];
            if (offset != NoPoint)
            {
                _sink.Publish(this, _slotSeries[slot]!, _slotTimes[slot], Forecaster, slot, offset, Offsets);
                Offsets.Release(offset);
            }

            _slotSeries[slot] = null;
        }
    }

    private void Drain(SeriesEntry series)
    {
        while (series.Timeline.TryTake(out var observation))
        {
            if (observation.Kind == ObservationKind.Dropped)
            {
                Offsets.Release(observation.Offset);
                continue;
            }

            if (Forecaster.IsPending(series.State) || Forecaster.PendingCount == _slotSeries.Length)
            {
                Flush();
            }

            var slot = Forecaster.Add(series.State, observation.TimestampMs, observation.Value, series.Timeline.StepMs);
            series.BucketPoints = observation.Points;
            _slotSeries[slot] = series;
            _slotTimes[slot] = observation.TimestampMs;
            _slotOffsets[slot] = observation.Kind == ObservationKind.Point ? observation.Offset : NoPoint;
        }
    }

    private SeriesEntry Create(MetricKind kind, byte[] key)
    {
        var profile = Profiles?.Resolve(key); // once per series: its index stays with it
        var timeline = new SeriesTimeline(
            profile?.StepMs ?? (_options.StepSeconds * 1000L), _options.StepLearningPoints, _options.ReorderWindowSteps, _options.MaxGapSteps,
            (profile?.Kind ?? kind) == MetricKind.Counter, profile?.Aggregation ?? _options.Aggregation, profile?.MinStepMs ?? (_options.MinStep * 1000L));
        var series = new SeriesEntry(key, Forecaster.CreateSeries(), timeline) { ProfileIndex = profile?.Index ?? 0 };
        series.State.Zone = profile?.Zone;
        var evicted = _table.Add(series);
        if (evicted is not null)
        {
            EvictedSeries++;
            Evicted?.Invoke(evicted);
            evicted.Timeline.DropHeld();
            Drain(evicted);
        }

        return series;
    }
}
