using Forecaster.Core.Lstm;

namespace Forecaster.Core.Training;

/// <summary>
/// Everything the forward pass over a training window keeps for the backward pass, allocated once.
/// </summary>
/// <remarks>
/// <code>
/// Concat   [T, B, I+H]   rows [x_t | h_(t-1)], h_(-1) = 0
/// Gates    [T, B, 4H]    activated gates, rows [i | f | g | o]
/// Cell     [T, B, H]     c_t (c_(-1) = 0 is Zeros)
/// TanhCell [T, B, H]     tanh(c_t)
/// Hidden   [T, B, H]     h_t, also the head's input rows [T*B, H]
/// Outputs  [HeadRows, K*Q]  head outputs of one block of rows;  DOutputs their loss gradient
/// DHidden  [T, B, H]     dL/dh_t: the head's part, then the next step's part added during backward
/// DCell    2 × [B, H]    dL/dc_t of the current and previous step;  DGates [B, 4H] scratch
/// Sums             weight and bias gradients of the window, summed transposed (see <see cref="GradientSums"/>)
/// </code>
/// </remarks>
internal sealed class WindowCache
{
    public WindowCache(ModelShape shape, int window, int batch, KernelPath path)
    {
        int hidden = shape.HiddenSize, rows = window * batch, state = batch * hidden;
        Window = window;
        Batch = batch;
        Weights = new PackedWeights(shape, path);
        Concat = new float[rows * (shape.InputSize + hidden)];
        Gates = new float[4 * rows * hidden];
        Cell = new float[rows * hidden];
        TanhCell = new float[rows * hidden];
        Hidden = new float[rows * hidden];
        HeadRows = Math.Min(rows, HeadBlock);
        Outputs = new float[HeadRows * shape.OutputSize];
        DOutputs = new float[HeadRows * shape.OutputSize];
        DHidden = new float[rows * hidden];
        DCell = new float[state];
        DCellPrevious = new float[state];
        DGates = new float[4 * state];
        Sums = new GradientSums(shape);
        Zeros = new float[state];
    }

    /// <summary>Rows per head block: 128 rows of 144 outputs and their gradients take ~150 KB, well inside L2.</summary>
    public const int HeadBlock = 128;

    public int Window { get; }

    /// <summary>Rows the head processes at once (min(T·B, <see cref="HeadBlock"/>)).</summary>
    public int HeadRows { get; }

    public int Batch { get; }

    public PackedWeights Weights { get; }

    public float[] Concat { get; }

    public float[] Gates { get; }

    public float[] Cell { get; }

    public float[] TanhCell { get; }

    public float[] Hidden { get; }

    public float[] Outputs { get; }

    public float[] DOutputs { get; }

    public float[] DHidden { get; }

    public float[] DCell { get; private set; }

    public float[] DCellPrevious { get; private set; }

    public float[] DGates { get; }

    public GradientSums Sums { get; }

    public float[] Zeros { get; }

    public void SwapCellGradients() => (DCell, DCellPrevious) = (DCellPrevious, DCell);
}
