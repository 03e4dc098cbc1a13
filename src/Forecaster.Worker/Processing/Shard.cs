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
    private readonly ModelGroups _groups;
    private readonly Action<ModelGroup> _flushGroup;
    private long _lastCloseScan = long.MinValue;

    /// <summary>A shard of one partition; <paramref name="profiles"/> (null: every series takes the Series section's settings) give each series created its step, aggregation and kind.</summary>
    public Shard(int partition, SeriesOptions options, ForecastSettings settings, IForecastSink sink, ProfileSet? profiles = null)
    {
        Partition = partition;
        _options = options;
        Profiles = profiles;
        _sink = sink;
        _groups = new ModelGroups(settings, profiles, options.MaxBatchSeries);
        _flushGroup = StepGroup;
        _table = new SeriesTable(options.MaxSeriesPerShard);
    }

    public int Partition { get; }
    public ProfileSet? Profiles { get; }
    /// <summary>The forecaster of group 0, the shard's own settings (every series when no profile changes the shape).</summary>
    public BatchForecaster Forecaster => _groups.Base.Forecaster;

    /// <summary>The shard's model groups, one per shape its series have needed so far; group 0 first.</summary>
    public ModelGroups Groups => _groups;
    public OffsetTracker Offsets { get; } = new();

    /// <summary>The series stepped in <paramref name="group"/> (group 0 also holds those not yet stepped); allocates, off the hot path.</summary>
    public IEnumerable<SeriesEntry> SeriesOf(ModelGroup group) => _table.Entries.Where(e => _groups.Current(e) == group);

    /// <summary>A shard of the repartition topic: the re-keyed points absorbed per input partition (empty elsewhere).</summary>
    public OriginMarks Origins { get; } = new();
    public int SeriesCount => _table.Count;
    public long EvictedSeries { get; private set; }

    /// <summary>Restored across a model-shape change: group 0's next retraining is due at once (the histories are there), whatever the point threshold.</summary>
    public bool TrainFirst
    {
        get => _groups.Base.TrainFirst;
        set => _groups.Base.TrainFirst = value;
    }

    /// <summary>Changes whenever a group swaps its model or a group is made: what a checkpoint in progress checks it was not overtaken by.</summary>
    public long ModelStamp
    {
        get
        {
            var groups = _groups.All;
            var stamp = (long)groups.Count << 40;
            for (var i = 0; i < groups.Count; i++)
            {
                stamp += groups[i].Forecaster.ModelVersion;
            }

            return stamp;
        }
    }

    /// <summary>Points waiting in the batches of every group.</summary>
    public int PendingCount
    {
        get
        {
            var pending = 0;
            foreach (var group in _groups.All)
            {
                pending += group.Forecaster.PendingCount;
            }

            return pending;
        }
    }

    /// <summary>Points (and gap steps) stepped so far: the retraining schedule counts them.</summary>
    public long StepsTaken { get; private set; }


    /// <summary>The newest timestamp of a point accepted by this shard (its stream time), ms; long.MinValue before the first.</summary>
    public long StreamTimeMs { get; private set; } = long.MinValue;

    /// <summary>The next input offset to read (last consumed + 1), or -1 before the first record.</summary>
    public long Position { get; set; } = -1;

    /// <summary>Offers field <paramref name="field"/> of a decoded record read at <paramref name="offset"/> (registered by the caller) to its series, created if new.</summary>
    public OfferResult Offer(DecodedRecord record, SeriesIdBuilder ids, int field, long offset) => Offer(record, ids, field, offset, out _);

    /// <inheritdoc cref="Offer(DecodedRecord, SeriesIdBuilder, int, long)"/>
    public OfferResult Offer(DecodedRecord record, SeriesIdBuilder ids, int field, long offset, out SeriesEntry series)
    {
        ids.Build(record, field);
        var key = ids.Utf8();
        if (!_table.TryTouch(key, out series))
        {
            series = Create(record.FieldKind(field), key.ToArray());
        }

        return OfferTo(series, record.TimestampMs, record.FieldValue(field), offset);
    }

    /// <summary>The series of id <paramref name="key"/> (UTF-8), if the shard has it; not marked seen until a point is offered to it.</summary>
    public bool TryFind(ReadOnlySpan<byte> key, out SeriesEntry series) => _table.TryGet(key, out series);

    /// <summary>Offers a point of <paramref name="series"/>, found by <see cref="TryFind"/>, read at <paramref name="offset"/> (registered by the caller).</summary>
    public OfferResult Offer(SeriesEntry series, long timestampMs, double value, long offset)
    {
        _table.Touch(series);
        return OfferTo(series, timestampMs, value, offset);
    }

    private OfferResult OfferTo(SeriesEntry series, long timestampMs, double value, long offset)
    {
        if (offset < series.AbsorbedBefore)
        {
            return OfferResult.Absorbed;
        }

        series.Dirty = true;
        var result = series.Timeline.Offer(timestampMs, value, offset);
        if (result is OfferResult.Accepted or OfferResult.Merged)
        {
            StreamTimeMs = Math.Max(StreamTimeMs, timestampMs);
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

    /// <summary>One batched step for every pending series of every group, then each stepped point is published.</summary>
    public void Flush()
    {
        var groups = _groups.All;
        for (var i = 0; i < groups.Count; i++)
        {
            StepGroup(groups[i]);
        }
    }

    private void StepGroup(ModelGroup group)
    {
        var forecaster = group.Forecaster;
        if (forecaster.PendingCount == 0)
        {
            return;
        }

        forecaster.Step();
        StepsTaken += forecaster.ResultCount;
        group.StepsTaken += forecaster.ResultCount;
        for (var slot = 0; slot < forecaster.ResultCount; slot++)
        {
            var offset = group.SlotOffsets[slot];
            if (offset != NoPoint)
            {
                _sink.Publish(this, group.SlotSeries[slot]!, group.SlotTimes[slot], forecaster, slot, offset, Offsets);
                Offsets.Release(offset);
            }

            group.SlotSeries[slot] = null;
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

            var group = _groups.Of(series, _flushGroup);
            var forecaster = group.Forecaster;
            if (forecaster.IsPending(series.State) || forecaster.PendingCount == group.SlotSeries.Length)
            {
                StepGroup(group);
            }

            var slot = forecaster.Add(series.State, observation.TimestampMs, observation.Value, series.Timeline.StepMs);
            series.BucketPoints = observation.Points;
            group.SlotSeries[slot] = series;
            group.SlotTimes[slot] = observation.TimestampMs;
            group.SlotOffsets[slot] = observation.Kind == ObservationKind.Point ? observation.Offset : NoPoint;
        }
    }

    private SeriesEntry Create(MetricKind kind, byte[] key)
    {
        var profile = Profiles?.Resolve(key); // once per series: its index stays with it
        var timeline = new SeriesTimeline(
            profile?.StepMs ?? (_options.StepSeconds * 1000L), _options.StepLearningPoints, _options.ReorderWindowSteps, _options.MaxGapSteps,
            (profile?.Kind ?? kind) == MetricKind.Counter, profile?.Aggregation ?? _options.Aggregation, profile?.MinStepMs ?? (_options.StepSeconds > 0 ? 0 : _options.MinStep * 1000L));
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
