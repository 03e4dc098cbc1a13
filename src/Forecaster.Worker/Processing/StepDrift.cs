namespace Forecaster.Worker.Processing;

/// <summary>
/// Watches the spacing of a series whose step was learned, so that a change for good (a scrape interval moved
/// from 15 s to 60 s) re-learns it: a run of consecutive deltas that agree with each other and not with the
/// step. One delta at the step (the series back at its old spacing after a gap) ends the run; near-duplicates
/// and points out of order are not spacing and change nothing. 28 bytes inline in the timeline.
/// </summary>
internal struct StepDrift
{
    private long _lastTs;
    private long _sum;
    private int _count;
    private int _min;
    private int _max;

    /// <summary>A tracker that has seen nothing yet.</summary>
    public static StepDrift Fresh => new() { _lastTs = long.MinValue };

    /// <summary>Deltas in the current run of a spacing other than the step.</summary>
    public readonly int RunLength => _count;

    /// <summary>Starts over from the newest timestamp seen while learning.</summary>
    public void Restart(long lastTs) => this = Fresh with { _lastTs = lastTs };

    /// <summary>
    /// Takes raw timestamp <paramref name="timestampMs"/> of a series at step <paramref name="stepMs"/>; returns
    /// the new step once <paramref name="runNeeded"/> consecutive deltas agree on one, else 0.
    /// </summary>
    public long Observe(long timestampMs, long stepMs, int runNeeded)
    {
        if (_lastTs != long.MinValue && timestampMs <= _lastTs)
        {
            return 0;
        }

        var delta = _lastTs == long.MinValue ? 0 : timestampMs - _lastTs;
        _lastTs = timestampMs;
        if (delta < StepEstimate.NearDuplicateMs)
        {
            return 0;
        }

        if (StepEstimate.Agrees(delta, stepMs) || delta > int.MaxValue)
        {
            _count = 0; // the old spacing (or a silence of weeks, which says nothing about it)
            return 0;
        }

        if (_count > 0 && StepEstimate.Agrees(delta, _sum / _count))
        {
            _sum += delta;
            _count++;
            _min = Math.Min(_min, (int)delta);
            _max = Math.Max(_max, (int)delta);
        }
        else
        {
            (_sum, _count, _min, _max) = (delta, 1, (int)delta, (int)delta);
        }

        if (_count < runNeeded)
        {
            return 0;
        }

        var step = StepEstimate.Choose((double)_sum / _count, _min, _max);
        _count = 0;
        return step == stepMs ? 0 : step;
    }

    public readonly void Save(BinaryWriter writer)
    {
        writer.Write(_lastTs);
        writer.Write(_sum);
        writer.Write(_count);
        writer.Write(_min);
        writer.Write(_max);
    }

    /// <exception cref="InvalidDataException">Impossible counts.</exception>
    public static StepDrift Load(BinaryReader reader)
    {
        var drift = new StepDrift
        {
            _lastTs = reader.ReadInt64(),
            _sum = reader.ReadInt64(),
            _count = reader.ReadInt32(),
            _min = reader.ReadInt32(),
            _max = reader.ReadInt32(),
        };
        if (drift._count < 0 || drift._sum < 0 || drift._min > drift._max)
        {
            throw new InvalidDataException($"Impossible step drift: {drift._count} deltas summing to {drift._sum} ms in [{drift._min}, {drift._max}].");
        }

        return drift;
    }
}
