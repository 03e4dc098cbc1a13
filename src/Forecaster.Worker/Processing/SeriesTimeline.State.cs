namespace Forecaster.Worker.Processing;

/// <summary>The compact checkpoint form of a timeline: its settings, learning and open buckets, release state and step drift.</summary>
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
        WriteHeld(writer, _open, _openCount);
        writer.Write(_maxBucket);
        writer.Write(_hasReleased);
        writer.Write(_lastBucket);
        writer.Write(_lastTs);
        writer.Write(_hasRaw);
        writer.Write(_prevRaw);
        writer.Write(_prevRawTs);
        _drift.Save(writer);
    }

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

        var timeline = new SeriesTimeline(stepMs, learning, window, maxGap, counter);
        timeline._learningPoints = learning; // a learned step stays learned (and may be re-learned)
        timeline._learningCount = ReadHeld(reader, timeline._learning);
        var open = reader.ReadInt32();
        if (open < 0 || open > (2 * window) + 2)
        {
            throw new InvalidDataException($"Impossible timeline: {open} open buckets with a window of {window}.");
        }

        timeline._open = new Held[Math.Max(open, window + 1)];
        timeline._openCount = ReadHeld(reader, timeline._open, open);
        timeline._maxBucket = reader.ReadInt64();
        timeline._hasReleased = reader.ReadBoolean();
        timeline._lastBucket = reader.ReadInt64();
        timeline._lastTs = reader.ReadInt64();
        timeline._hasRaw = reader.ReadBoolean();
        timeline._prevRaw = reader.ReadDouble();
        timeline._prevRawTs = reader.ReadInt64();
        if (reader.BaseStream.Position < reader.BaseStream.Length)
        {
            timeline._drift = StepDrift.Load(reader); // absent in records written before steps were re-learned
        }

        return timeline;
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
                offsets.Add(_open[i].Offset);
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
        Detach(_open, _openCount, detach, detached);
    }

    /// <summary>Points held (learning or in open buckets), detached or not.</summary>
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
