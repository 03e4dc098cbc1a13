namespace Forecaster.Core.Lstm;

/// <summary>Scratch buffers for <see cref="LstmInference"/>, sized once for a shape and a largest batch.</summary>
public sealed class InferenceWorkspace
{
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="maxBatch"/> is less than 1.</exception>
    public InferenceWorkspace(ModelShape shape, int maxBatch)
    {
        ArgumentNullException.ThrowIfNull(shape);
        ArgumentOutOfRangeException.ThrowIfLessThan(maxBatch, 1);
        Shape = shape;
        MaxBatch = maxBatch;
        Gates = new float[maxBatch * shape.GateSize];
    }

    public ModelShape Shape { get; }

    public int MaxBatch { get; }

    /// <summary>[B, 4H] gate pre-activations, then activations.</summary>
    internal float[] Gates { get; }
}
