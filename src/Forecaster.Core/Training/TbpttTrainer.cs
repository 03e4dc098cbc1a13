using Forecaster.Core.Lstm;

namespace Forecaster.Core.Training;

/// <summary>
/// Truncated back-propagation through time over windows of T steps, each from zero state: forward through the
/// window, head and masked pinball loss over all T·B rows (in cache-sized blocks), backward through the window,
/// global-norm clipping, a NaN/Inf guard and an Adam step. All buffers are allocated by the constructor; a step
/// allocates nothing. With <see cref="TrainerSettings.Threads"/> &gt; 1 the batch is split into that many shards
/// of consecutive windows (<see cref="TrainerShard"/>), run at once (the extra ones on the thread pool), their
/// gradient sums added in shard order, so results are deterministic for a given thread count (and differ from
/// another count's only by float summation order); the hand-off to the pool is allocation-free on this side,
/// but the pool's own queue allocates now and then (BenchmarkDotNet: 10–20 B per step on average).
/// One trainer per thread; it owns the Adam moments, so use one trainer per parameter slab being trained.
/// </summary>
public sealed class TbpttTrainer
{
    private readonly TrainerShard[] shards;
    private readonly float[] gradients;
    private readonly float[] sharedParameters;
    private readonly float[] sharedLevels;

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
        KernelDispatch.Require(path);
        var count = Math.Min(settings.Threads, settings.Batch);
        shards = new TrainerShard[count];
        for (var s = 0; s < count; s++)
        {
            int first = s * settings.Batch / count, next = (s + 1) * settings.Batch / count;
            shards[s] = new TrainerShard(shape, settings.Window, settings.Batch, first, next - first, path);
        }

        sharedParameters = count > 1 ? new float[shape.ParameterCount] : [];
        sharedLevels = count > 1 ? new float[shape.Quantiles] : [];
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
        return Run(parameters, quantileLevels, batch, backward: false, out _);
    }

    /// <summary>Zeroes the gradients, runs forward and backward, and returns the loss; gradients land in <see cref="Gradients"/>.</summary>
    internal double ComputeGradients(ReadOnlySpan<float> parameters, ReadOnlySpan<float> quantileLevels, TrainingBatch batch, out bool anyTarget)
    {
        Check(parameters, quantileLevels, batch);
        Array.Clear(gradients);
        var loss = Run(parameters, quantileLevels, batch, backward: true, out var present);
        anyTarget = present > 0;
        if (anyTarget)
        {
            foreach (var shard in shards)
            {
                shard.Cache.Sums.AddTo(gradients); // in shard order: the same sums for the same thread count
            }
        }

        return loss;
    }

    /// <summary>
    /// Every shard's forward, head and loss (and backward), shard 0 on this thread and the others on the thread
    /// pool; the loss sums are added in shard order and divided by present targets × Q.
    /// </summary>
    private double Run(ReadOnlySpan<float> parameters, ReadOnlySpan<float> levels, TrainingBatch batch, bool backward, out int present)
    {
        present = PinballLoss.CountPresent(batch.TargetMask);
        if (present == 0)
        {
            return 0.0;
        }

        var scale = 1f / (present * Shape.Quantiles);
        double sum;
        if (shards.Length == 1)
        {
            sum = shards[0].Run(parameters, levels, batch, scale, backward);
        }
        else
        {
            parameters.CopyTo(sharedParameters);
            levels.CopyTo(sharedLevels);
            for (var s = 1; s < shards.Length; s++)
            {
                shards[s].Start(sharedParameters, sharedLevels, batch, scale, backward);
            }

            try
            {
                sum = shards[0].Run(sharedParameters, sharedLevels, batch, scale, backward);
            }
            finally
            {
                for (var s = 1; s < shards.Length; s++)
                {
                    shards[s].Wait(); // none still runs when this returns or throws
                }
            }

            for (var s = 1; s < shards.Length; s++)
            {
                sum += shards[s].Join();
            }
        }

        return sum / (present * Shape.Quantiles);
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

        if (batch.Shape != Shape || batch.Window != Settings.Window || batch.Batch != Settings.Batch)
        {
            throw new ArgumentException(
                $"Batch ({batch.Shape}, T={batch.Window}, B={batch.Batch}) does not match the trainer ({Shape}, T={Settings.Window}, B={Settings.Batch}).", nameof(batch));
        }
    }
}
