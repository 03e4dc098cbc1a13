using System.Numerics;

namespace Forecaster.Core.Lstm;

/// <summary>
/// Plain-loop LSTM cell for one series, the oracle the fast <see cref="LstmCell"/> is tested against and the
/// benchmark baseline. Generic so tests can run it in double for finite differences.
/// </summary>
/// <remarks>
/// Legend: x input [I], h/c previous state [H], gates activated i, f, g, o each [H] stored as [4H],
/// parameters in the <see cref="ModelShape"/> slab layout.
/// </remarks>
internal static class ReferenceLstmCell
{
    /// <summary>One step: gates [4H] (activated, order i f g o), c [H] = f*cPrev + i*g, h [H] = o*tanh(c).</summary>
    public static void Forward<T>(
        ModelShape shape, ReadOnlySpan<T> parameters, ReadOnlySpan<T> x, ReadOnlySpan<T> hPrev, ReadOnlySpan<T> cPrev,
        Span<T> gates, Span<T> c, Span<T> h)
        where T : IFloatingPointIeee754<T>
    {
        int inputs = shape.InputSize, hidden = shape.HiddenSize;
        var wih = parameters.Slice(ModelShape.InputWeightsOffset, shape.GateSize * inputs);
        var whh = parameters.Slice(shape.RecurrentWeightsOffset, shape.GateSize * hidden);
        var bih = parameters.Slice(shape.InputBiasOffset, shape.GateSize);
        var bhh = parameters.Slice(shape.RecurrentBiasOffset, shape.GateSize);
        for (var r = 0; r < shape.GateSize; r++)
        {
            var sum = bih[r] + bhh[r];
            for (var j = 0; j < inputs; j++)
            {
                sum += wih[(r * inputs) + j] * x[j];
            }

            for (var j = 0; j < hidden; j++)
            {
                sum += whh[(r * hidden) + j] * hPrev[j];
            }

            gates[r] = r / hidden == 2 ? T.Tanh(sum) : Sigmoid(sum);
        }

        for (var j = 0; j < hidden; j++)
        {
            T i = gates[j], f = gates[hidden + j], g = gates[(2 * hidden) + j], o = gates[(3 * hidden) + j];
            c[j] = (f * cPrev[j]) + (i * g);
            h[j] = o * T.Tanh(c[j]);
        }
    }

    /// <summary>
    /// Backward of <see cref="Forward{T}"/> given dh, dc (gradients w.r.t. the step's h and c). Adds into
    /// dx [I], dhPrev [H], dcPrev [H] and dParameters (slab layout); empty dx / dhPrev / dcPrev are skipped.
    /// </summary>
    public static void Backward<T>(
        ModelShape shape, ReadOnlySpan<T> parameters, ReadOnlySpan<T> x, ReadOnlySpan<T> hPrev, ReadOnlySpan<T> cPrev,
        ReadOnlySpan<T> gates, ReadOnlySpan<T> c, ReadOnlySpan<T> dh, ReadOnlySpan<T> dc,
        Span<T> dx, Span<T> dhPrev, Span<T> dcPrev, Span<T> dParameters)
        where T : IFloatingPointIeee754<T>
    {
        int inputs = shape.InputSize, hidden = shape.HiddenSize;
        Span<T> dPre = new T[shape.GateSize]; // reference code: clarity over allocation
        for (var j = 0; j < hidden; j++)
        {
            T i = gates[j], f = gates[hidden + j], g = gates[(2 * hidden) + j], o = gates[(3 * hidden) + j];
            var tanhC = T.Tanh(c[j]);
            var dcTotal = dc[j] + (dh[j] * o * (T.One - (tanhC * tanhC)));
            dPre[j] = dcTotal * g * i * (T.One - i);
            dPre[hidden + j] = dcTotal * cPrev[j] * f * (T.One - f);
            dPre[(2 * hidden) + j] = dcTotal * i * (T.One - (g * g));
            dPre[(3 * hidden) + j] = dh[j] * tanhC * o * (T.One - o);
            if (!dcPrev.IsEmpty)
            {
                dcPrev[j] += dcTotal * f;
            }
        }

        for (var r = 0; r < shape.GateSize; r++)
        {
            var d = dPre[r];
            dParameters[shape.InputBiasOffset + r] += d;
            dParameters[shape.RecurrentBiasOffset + r] += d;
            for (var j = 0; j < inputs; j++)
            {
                dParameters[ModelShape.InputWeightsOffset + (r * inputs) + j] += d * x[j];
                if (!dx.IsEmpty)
                {
                    dx[j] += d * parameters[ModelShape.InputWeightsOffset + (r * inputs) + j];
                }
            }

            for (var j = 0; j < hidden; j++)
            {
                dParameters[shape.RecurrentWeightsOffset + (r * hidden) + j] += d * hPrev[j];
                if (!dhPrev.IsEmpty)
                {
                    dhPrev[j] += d * parameters[shape.RecurrentWeightsOffset + (r * hidden) + j];
                }
            }
        }
    }

    private static T Sigmoid<T>(T z)
        where T : IFloatingPointIeee754<T> => T.One / (T.One + T.Exp(-z));
}
