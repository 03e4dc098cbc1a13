using Forecaster.Core.Lstm;

namespace Forecaster.Core.Training;

/// <summary>
/// Truncated back-propagation through time over windows of T steps, each from zero state: forward through the
/// window, head and masked pinball loss over all T·B rows (in cache-sized blocks), backward through the window,
/// global-norm clipping, a NaN/Inf guard and an Adam step. All buffers are allocated by the constructor; a step
/// allocates nothing.
/// One trainer per thread; it owns the Adam moments, so use one trainer per parameter slab being trained.
/// </summary>
public sealed class TbpttTrainer
{
    private readonly WindowCache cache;
    private readonly float[] gradients;

    /// <exception cref="ArgumentOutOfRangeException">A dimension or setting is out of range.</exception>
    public TbpttTrainer(ModelShape shape, TrainerSettings settings)
        : this(shape, settings, KernelDispatch.Selected)
    {
    }

    /// <summary>A trainer whose kernels run on <paramref name="path"/> (tests and benchmarks; see <see cref="KernelDispatch"/>).</summary>
    /// <exception cref="ArgumentException">The path is not supported by this process.</exception>
    internal TbpttTrainer(ModelShape shape, TrainerSettings settings, KernelPath path)
    {
        ArgumentNullException.ThrowIfNull(shape);
        ArgumentNullException.ThrowIfNull(settings);
        shape.Validate();
        settings.Validate();
        Shape = shape;
        Settings = settings;
        cache = new WindowCache(shape, settings.Window, settings.Batch, KernelDispatch.Require(path));
        gradients = new float[shape.ParameterCount];
        Optimizer = new AdamOptimizer(shape.ParameterCount, settings.LearningRate, settings.Beta1, settings.Beta2, settings.Epsilon) { Path = path };
    }

    public ModelShape Shape { get; }

    public TrainerSettings Settings { get; }

    /// <summary>The Adam state carried across steps.</summary>
    public AdamOptimizer Optimizer { get; }

    /// <summary>Gradients of the last <see cref="Step"/> (after clipping), in the slab layout.</summary>
    internal ReadOnlySpan<float> Gradients => gradients;

    /// <summary>
    /// One training step on <paramref name="batch"/>, updating <paramref name="parameters"/> in place.
    /// Refused (Applied = false, parameters and Adam state untouched) when the loss or the gradient norm is
    /// not finite, or when no target is present.
    /// </summary>
    /// <param name="parameters">Slab in the <see cref="ModelShape"/> layout.</param>
    /// <param name="quantileLevels">Q levels the head's outputs estimate.</param>
    /// <param name="batch">A batch of the trainer's shape, window and batch size.</param>
    /// <exception cref="ArgumentException">A length or the batch's shape does not match the trainer.</exception>
    public TrainStepResult Step(Span<float> parameters, ReadOnlySpan<float> quantileLevels, TrainingBatch batch)
    {
        var loss = ComputeGradients(parameters, quantileLevels, batch, out var anyTarget);
        var norm = GlobalNormClipping.Clip(gradients, Settings.ClipNorm);
        if (!anyTarget || !double.IsFinite(loss) || !double.IsFinite(norm))
        {
            return new TrainStepResult(loss, norm, Applied: false);
        }

        Optimizer.Step(parameters, gradients);
        return new TrainStepResult(loss, norm, Applied: true);
    }

    /// <summary>Mean pinball loss of <paramref name="batch"/> without any update (validation).</summary>
    /// <exception cref="ArgumentException">A length or the batch's shape does not match the trainer.</exception>
    public double Evaluate(ReadOnlySpan<float> parameters, ReadOnlySpan<float> quantileLevels, TrainingBatch batch)
    {
        Check(parameters, quantileLevels, batch);
        ForwardCells(parameters, batch);
        return HeadAndLoss(parameters, quantileLevels, batch, backward: false, out _);
    }

    /// <summary>Zeroes the gradients, runs forward and backward, and returns the loss; gradients land in <see cref="Gradients"/>.</summary>
    internal double ComputeGradients(ReadOnlySpan<float> parameters, ReadOnlySpan<float> quantileLevels, TrainingBatch batch, out bool anyTarget)
    {
        Check(parameters, quantileLevels, batch);
        Array.Clear(gradients);
        cache.Sums.Clear();
        ForwardCells(parameters, batch);
        var loss = HeadAndLoss(parameters, quantileLevels, batch, backward: true, out var present);
        anyTarget = present > 0;
        BackwardCells(parameters);
        cache.Sums.AddTo(gradients);
        return loss;
    }

    /// <summary>
    /// Head, loss and (when <paramref name="backward"/>) head backward over all T·B rows, in blocks of
    /// <see cref="WindowCache.HeadRows"/> rows so outputs and their gradients stay in cache instead of memory.
    /// Fills DHidden with dL/dh from the head.
    /// </summary>
    private double HeadAndLoss(ReadOnlySpan<float> parameters, ReadOnlySpan<float> levels, TrainingBatch batch, bool backward, out int present)
    {
        int hidden = Shape.HiddenSize, horizons = Shape.Horizons, outputs = Shape.OutputSize, rows = cache.Window * cache.Batch;
        present = PinballLoss.CountPresent(batch.TargetMask);
        if (backward)
        {
            Array.Clear(cache.DHidden);
        }

        if (present == 0)
        {
            return 0.0;
        }

        var scale = 1f / (present * Shape.Quantiles);
        var sum = 0.0;
        for (var r0 = 0; r0 < rows; r0 += cache.HeadRows)
        {
            var count = Math.Min(cache.HeadRows, rows - r0);
            var h = cache.Hidden.AsSpan(r0 * hidden, count * hidden);
            var y = cache.Outputs.AsSpan(0, count * outputs);
            Span<float> dy = backward ? cache.DOutputs.AsSpan(0, count * outputs) : [];
            QuantileHead.Forward(cache.Weights, count, h, y);
            sum += PinballLoss.Sum(
                Shape, count, levels, y, batch.Targets.AsSpan(r0 * horizons, count * horizons),
                batch.TargetMask.AsSpan(r0 * horizons, count * horizons), scale, dy);
            if (backward)
            {
                QuantileHead.Backward(Shape, parameters, count, h, dy, cache.DHidden.AsSpan(r0 * hidden, count * hidden), cache.Sums, cache.Weights.Path);
            }
        }

        return sum / (present * Shape.Quantiles);
    }

    private void ForwardCells(ReadOnlySpan<float> parameters, TrainingBatch batch)
    {
        var weights = cache.Weights;
        weights.Pack(parameters);
        int inputs = Shape.InputSize, hidden = Shape.HiddenSize, concat = inputs + hidden, b = cache.Batch, state = b * hidden;
        for (var t = 0; t < cache.Window; t++)
        {
            var xh = cache.Concat.AsSpan(t * b * concat, b * concat);
            ReadOnlySpan<float> hPrev = t == 0 ? cache.Zeros : cache.Hidden.AsSpan((t - 1) * state, state);
            for (var r = 0; r < b; r++)
            {
                batch.Inputs.AsSpan(((t * b) + r) * inputs, inputs).CopyTo(xh.Slice(r * concat, inputs));
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
        int hidden = Shape.HiddenSize, concat = Shape.InputSize + hidden, b = cache.Batch, state = b * hidden;
        Array.Clear(cache.DCell);
        for (var t = cache.Window - 1; t >= 0; t--)
        {
            var first = t == 0;
            Span<float> dcPrev = first ? [] : cache.DCellPrevious;
            dcPrev.Clear();
            LstmCell.Backward(
                Shape, parameters, b, cache.Concat.AsSpan(t * b * concat, b * concat),
                first ? cache.Zeros : cache.Cell.AsSpan((t - 1) * state, state),
                cache.Gates.AsSpan(4 * t * state, 4 * state), cache.TanhCell.AsSpan(t * state, state),
                cache.DHidden.AsSpan(t * state, state), cache.DCell, cache.DGates,
                [], first ? [] : cache.DHidden.AsSpan((t - 1) * state, state), dcPrev, cache.Sums, cache.Weights.Path);
            cache.SwapCellGradients();
        }
    }

    private void Check(ReadOnlySpan<float> parameters, ReadOnlySpan<float> quantileLevels, TrainingBatch batch)
    {
        ArgumentNullException.ThrowIfNull(batch);
        if (parameters.Length != Shape.ParameterCount)
        {
            throw new ArgumentException($"Expected {Shape.ParameterCount} parameters for {Shape}, got {parameters.Length}.", nameof(parameters));
        }

        if (quantileLevels.Length != Shape.Quantiles)
        {
            throw new ArgumentException($"Expected {Shape.Quantiles} quantile levels, got {quantileLevels.Length}.", nameof(quantileLevels));
        }

        if (batch.Shape != Shape || batch.Window != cache.Window || batch.Batch != cache.Batch)
        {
            throw new ArgumentException(
                $"Batch ({batch.Shape}, T={batch.Window}, B={batch.Batch}) does not match the trainer ({Shape}, T={cache.Window}, B={cache.Batch}).", nameof(batch));
        }
    }
}
