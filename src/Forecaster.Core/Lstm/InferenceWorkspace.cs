namespace Forecaster.Core.Lstm;

/// <summary>
/// Scratch buffers for <see cref="LstmInference"/>, allocated once for up to <see cref="MaxBatch"/> series,
/// plus transposed copies of the weights, repacked whenever a different <see cref="ForecastModel"/> instance
/// is used. One workspace per thread; not thread-safe.
/// </summary>
public sealed class InferenceWorkspace
{
    private readonly PackedWeights weights;
    private ForecastModel? packedModel;

    /// <exception cref="ArgumentOutOfRangeException">A dimension of the shape or <paramref name="maxBatch"/> is not positive.</exception>
    public InferenceWorkspace(ModelShape shape, int maxBatch)
        : this(shape, maxBatch, KernelDispatch.Selected)
    {
    }

    /// <summary>A workspace whose steps run on <paramref name="path"/> (tests and benchmarks; see <see cref="KernelDispatch"/>).</summary>
    /// <exception cref="ArgumentException">The path is not supported by this process.</exception>
    internal InferenceWorkspace(ModelShape shape, int maxBatch, KernelPath path)
    {
        ArgumentNullException.ThrowIfNull(shape);
        shape.Validate();
        ArgumentOutOfRangeException.ThrowIfLessThan(maxBatch, 1);
        Shape = shape;
        MaxBatch = maxBatch;
        weights = new PackedWeights(shape, path);
        BlockRows = Math.Min(maxBatch, MaxBlockRows);
        Concat = new float[BlockRows * weights.ConcatSize];
        Gates = new float[BlockRows * shape.GateSize];
        TanhC = new float[BlockRows * shape.HiddenSize];
    }

    /// <summary>Series per block: 64 rows of gates for H = 64 take 64 KB, so a block's scratch stays in L2.</summary>
    public const int MaxBlockRows = 64;

    public ModelShape Shape { get; }

    /// <summary>Rows processed at once: min(<see cref="MaxBatch"/>, <see cref="MaxBlockRows"/>).</summary>
    public int BlockRows { get; }

    /// <summary>Largest batch a step may use.</summary>
    public int MaxBatch { get; }

    /// <summary>[BlockRows, I+H] rows [x | h].</summary>
    internal float[] Concat { get; }

    /// <summary>[BlockRows, 4H] activated gates.</summary>
    internal float[] Gates { get; }

    /// <summary>[BlockRows, H] tanh of the new cell state.</summary>
    internal float[] TanhC { get; }

    /// <summary>
    /// Forgets the packed weights so the next step repacks them. Needed only if a model's parameter slab was
    /// changed in place after it was used here (models in service are immutable, so normally never).
    /// </summary>
    public void Invalidate() => packedModel = null;

    /// <summary>The packed weights of <paramref name="model"/>, repacked only when the instance changes.</summary>
    internal PackedWeights WeightsFor(ForecastModel model)
    {
        if (!ReferenceEquals(model, packedModel))
        {
            weights.Pack(model.Parameters);
            packedModel = model;
        }

        return weights;
    }
}
