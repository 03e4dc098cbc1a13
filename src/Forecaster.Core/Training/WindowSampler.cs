using Forecaster.Core.Series;

namespace Forecaster.Core.Training;

/// <summary>
/// Fills training batches with windows drawn from many <see cref="TrainingSeries"/>: a series at random
/// (weighted by its rows), a start at random, T consecutive rows. Rows past a series' end and the first
/// burn-in steps of every window carry no loss. Seeded, so the same data and seed give the same batches.
/// </summary>
public sealed class WindowSampler
{
    private readonly IReadOnlyList<TrainingSeries> _series;
    private readonly long[] _cumulativeRows;
    private readonly int _burnIn;
    private readonly Random _random;

    /// <exception cref="ArgumentException">No series has any rows.</exception>
    public WindowSampler(IReadOnlyList<TrainingSeries> series, int burnIn, int seed)
    {
        ArgumentNullException.ThrowIfNull(series);
        _series = series;
        _burnIn = burnIn;
        _random = new Random(seed);
        _cumulativeRows = new long[series.Count];
        long total = 0;
        for (var i = 0; i < series.Count; i++)
        {
            total += series[i].Rows;
            _cumulativeRows[i] = total;
        }

        if (total == 0)
        {
            throw new ArgumentException("No series has enough history to train on.", nameof(series));
        }
    }

    /// <summary>Writes B windows into <paramref name="batch"/> (time-major [T, B, ...]).</summary>
    public void Fill(TrainingBatch batch)
    {
        ArgumentNullException.ThrowIfNull(batch);
        for (var b = 0; b < batch.Batch; b++)
        {
            var series = _series[PickSeries()];
            var start = series.Rows > batch.Window ? _random.Next(series.Rows - batch.Window + 1) : 0;
            CopyWindow(series, start, b, batch);
        }
    }

    private int PickSeries()
    {
        var draw = _random.NextInt64(_cumulativeRows[^1]);
        var index = Array.BinarySearch(_cumulativeRows, draw + 1);
        return index >= 0 ? index : ~index;
    }

    private void CopyWindow(TrainingSeries series, int start, int b, TrainingBatch batch)
    {
        var inputSize = SeriesFeatures.Count;
        var horizons = batch.Shape.Horizons;
        var inputs = batch.Inputs.AsSpan();
        var targets = batch.Targets.AsSpan();
        var mask = batch.TargetMask.AsSpan();
        for (var t = 0; t < batch.Window; t++)
        {
            var row = start + t;
            var inputSlot = inputs.Slice(((t * batch.Batch) + b) * inputSize, inputSize);
            var targetSlot = targets.Slice(((t * batch.Batch) + b) * horizons, horizons);
            var maskSlot = mask.Slice(((t * batch.Batch) + b) * horizons, horizons);
            if (row >= series.Rows)
            {
                inputSlot.Clear();
                targetSlot.Clear();
                maskSlot.Clear();
                continue;
            }

            series.Inputs.AsSpan(row * inputSize, inputSize).CopyTo(inputSlot);
            series.Targets.AsSpan(row * horizons, horizons).CopyTo(targetSlot);
            if (t < _burnIn)
            {
                maskSlot.Clear();
            }
            else
            {
                series.Mask.AsSpan(row * horizons, horizons).CopyTo(maskSlot);
            }
        }
    }
}
