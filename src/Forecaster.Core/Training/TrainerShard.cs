using System.Runtime.ExceptionServices;
using Forecaster.Core.Lstm;

namespace Forecaster.Core.Training;

/// <summary>
/// Rows [FirstRow, FirstRow + Rows) of a training batch with their own <see cref="WindowCache"/>: forward through
/// the window, head and loss, backward, the weight gradients summed into the cache's <see cref="GradientSums"/>.
/// Windows are independent, so shards of one batch share nothing but the read-only parameters and batch;
/// <see cref="TbpttTrainer"/> runs one per thread and adds their sums in shard order. A shard that is not the
/// whole batch first copies its targets and mask into contiguous rows (the head reads them in cache order).
/// </summary>
internal sealed class TrainerShard : IThreadPoolWorkItem
{
    private readonly ModelShape shape;
    private readonly float[] targets;
    private readonly float[] mask;
    private readonly object gate = new();
    private bool running;
    private float[] jobParameters = [];
    private float[] jobLevels = [];
    private TrainingBatch? jobBatch;
    private float jobScale;
    private bool jobBackward;
    private double jobSum;
    private ExceptionDispatchInfo? jobFailure;

    public TrainerShard(ModelShape shape, int window, int batch, int firstRow, int rows, KernelPath path)
    {
        this.shape = shape;
        FirstRow = firstRow;
        Rows = rows;
        BatchRows = batch;
        Cache = new WindowCache(shape, window, rows, path);
        var staged = rows == batch ? 0 : window * rows * shape.Horizons;
        targets = new float[staged];
        mask = new float[staged];
    }

    public int FirstRow { get; }

    public int Rows { get; }

    /// <summary>B of the whole batch.</summary>
    public int BatchRows { get; }

    public WindowCache Cache { get; }

    /// <summary>
    /// Forward, head and loss (and, when <paramref name="backward"/>, the head and cell backward into
    /// <see cref="WindowCache.Sums"/>, cleared first); returns the unnormalised loss sum of the shard's rows.
    /// <paramref name="scale"/> is 1 / (present targets of the whole batch × Q).
    /// </summary>
    public double Run(ReadOnlySpan<float> parameters, ReadOnlySpan<float> levels, TrainingBatch batch, float scale, bool backward)
    {
        ReadOnlySpan<float> shardTargets = batch.Targets, shardMask = batch.TargetMask;
        if (Rows != BatchRows)
        {
            Stage(batch);
            shardTargets = targets;
            shardMask = mask;
        }

        if (backward)
        {
            Cache.Sums.Clear();
        }

        ForwardCells(parameters, batch);
        var sum = HeadAndLoss(parameters, levels, shardTargets, shardMask, scale, backward);
        if (backward)
        {
            BackwardCells(parameters);
        }

        return sum;
    }

    /// <summary>Queues <see cref="Run"/> on the thread pool (arrays, since spans cannot cross threads); <see cref="Join"/> waits for it.</summary>
    public void Start(float[] parameters, float[] levels, TrainingBatch batch, float scale, bool backward)
    {
        (jobParameters, jobLevels, jobBatch, jobScale, jobBackward, jobFailure) = (parameters, levels, batch, scale, backward, null);
        lock (gate)
        {
            running = true;
        }

        ThreadPool.UnsafeQueueUserWorkItem(this, preferLocal: false);
    }

    /// <summary>Waits for the queued run; returns its loss sum or rethrows its exception.</summary>
    public double Join()
    {
        Wait();
        jobFailure?.Throw();
        return jobSum;
    }

    /// <summary>Waits for the queued run (if any) to end.</summary>
    public void Wait()
    {
        lock (gate)
        {
            while (running)
            {
                Monitor.Wait(gate);
            }
        }
    }

    void IThreadPoolWorkItem.Execute()
    {
        try
        {
            jobSum = Run(jobParameters, jobLevels, jobBatch!, jobScale, jobBackward);
        }
        catch (Exception e) // handed to the caller's thread by Join, as if the shard had run there
        {
            jobFailure = ExceptionDispatchInfo.Capture(e);
        }
        finally
        {
            lock (gate)
            {
                running = false;
                Monitor.PulseAll(gate);
            }
        }
    }

    private void Stage(TrainingBatch batch)
    {
        var width = Rows * shape.Horizons;
        for (var t = 0; t < Cache.Window; t++)
        {
            var from = ((t * BatchRows) + FirstRow) * shape.Horizons;
            batch.Targets.AsSpan(from, width).CopyTo(targets.AsSpan(t * width));
            batch.TargetMask.AsSpan(from, width).CopyTo(mask.AsSpan(t * width));
        }
    }

    /// <summary>
    /// Head, loss and (when <paramref name="backward"/>) head backward over all T·rows cache rows, in blocks of
    /// <see cref="WindowCache.HeadRows"/> rows so outputs and their gradients stay in cache instead of memory.
    /// Fills DHidden with dL/dh from the head.
    /// </summary>
    private double HeadAndLoss(
        ReadOnlySpan<float> parameters, ReadOnlySpan<float> levels, ReadOnlySpan<float> shardTargets, ReadOnlySpan<float> shardMask,
        float scale, bool backward)
    {
        var cache = Cache;
        int hidden = shape.HiddenSize, horizons = shape.Horizons, outputs = shape.OutputSize, rows = cache.Window * cache.Batch;
        if (backward)
        {
            Array.Clear(cache.DHidden);
        }

        var sum = 0.0;
        for (var r0 = 0; r0 < rows; r0 += cache.HeadRows)
        {
            var count = Math.Min(cache.HeadRows, rows - r0);
            var h = cache.Hidden.AsSpan(r0 * hidden, count * hidden);
            var y = cache.Outputs.AsSpan(0, count * outputs);
            Span<float> dy = backward ? cache.DOutputs.AsSpan(0, count * outputs) : [];
            QuantileHead.Forward(cache.Weights, count, h, y);
            sum += PinballLoss.Sum(
                shape, count, levels, y, shardTargets.Slice(r0 * horizons, count * horizons),
                shardMask.Slice(r0 * horizons, count * horizons), scale, dy);
            if (backward)
            {
                QuantileHead.Backward(shape, parameters, count, h, dy, cache.DHidden.AsSpan(r0 * hidden, count * hidden), cache.Sums, cache.Weights.Path);
            }
        }

        return sum;
    }

    private void ForwardCells(ReadOnlySpan<float> parameters, TrainingBatch batch)
    {
        var cache = Cache;
        var weights = cache.Weights;
        weights.Pack(parameters);
        int inputs = shape.InputSize, hidden = shape.HiddenSize, concat = inputs + hidden, b = cache.Batch, state = b * hidden;
        for (var t = 0; t < cache.Window; t++)
        {
            var xh = cache.Concat.AsSpan(t * b * concat, b * concat);
            ReadOnlySpan<float> hPrev = t == 0 ? cache.Zeros : cache.Hidden.AsSpan((t - 1) * state, state);
            for (var r = 0; r < b; r++)
            {
                batch.Inputs.AsSpan(((t * BatchRows) + FirstRow + r) * inputs, inputs).CopyTo(xh.Slice(r * concat, inputs));
                hPrev.Slice(r * hidden, hidden).CopyTo(xh.Slice((r * concat) + inputs, hidden));
            }

            ReadOnlySpan<float> cPrev = t == 0 ? cache.Zeros : cache.Cell.AsSpan((t - 1) * state, state);
            LstmCell.Forward(
                weights, b, xh, cPrev, cache.Gates.AsSpan(4 * t * state, 4 * state),
                cache.Cell.AsSpan(t * state, state), cache.TanhCell.AsSpan(t * state, state), cache.Hidden.AsSpan(t * state, state));
        }
    }

    private void BackwardCells(ReadOnlySpan<float> parameters)
    {
        var cache = Cache;
        int hidden = shape.HiddenSize, concat = shape.InputSize + hidden, b = cache.Batch, state = b * hidden;
        Array.Clear(cache.DCell);
        for (var t = cache.Window - 1; t >= 0; t--)
        {
            var first = t == 0;
            Span<float> dcPrev = first ? [] : cache.DCellPrevious;
            dcPrev.Clear();
            LstmCell.Backward(
                shape, parameters, b, cache.Concat.AsSpan(t * b * concat, b * concat),
                first ? cache.Zeros : cache.Cell.AsSpan((t - 1) * state, state),
                cache.Gates.AsSpan(4 * t * state, 4 * state), cache.TanhCell.AsSpan(t * state, state),
                cache.DHidden.AsSpan(t * state, state), cache.DCell, cache.DGates,
                [], first ? [] : cache.DHidden.AsSpan((t - 1) * state, state), dcPrev, cache.Sums, cache.Weights.Path);
            cache.SwapCellGradients();
        }
    }
}
