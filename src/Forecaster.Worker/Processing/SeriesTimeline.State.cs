namespace Forecaster.Worker.Processing;

/// <summary>
/// The compact checkpoint form of a timeline: its settings, learning points and open buckets (each as its newest
/// raw point), release state and step drift, then the buckets' running aggregates (aggregation, step floor, raw
/// step, and per open bucket its first point, count, sum, min and max). A record written before the step drift or
/// the aggregates loads with a fresh tracker, and each open bucket as holding its one newest point.
/// </summary>
internal sealed partial class SeriesTimeline
{
    /// <summary>Writes everything needed to resume exactly; the released queue must be empty (it is, between offers).</summary>
    /// <exception cref="InvalidOperationException">Released observations are still queued.</exception>
    public void Save(BinaryWriter writer)
    {
        if (_outRead != _outCount)
        {
            throw new InvalidOperationException("A timeline is saved only when its released observations have been taken.");
        }

        writer.Write(StepMs);
        writer.Write(_learningPoints);
        writer.Write(_window);
        writer.Write(_maxGap);
        writer.Write(_counter);
        WriteHeld(writer, _learning, _learningCount);
        writer.Write(_openCount);
        for (var i = 0; i < _openCount; i++)
        {
            writer.Write(_open[i].LastTs);
            writer.Write(_open[i].Last);
            writer.Write(_open[i].Offset);
        }

        writer.Write(_maxBucket);
        writer.Write(_hasReleased);
        writer.Write(_lastBucket);
        writer.Write(_lastTs);
        writer.Write(_hasRaw);
        writer.Write(_prevRaw);
        writer.Write(_prevRawTs);
        _drift.Save(writer);
        writer.Write((byte)_aggregation);
        writer.Write(_minStepMs);
        writer.Write(_rawStepMs);
        for (var i = 0; i < _openCount; i++)
        {
            writer.Write(_open[i].FirstTs);
            writer.Write(_open[i].Count);
            writer.Write(_open[i].First);
            writer.Write(_open[i].Sum);
            writer.Write(_open[i].Min);
            writer.Write(_open[i].Max);
        }
    }

    /// <summary>Bytes of the aggregate tail with no open bucket (aggregation, step floor, raw step).</summary>
    internal const int AggregateHeaderBytes = 17;

    /// <summary>Reads a timeline written by <see cref="Save"/>.</summary>
    /// <exception cref="InvalidDataException">Impossible settings or counts.</exception>
    /// <exception cref="EndOfStreamException">The data ends early.</exception>
    public static SeriesTimeline Load(BinaryReader reader)
    {
        var stepMs = reader.ReadInt64();
        var learning = reader.ReadInt32();
        var window = reader.ReadInt32();
        var maxGap = reader.ReadInt32();
        var counter = reader.ReadBoolean();
        if (stepMs < 0 || learning is < 0 or > 64 || window is < 0 or > 64 || maxGap < 0 || (stepMs == 0 && learning < 2))
        {
            throw new InvalidDataException($"Impossible timeline settings: step {stepMs} ms, {learning} learning points, window {window}, max gap {maxGap}.");
        }

        var learningBuffer = stepMs > 0 ? [] : new Held[learning];
        var learningCount = ReadHeld(reader, learningBuffer);
        var open = reader.ReadInt32();
        if (open < 0 || open > (2 * window) + 2)
        {
            throw new InvalidDataException($"Impossible timeline: {open} open buckets with a window of {window}.");
        }

        var buckets = new Bucket[Math.Max(open, window + 1)];
        for (var i = 0; i < open; i++)
        {
            buckets[i] = Bucket.Of(reader.ReadInt64(), reader.ReadDouble(), reader.ReadInt64(), counter);
        }

        var maxBucket = reader.ReadInt64();
        var hasReleased = reader.ReadBoolean();
        var lastBucket = reader.ReadInt64();
        var lastTs = reader.ReadInt64();
        var hasRaw = reader.ReadBoolean();
        var prevRaw = reader.ReadDouble();
        var prevRawTs = reader.ReadInt64();
        var drift = reader.BaseStream.Position < reader.BaseStream.Length
            ? StepDrift.Load(reader) // absent in records written before steps were re-learned
            : StepDrift.Fresh;
        var aggregation = BucketAggregation.Mean;
        long minStep = 0, rawStep = stepMs;
        if (reader.BaseStream.Position < reader.BaseStream.Length)
        {
            // absent in records written before buckets aggregated: each open bucket holds its newest point
            (aggregation, minStep, rawStep) = ReadAggregates(reader, buckets, open, stepMs, counter);
        }

        var timeline = new SeriesTimeline(stepMs, learning, window, maxGap, counter, aggregation, minStep)
        {
            _learningPoints = learning, // a learned step stays learned (and may be re-learned)
            _rawStepMs = rawStep,
            _open = buckets,
            _openCount = open,
            _maxBucket = maxBucket,
            _hasReleased = hasReleased,
            _lastBucket = lastBucket,
            _lastTs = lastTs,
            _hasRaw = hasRaw,
            _prevRaw = prevRaw,
            _prevRawTs = prevRawTs,
            _drift = drift,
        };
        Array.Copy(learningBuffer, timeline._learning, learningCount);
        timeline._learningCount = learningCount;
        return timeline;
    }

    private static (BucketAggregation, long, long) ReadAggregates(BinaryReader reader, Bucket[] buckets, int open, long stepMs, bool counter)
    {
        var aggregation = (BucketAggregation)reader.ReadByte();
        var minStep = reader.ReadInt64();
        var rawStep = reader.ReadInt64();
        if (!Enum.IsDefined(aggregation) || minStep < 0 || rawStep < 0 || rawStep > stepMs || (stepMs > 0 && rawStep == 0))
        {
            throw new InvalidDataException($"Impossible timeline aggregates: aggregation {(int)aggregation}, step floor {minStep} ms, raw step {rawStep} ms of {stepMs} ms.");
        }

        for (var i = 0; i < open; i++)
        {
            ref var bucket = ref buckets[i];
            bucket.FirstTs = reader.ReadInt64();
            bucket.Count = reader.ReadInt32();
            bucket.First = reader.ReadDouble();
            bucket.Sum = reader.ReadDouble();
            bucket.Min = reader.ReadDouble();
            bucket.Max = reader.ReadDouble();
            if (bucket.Count < 1 || bucket.FirstTs > bucket.LastTs)
            {
                throw new InvalidDataException($"Impossible open bucket: {bucket.Count} points from {bucket.FirstTs} to {bucket.LastTs}.");
            }
        }

        return (aggregation, minStep, rawStep);
    }

    /// <summary>Adds the input offset of every point held (learning or open) and still tracked, once per point.</summary>
    public void CollectHeldOffsets(List<long> offsets)
    {
        for (var i = 0; i < _learningCount; i++)
        {
            if (_learning[i].Offset >= 0)
            {
                offsets.Add(_learning[i].Offset);
            }
        }

        for (var i = 0; i < _openCount; i++)
        {
            if (_open[i].Offset >= 0)
            {
                offsets.Add(_open[i].Offset); // one per bucket: its hold covers every later raw point in it
            }
        }
    }

    /// <summary>
    /// Detaches every held point whose input offset passes <paramref name="detach"/>: it stays held (and
    /// saved with the state) but its offset no longer holds the partition's committed offset back (it is
    /// kept as its complement, see <see cref="OffsetTracker"/>). Calls <paramref name="detached"/> with each offset detached.
    /// </summary>
    public void DetachHeld(Func<Held, bool> detach, Action<long>? detached = null)
    {
        Detach(_learning, _learningCount, detach, detached);
        for (var i = 0; i < _openCount; i++)
        {
            ref var bucket = ref _open[i];
            if (bucket.Offset >= 0 && detach(bucket.AsHeld()))
            {
                detached?.Invoke(bucket.Offset);
                bucket.Offset = ~bucket.Offset;
            }
        }
    }

    /// <summary>Points held (learning, or open buckets counted once each), detached or not.</summary>
    public int HeldCount => _learningCount + _openCount;

    /// <summary>True when some held point is still tracked by its offset.</summary>
    public bool HoldsTrackedOffsets
    {
        get
        {
            for (var i = 0; i < _learningCount; i++)
            {
                if (_learning[i].Offset >= 0)
                {
                    return true;
                }
            }

            for (var i = 0; i < _openCount; i++)
            {
                if (_open[i].Offset >= 0)
                {
                    return true;
                }
            }

            return false;
        }
    }

    private static void Detach(Held[] held, int count, Func<Held, bool> detach, Action<long>? detached)
    {
        for (var i = 0; i < count; i++)
        {
            if (held[i].Offset >= 0 && detach(held[i]))
            {
                detached?.Invoke(held[i].Offset);
                held[i] = held[i] with { Offset = ~held[i].Offset };
            }
        }
    }

    private static void WriteHeld(BinaryWriter writer, Held[] held, int count)
    {
        writer.Write(count);
        for (var i = 0; i < count; i++)
        {
            writer.Write(held[i].Ts);
            writer.Write(held[i].Value);
            writer.Write(held[i].Offset);
        }
    }

    private static int ReadHeld(BinaryReader reader, Held[] destination, int? known = null)
    {
        var count = known ?? reader.ReadInt32();
        if (count < 0 || count > destination.Length)
        {
            throw new InvalidDataException($"Impossible timeline: {count} held points where {destination.Length} fit.");
        }

        for (var i = 0; i < count; i++)
        {
            destination[i] = new Held(reader.ReadInt64(), reader.ReadDouble(), reader.ReadInt64());
        }

        return count;
    }
}
