using Forecaster.Core.Lstm;

namespace Forecaster.Core.Training;

/// <summary>
/// Preallocated, time-major buffers for one training batch: B windows of T steps. Every window starts from
/// zero state (h0 = c0 = 0). Fill the arrays in place and reuse the batch across steps.
/// </summary>
/// <remarks>
/// <code>
/// Inputs     [T, B, I]   element (t, b, i) at (t*B + b)*I + i
/// Targets    [T, B, K]   target of horizon k for the forecast made after step t
/// TargetMask [T, B, K]   1 = target present, 0 = absent (ignored by loss and gradient; its target may be NaN)
/// </code>
/// </remarks>
public sealed class TrainingBatch
{
    /// <exception cref="ArgumentOutOfRangeException">A dimension, <paramref name="window"/> or <paramref name="batch"/> is not positive.</exception>
    public TrainingBatch(ModelShape shape, int window, int batch)
    {
        ArgumentNullException.ThrowIfNull(shape);
        shape.Validate();
        ArgumentOutOfRangeException.ThrowIfLessThan(window, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(batch, 1);
        Shape = shape;
        Window = window;
        Batch = batch;
        Inputs = new float[window * batch * shape.InputSize];
        Targets = new float[window * batch * shape.Horizons];
        TargetMask = new float[window * batch * shape.Horizons];
    }

    public ModelShape Shape { get; }

    /// <summary>T: steps per window.</summary>
    public int Window { get; }

    /// <summary>B: windows per batch.</summary>
    public int Batch { get; }

    /// <summary>[T, B, I] inputs.</summary>
    public float[] Inputs { get; }

    /// <summary>[T, B, K] targets.</summary>
    public float[] Targets { get; }

    /// <summary>[T, B, K] 1 where the target is present, 0 where absent.</summary>
    public float[] TargetMask { get; }
}
