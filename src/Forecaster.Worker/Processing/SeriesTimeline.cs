namespace Forecaster.Worker.Processing;

/// <summary>
/// The time axis of one series: learns (or is given) the step, re-learns a learned one when the spacing
/// changes for good (see <see cref="StepDrift"/>), puts points into step-sized buckets
/// aligned to the epoch and aggregates each bucket's raw points (<see cref="Bucket"/>: a gauge by its
/// <see cref="BucketAggregation"/>, a counter as a per-second rate over the bucket, resets handled), holds
/// buckets open for a reorder window (at least until the next bucket begins when a <c>Series:MinStep</c> floor
/// put several raw points in a step), drops duplicates and fills missing buckets with bounded gaps.
/// Released steps queue up as <see cref="Observation"/>s until <see cref="TryTake"/> drains them.
/// Owned by the consume thread; allocates only while its small buffers grow.
/// </summary>
internal sealed partial class SeriesTimeline
{
    private readonly int _window;
    private readonly int _maxGap;
    private readonly bool _counter;
    private readonly BucketAggregation _aggregation;
    private readonly long _minStepMs;
    private long _rawStepMs;
    private int _learningPoints;
    private Held[] _learning;
    private int _learningCount;
    private Bucket[] _open;
    private int _openCount;
    private Observation[] _out = new Observation[4];
    private int _outRead;
    private int _outCount;
    private long _maxBucket = long.MinValue;
    private bool _hasReleased;
    private long _lastBucket;
    private long _lastTs;
    private bool _hasRaw;
    private double _prevRaw;
    private long _prevRawTs;
    private StepDrift _drift = StepDrift.Fresh;

    /// <summary>A timeline with step <paramref name="stepMs"/> (0: learned from the first <paramref name="learningPoints"/> points
    /// more than a near-duplicate apart, see <see cref="StepEstimate"/>),
    /// buckets open for <paramref name="reorderWindowSteps"/>, at most <paramref name="maxGapSteps"/> gaps filled at once,
    /// values turned into rates when <paramref name="counter"/>, a gauge's bucket aggregated by <paramref name="aggregation"/>,
    /// and a learned step floored at <paramref name="minStepMs"/> (see <see cref="StepEstimate.ModelStep"/>; 0: none).</summary>
    public SeriesTimeline(
        long stepMs, int learningPoints, int reorderWindowSteps, int maxGapSteps, bool counter,
        BucketAggregation aggregation = BucketAggregation.Mean, long minStepMs = 0)
    {
        StepMs = stepMs;
        _rawStepMs = stepMs;
        _aggregation = aggregation;
        _minStepMs = minStepMs;
        _learningPoints = stepMs > 0 ? 0 : learningPoints; // what the checkpoint format has always recorded
        _learning = stepMs > 0 ? [] : new Held[learningPoints];
        _window = reorderWindowSteps;
        _maxGap = maxGapSteps;
        _counter = counter;
        _open = new Bucket[reorderWindowSteps + 1];
    }

    /// <summary>The series' (model) step in ms; 0 while it is still being learned.</summary>
    public long StepMs { get; private set; }

    /// <summary>The raw spacing learned (or the configured step): below <see cref="StepMs"/> when a floor made buckets of several points.</summary>
    public long RawStepMs => _rawStepMs;

    /// <summary>Buckets the release waits behind the newest: the reorder window, and at least 1 (the next bucket begins) when buckets aggregate several raw points.</summary>
    private int CloseLag => StepMs > _rawStepMs ? Math.Max(_window, 1) : _window;

    /// <summary>Consecutive deltas of one new spacing that re-learn a learned step: twice the learning points.</summary>
    private int RelearnRun => 2 * _learningPoints;

    public OfferResult Offer(long timestampMs, double value, long offset)
    {
        if (StepMs > 0)
        {
            if (_learningPoints > 0)
            {
                var relearned = _drift.Observe(timestampMs, _rawStepMs, RelearnRun);
                if (relearned > 0)
                {
                    Relearn(relearned);
                }
            }

            return OfferKnown(new Held(timestampMs, value, offset));
        }

        for (var i = 0; i < _learningCount; i++)
        {
            if (Math.Abs(_learning[i].Ts - timestampMs) < StepEstimate.NearDuplicateMs)
            {
                return OfferResult.Duplicate; // a double send is not spacing: it never makes a step
            }
        }

        var at = _learningCount++;
        while (at > 0 && _learning[at - 1].Ts > timestampMs)
        {
            _learning[at] = _learning[at - 1];
            at--;
        }

        _learning[at] = new Held(timestampMs, value, offset);
        if (_learningCount == _learning.Length)
        {
            _rawStepMs = LearnStep();
            StepMs = StepEstimate.ModelStep(_rawStepMs, _minStepMs);
            _drift.Restart(_learning[_learningCount - 1].Ts);
            for (var i = 0; i < _learningCount; i++)
            {
                if (OfferKnown(_learning[i]) != OfferResult.Accepted) // merged into a bucket held by another point, or dropped
                {
                    Enqueue(new Observation(_learning[i].Ts, double.NaN, _learning[i].Offset, ObservationKind.Dropped));
                }
            }

            _learningCount = 0;
            _learning = []; // never needed again once the step is known
        }

        return OfferResult.Accepted;
    }

    public bool TryTake(out Observation observation)
    {
        if (_outRead == _outCount)
        {
            _outRead = _outCount = 0;
            observation = default;
            return false;
        }

        observation = _out[_outRead++];
        return true;
    }

    /// <summary>Gives up every held point (the series is evicted): each comes out as dropped.</summary>
    public void DropHeld()
    {
        for (var i = 0; i < _learningCount; i++)
        {
            Enqueue(new Observation(_learning[i].Ts, double.NaN, _learning[i].Offset, ObservationKind.Dropped));
        }

        for (var i = 0; i < _openCount; i++)
        {
            Enqueue(new Observation(_open[i].FirstTs, double.NaN, _open[i].Offset, ObservationKind.Dropped));
        }

        _learningCount = _openCount = 0;
    }

    /// <summary>
    /// Closes every open bucket that ended at or before <paramref name="cutoffMs"/> (a quiet series' bounded wait is
    /// over): each is released as if the next bucket had begun; a later point of it is late in its bucket.
    /// </summary>
    public void CloseThrough(long cutoffMs)
    {
        if (StepMs == 0)
        {
            return;
        }

        ReleaseThrough((cutoffMs / StepMs) - 1); // a bucket ends at (index + 1) × step
    }

    private OfferResult OfferKnown(Held point)
    {
        var bucket = point.Ts / StepMs;
        if (_hasReleased && bucket <= _lastBucket)
        {
            return bucket < _lastBucket ? OfferResult.TooOld
                : point.Ts == _lastTs ? OfferResult.Duplicate : OfferResult.LateInBucket;
        }

        var at = 0;
        while (at < _openCount && _open[at].FirstTs / StepMs < bucket)
        {
            at++;
        }

        if (at < _openCount && _open[at].FirstTs / StepMs == bucket)
        {
            return Merge(ref _open[at], point);
        }

        if (_openCount == _open.Length)
        {
            Array.Resize(ref _open, _open.Length * 2);
        }

        Array.Copy(_open, at, _open, at + 1, _openCount - at);
        _open[at] = Bucket.Of(point.Ts, point.Value, point.Offset, _counter);
        _openCount++;

        _maxBucket = Math.Max(_maxBucket, bucket);
        ReleaseDue();
        return OfferResult.Accepted;
    }

    /// <summary>
    /// Adds a point to its open bucket. The bucket keeps holding the smallest tracked offset of its points (a
    /// crash reads them all again from there); a point with a later offset is merged (its own offset is done at
    /// once), one with an earlier offset takes over the hold and the bucket's old offset comes out as dropped.
    /// </summary>
    private OfferResult Merge(ref Bucket open, Held point)
    {
        if (point.Ts == open.FirstTs || point.Ts == open.LastTs)
        {
            return OfferResult.Duplicate;
        }

        if (_counter && point.Ts < open.LastTs)
        {
            return OfferResult.Superseded;
        }

        open.Add(point.Ts, point.Value, _counter);
        if (point.Offset >= 0 && open.Offset >= 0 && point.Offset < open.Offset)
        {
            Enqueue(new Observation(open.FirstTs, double.NaN, open.Offset, ObservationKind.Dropped));
            open.Offset = point.Offset;
            return OfferResult.Accepted;
        }

        return OfferResult.Merged;
    }

    private void ReleaseDue() => ReleaseThrough(_maxBucket - CloseLag);

    /// <summary>Releases the open buckets (oldest first) whose index is at most <paramref name="lastBucket"/>; the others move down.</summary>
    private void ReleaseThrough(long lastBucket)
    {
        var released = 0;
        while (released < _openCount && _open[released].FirstTs / StepMs <= lastBucket)
        {
            Release(_open[released]);
            released++;
        }

        if (released > 0)
        {
            Array.Copy(_open, released, _open, 0, _openCount - released);
            _openCount -= released;
        }
    }

    private void Release(in Bucket closed)
    {
        var bucket = closed.FirstTs / StepMs;
        if (_hasReleased)
        {
            var gaps = Math.Min(bucket - _lastBucket - 1, _maxGap);
            for (var g = bucket - gaps; g < bucket; g++)
            {
                Enqueue(new Observation(g * StepMs, double.NaN, -1, ObservationKind.Gap));
            }
        }

        double value;
        if (_counter)
        {
            value = closed.Rate(_hasRaw, _prevRaw, _prevRawTs);
            _hasRaw = true;
            _prevRaw = closed.Last;
            _prevRawTs = closed.LastTs;
        }
        else
        {
            value = closed.Gauge(_aggregation);
        }

        Enqueue(new Observation(bucket * StepMs, value, closed.Offset, ObservationKind.Point, closed.Count));
        _hasReleased = true;
        _lastBucket = bucket;
        _lastTs = closed.LastTs;
    }

    /// <summary>The step of the learning points (sorted, each more than a near-duplicate from the next).</summary>
    private long LearnStep()
    {
        Span<long> times = stackalloc long[_learningCount];
        for (var i = 0; i < _learningCount; i++)
        {
            times[i] = _learning[i].Ts;
        }

        return StepEstimate.FromSorted(times);
    }

    /// <summary>
    /// Moves to raw step <paramref name="rawMs"/>; when that changes the model step, the open buckets are released
    /// at the old step, then the last released bucket becomes the new bucket holding its end, so history carries on
    /// without a phantom gap.
    /// </summary>
    private void Relearn(long rawMs)
    {
        _rawStepMs = rawMs;
        var stepMs = StepEstimate.ModelStep(rawMs, _minStepMs);
        if (stepMs == StepMs)
        {
            return; // the floor keeps the model step: the buckets carry on (the close lag may change)
        }

        for (var i = 0; i < _openCount; i++)
        {
            Release(_open[i]);
        }

        _openCount = 0;
        if (_hasReleased)
        {
            _lastBucket = (((_lastBucket + 1) * StepMs) - 1) / stepMs;
            _maxBucket = _lastBucket;
        }

        StepMs = stepMs;
    }

    private void Enqueue(Observation observation)
    {
        if (_outCount == _out.Length)
        {
            Array.Resize(ref _out, _out.Length * 2);
        }

        _out[_outCount++] = observation;
    }

    /// <summary>A point held by the timeline; a negative Offset is a detached one (its complement).</summary>
    internal readonly record struct Held(long Ts, double Value, long Offset);
}
