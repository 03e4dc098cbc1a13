namespace Forecaster.Core.Lstm;

/// <summary>
/// Transposed copies of a parameter slab in the layout the fast kernels multiply with, allocated once per
/// shape and refilled by <see cref="Pack"/> whenever the weights change.
/// </summary>
/// <remarks>
/// <code>
/// GateWeights [4, I+H, H]   per gate g: rows p &lt; I are W_ih[gH+j, p], rows p ≥ I are W_hh[gH+j, p-I] (j = column)
/// GateBias    [4H]          b_ih + b_hh
/// HeadWeights [H, K*Q]      W_headᵀ
/// HeadBias    [K*Q]         b_head
/// </code>
/// With x and h side by side in one row [x | h] of length I+H, a gate's pre-activations for a whole
/// batch are then one product [B, I+H]·[I+H, H].
/// </remarks>
internal sealed class PackedWeights
{
    public PackedWeights(ModelShape shape)
    {
        ArgumentNullException.ThrowIfNull(shape);
        shape.Validate();
        Shape = shape;
        GateWeights = new float[4 * ConcatSize * shape.HiddenSize];
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

    /// <summary>Offset of gate g's [I+H, H] block in <see cref="GateWeights"/>.</summary>
    public int GateOffset(int gate) => gate * ConcatSize * Shape.HiddenSize;

    /// <summary>Refills every packed array from a slab (layout of <see cref="ModelShape"/>).</summary>
    /// <exception cref="ArgumentException">The slab length does not match the shape.</exception>
    public void Pack(ReadOnlySpan<float> parameters)
    {
        var shape = Shape;
        if (parameters.Length != shape.ParameterCount)
        {
            throw new ArgumentException($"Expected {shape.ParameterCount} parameters, got {parameters.Length}.", nameof(parameters));
        }

        int inputs = shape.InputSize, hidden = shape.HiddenSize, outputs = shape.OutputSize;
        var wih = parameters.Slice(ModelShape.InputWeightsOffset);
        var whh = parameters.Slice(shape.RecurrentWeightsOffset);
        for (var g = 0; g < 4; g++)
        {
            var block = GateWeights.AsSpan(GateOffset(g), ConcatSize * hidden);
            for (var j = 0; j < hidden; j++)
            {
                var row = (g * hidden) + j;
                for (var p = 0; p < inputs; p++)
                {
                    block[(p * hidden) + j] = wih[(row * inputs) + p];
                }

                for (var p = 0; p < hidden; p++)
                {
                    block[((inputs + p) * hidden) + j] = whh[(row * hidden) + p];
                }
            }
        }

        for (var r = 0; r < shape.GateSize; r++)
        {
            GateBias[r] = parameters[shape.InputBiasOffset + r] + parameters[shape.RecurrentBiasOffset + r];
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
