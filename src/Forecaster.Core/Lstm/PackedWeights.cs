namespace Forecaster.Core.Lstm;

/// <summary>
/// Transposed copies of a parameter slab in the layout the fast kernels multiply with, allocated once per
/// shape and refilled by <see cref="Pack"/> whenever the weights change.
/// </summary>
/// <remarks>
/// <code>
/// GateWeights [I+H, 4H]   [W_ih | W_hh]ᵀ: row p &lt; I holds W_ih[:, p], row p ≥ I holds W_hh[:, p-I]; g block × 2
/// GateBias    [4H]         b_ih + b_hh; g block × 2
/// HeadWeights [H, K*Q]     W_headᵀ
/// HeadBias    [K*Q]        b_head
/// GatePanel   [H/8, I+H, 32]  for units u0..u0+7 (u0 = 8·block) and input p: the 8 W rows of gate i, then f, g, o
/// PanelBias   [H/8, 32]       b_ih + b_hh in the same order
/// </code>
/// GatePanel and PanelBias (g × 2 as above, empty unless 8 divides H) feed <see cref="FusedCell"/> (and <see cref="FusedCell512"/>, two vectors [i | f], [g | o] per p): one pass over a block's
/// panel yields all four gates of 8 units, so their activations and the state update follow in registers.
/// With x and h side by side in one row [x | h] of length I+H, all gate pre-activations of a batch are one
/// product [B, I+H]·[I+H, 4H]. The candidate gate's weights and bias are doubled (exact in binary floating
/// point) so a single sigmoid serves all four gates: tanh(z) = 2σ(2z) − 1.
/// </remarks>
internal sealed class PackedWeights
{
    public PackedWeights(ModelShape shape)
        : this(shape, KernelDispatch.Selected)
    {
    }

    /// <summary>Weights for the kernels of <paramref name="path"/> (tests and benchmarks pick one; see <see cref="KernelDispatch"/>).</summary>
    /// <exception cref="ArgumentException">The path is not supported by this process.</exception>
    public PackedWeights(ModelShape shape, KernelPath path)
    {
        ArgumentNullException.ThrowIfNull(shape);
        shape.Validate();
        Shape = shape;
        Path = KernelDispatch.Require(path);
        GateWeights = new float[ConcatSize * shape.GateSize];
        GateBias = new float[shape.GateSize];
        HeadWeights = new float[shape.HiddenSize * shape.OutputSize];
        HeadBias = new float[shape.OutputSize];
        var panelled = shape.HiddenSize % FusedCell.Units == 0;
        GatePanel = panelled ? new float[ConcatSize * shape.GateSize] : [];
        PanelBias = panelled ? new float[shape.GateSize] : [];
    }

    public ModelShape Shape { get; }

    /// <summary>The kernels every product and step with these weights runs on.</summary>
    public KernelPath Path { get; }

    /// <summary>I+H: length of a concatenated [x | h] row.</summary>
    public int ConcatSize => Shape.InputSize + Shape.HiddenSize;

    public float[] GateWeights { get; }

    public float[] GateBias { get; }

    public float[] HeadWeights { get; }

    public float[] HeadBias { get; }

    /// <summary>[H/8, I+H, 32] gate-interleaved panels for <see cref="FusedCell"/>; empty when 8 does not divide H.</summary>
    public float[] GatePanel { get; }

    /// <summary>[H/8, 32] summed biases in panel order; empty when 8 does not divide H.</summary>
    public float[] PanelBias { get; }

    /// <summary>Refills every packed array from a slab (layout of <see cref="ModelShape"/>).</summary>
    /// <exception cref="ArgumentException">The slab length does not match the shape.</exception>
    public void Pack(ReadOnlySpan<float> parameters)
    {
        var shape = Shape;
        if (parameters.Length != shape.ParameterCount)
        {
            throw new ArgumentException($"Expected {shape.ParameterCount} parameters, got {parameters.Length}.", nameof(parameters));
        }

        int inputs = shape.InputSize, hidden = shape.HiddenSize, outputs = shape.OutputSize, gates = shape.GateSize;
        var wih = parameters.Slice(ModelShape.InputWeightsOffset, gates * inputs);
        var whh = parameters.Slice(shape.RecurrentWeightsOffset, gates * hidden);
        for (var r = 0; r < gates; r++)
        {
            var scale = r / hidden == 2 ? 2f : 1f;
            for (var p = 0; p < inputs; p++)
            {
                GateWeights[(p * gates) + r] = scale * wih[(r * inputs) + p];
            }

            for (var p = 0; p < hidden; p++)
            {
                GateWeights[((inputs + p) * gates) + r] = scale * whh[(r * hidden) + p];
            }

            GateBias[r] = scale * (parameters[shape.InputBiasOffset + r] + parameters[shape.RecurrentBiasOffset + r]);
        }

        var head = parameters.Slice(shape.HeadWeightsOffset, outputs * hidden);
        for (var r = 0; r < outputs; r++)
        {
            for (var j = 0; j < hidden; j++)
            {
                HeadWeights[(j * outputs) + r] = head[(r * hidden) + j];
            }
        }

        parameters.Slice(shape.HeadBiasOffset, outputs).CopyTo(HeadBias);
        if (GatePanel.Length > 0)
        {
            PackPanel(parameters);
        }
    }

    private void PackPanel(ReadOnlySpan<float> parameters)
    {
        var shape = Shape;
        int inputs = shape.InputSize, hidden = shape.HiddenSize, concat = ConcatSize, width = 4 * FusedCell.Units;
        var wih = parameters.Slice(ModelShape.InputWeightsOffset, shape.GateSize * inputs);
        var whh = parameters.Slice(shape.RecurrentWeightsOffset, shape.GateSize * hidden);
        for (var block = 0; block < hidden / FusedCell.Units; block++)
        {
            for (var lane = 0; lane < width; lane++)
            {
                var row = ((lane / FusedCell.Units) * hidden) + (block * FusedCell.Units) + (lane % FusedCell.Units);
                var scale = lane / FusedCell.Units == 2 ? 2f : 1f;
                var column = (block * concat * width) + lane;
                for (var p = 0; p < inputs; p++)
                {
                    GatePanel[column + (p * width)] = scale * wih[(row * inputs) + p];
                }

                for (var p = 0; p < hidden; p++)
                {
                    GatePanel[column + ((inputs + p) * width)] = scale * whh[(row * hidden) + p];
                }

                PanelBias[(block * width) + lane] = scale * (parameters[shape.InputBiasOffset + row] + parameters[shape.RecurrentBiasOffset + row]);
            }
        }
    }
}
