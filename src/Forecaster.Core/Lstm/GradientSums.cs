using System.Numerics.Tensors;

namespace Forecaster.Core.Lstm;

/// <summary>
/// Weight and bias gradients of the cell and the head summed over many steps in the layout the backward products
/// write fastest (weights transposed), folded into a slab once by <see cref="AddTo"/>.
/// </summary>
/// <remarks>
/// <code>
/// GateWeights [I+H, 4H]   Σ xhᵀ·dGates: row p &lt; I is dW_ih[:, p], row p ≥ I is dW_hh[:, p−I]
/// GateBias    [4H]         Σ dGates (the gradient of b_ih and of b_hh alike)
/// HeadWeights [H, K*Q]     Σ hᵀ·dy = dW_headᵀ
/// HeadBias    [K*Q]        Σ dy
/// </code>
/// Reading xh and h as Aᵀ, each A row's six broadcasts in a 6-row tile are neighbours in memory, so the products
/// need no transposed copy of dGates or dy; the one transpose happens per training step, not per time step.
/// </remarks>
internal sealed class GradientSums
{
    public GradientSums(ModelShape shape)
    {
        ArgumentNullException.ThrowIfNull(shape);
        Shape = shape;
        GateWeights = new float[(shape.InputSize + shape.HiddenSize) * shape.GateSize];
        GateBias = new float[shape.GateSize];
        HeadWeights = new float[shape.HiddenSize * shape.OutputSize];
        HeadBias = new float[shape.OutputSize];
    }

    public ModelShape Shape { get; }

    public float[] GateWeights { get; }

    public float[] GateBias { get; }

    public float[] HeadWeights { get; }

    public float[] HeadBias { get; }

    public void Clear()
    {
        Array.Clear(GateWeights);
        Array.Clear(GateBias);
        Array.Clear(HeadWeights);
        Array.Clear(HeadBias);
    }

    /// <summary>Adds the sums into a gradient slab (layout of <see cref="ModelShape"/>).</summary>
    /// <exception cref="ArgumentException">The slab length does not match the shape.</exception>
    public void AddTo(Span<float> dParameters)
    {
        var shape = Shape;
        if (dParameters.Length != shape.ParameterCount)
        {
            throw new ArgumentException($"Expected {shape.ParameterCount} gradients, got {dParameters.Length}.", nameof(dParameters));
        }

        int inputs = shape.InputSize, hidden = shape.HiddenSize, gates = shape.GateSize, outputs = shape.OutputSize, concat = inputs + hidden;
        var dWih = dParameters.Slice(ModelShape.InputWeightsOffset, gates * inputs);
        var dWhh = dParameters.Slice(shape.RecurrentWeightsOffset, gates * hidden);
        for (var r = 0; r < gates; r++)
        {
            for (var p = 0; p < concat; p++)
            {
                var g = GateWeights[(p * gates) + r];
                if (p < inputs)
                {
                    dWih[(r * inputs) + p] += g;
                }
                else
                {
                    dWhh[(r * hidden) + p - inputs] += g;
                }
            }
        }

        var dBih = dParameters.Slice(shape.InputBiasOffset, gates);
        var dBhh = dParameters.Slice(shape.RecurrentBiasOffset, gates);
        TensorPrimitives.Add(dBih, GateBias, dBih);
        TensorPrimitives.Add(dBhh, GateBias, dBhh);
        var dHead = dParameters.Slice(shape.HeadWeightsOffset, outputs * hidden);
        for (var r = 0; r < outputs; r++)
        {
            for (var j = 0; j < hidden; j++)
            {
                dHead[(r * hidden) + j] += HeadWeights[(j * outputs) + r];
            }
        }

        var dHeadBias = dParameters.Slice(shape.HeadBiasOffset, outputs);
        TensorPrimitives.Add(dHeadBias, HeadBias, dHeadBias);
    }
}
