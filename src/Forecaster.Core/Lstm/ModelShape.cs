namespace Forecaster.Core.Lstm;

/// <summary>
/// Shape of one forecasting model: a single LSTM layer followed by a linear quantile head.
/// </summary>
/// <remarks>
/// All parameters live in one float slab, in PyTorch's <c>LSTMCell</c> layout followed by the head
/// (gate order i, f, g, o; every matrix row-major):
/// <code>
/// W_ih   [4H, I]      input weights
/// W_hh   [4H, H]      recurrent weights
/// b_ih   [4H]         input bias
/// b_hh   [4H]         recurrent bias
/// W_head [K*Q, H]     head weights, output row r = k*Q + q (horizon k, quantile q)
/// b_head [K*Q]        head bias
/// </code>
/// Gradients and optimizer moments use the same layout, so clipping and Adam are single loops.
/// </remarks>
/// <param name="InputSize">I: features per step.</param>
/// <param name="HiddenSize">H: LSTM units.</param>
/// <param name="Horizons">K: steps ahead forecast directly by the head.</param>
/// <param name="Quantiles">Q: quantile levels per horizon.</param>
public sealed record ModelShape(int InputSize, int HiddenSize, int Horizons, int Quantiles)
{
    /// <summary>4H: rows of the stacked gate matrices.</summary>
    public int GateSize => 4 * HiddenSize;

    /// <summary>K*Q: outputs of the head per series and step.</summary>
    public int OutputSize => Horizons * Quantiles;

    public const int InputWeightsOffset = 0;

    public int RecurrentWeightsOffset => GateSize * InputSize;

    public int InputBiasOffset => RecurrentWeightsOffset + (GateSize * HiddenSize);

    public int RecurrentBiasOffset => InputBiasOffset + GateSize;

    public int HeadWeightsOffset => RecurrentBiasOffset + GateSize;

    public int HeadBiasOffset => HeadWeightsOffset + (OutputSize * HiddenSize);

    /// <summary>Length of the parameter slab.</summary>
    public int ParameterCount => HeadBiasOffset + OutputSize;

    /// <summary>Throws <see cref="ArgumentOutOfRangeException"/> unless every dimension is positive.</summary>
    public void Validate()
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(InputSize, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(HiddenSize, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(Horizons, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(Quantiles, 1);
    }
}
