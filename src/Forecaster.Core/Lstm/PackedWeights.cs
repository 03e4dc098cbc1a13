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
/// </code>
/// With x and h side by side in one row [x | h] of length I+H, all gate pre-activations of a batch are one
/// product [B, I+H]·[I+H, 4H]. The candidate gate's weights and bias are doubled (exact in binary floating
/// point) so a single sigmoid serves all four gates: tanh(z) = 2σ(2z) − 1.
/// </remarks>
internal sealed class PackedWeights
{
    public PackedWeights(ModelShape shape)
    {
        ArgumentNullException.ThrowIfNull(shape);
        shape.Validate();
        Shape = shape;
        GateWeights = new float[ConcatSize * shape.GateSize];
        GateBias = new float[shape.GateSize];
        HeadWeights = new float[shape.HiddenSize * shape.OutputSize];
        HeadBias = new float[shape.OutputSize];
    }

    public ModelShape Shape { get; }

    /// <summary>I+H: length of a concatenated [x | h] row.</summary>
    public int ConcatSize => Shape.InputSize + Shape.HiddenSize;

    public float[] GateWeights { get; }

    public float[] GateBias { get; }

    public float[] HeadWeights { get; }

    public float[] HeadBias { get; }

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
    }
}
