namespace Forecaster.Core.Lstm;

/// <summary>One online LSTM step plus the head for a batch of series (interim straightforward version).</summary>
public static class LstmInference
{
    /// <summary>
    /// inputs [B, I], hidden and cell [B, H] (read, then overwritten with the new state), outputs [B, K*Q].
    /// </summary>
    /// <exception cref="ArgumentException">A buffer is shorter than its shape needs, or the batch exceeds the workspace.</exception>
    public static void Step(ForecastModel model, InferenceWorkspace workspace, int batch, ReadOnlySpan<float> inputs, Span<float> hidden, Span<float> cell, Span<float> outputs)
    {
        var s = model.Shape;
        if (batch > workspace.MaxBatch || inputs.Length < batch * s.InputSize || hidden.Length < batch * s.HiddenSize || cell.Length < batch * s.HiddenSize || outputs.Length < batch * s.OutputSize)
        {
            throw new ArgumentException("A buffer is too short for the batch.");
        }

        var p = model.Parameters;
        int hs = s.HiddenSize, g4 = s.GateSize, inSize = s.InputSize;
        for (var b = 0; b < batch; b++)
        {
            var x = inputs.Slice(b * inSize, inSize);
            var h = hidden.Slice(b * hs, hs);
            var c = cell.Slice(b * hs, hs);
            var gates = workspace.Gates.AsSpan(b * g4, g4);
            for (var j = 0; j < g4; j++)
            {
                var sum = p[s.InputBiasOffset + j] + p[s.RecurrentBiasOffset + j];
                for (var i = 0; i < inSize; i++)
                {
                    sum += p[(j * inSize) + i] * x[i];
                }

                for (var i = 0; i < hs; i++)
                {
                    sum += p[s.RecurrentWeightsOffset + (j * hs) + i] * h[i];
                }

                gates[j] = sum;
            }

            for (var u = 0; u < hs; u++)
            {
                var ig = Sigmoid(gates[u]);
                var fg = Sigmoid(gates[hs + u]);
                var gg = MathF.Tanh(gates[(2 * hs) + u]);
                var og = Sigmoid(gates[(3 * hs) + u]);
                c[u] = (fg * c[u]) + (ig * gg);
                h[u] = og * MathF.Tanh(c[u]);
            }

            var y = outputs.Slice(b * s.OutputSize, s.OutputSize);
            for (var r = 0; r < s.OutputSize; r++)
            {
                var sum = p[s.HeadBiasOffset + r];
                for (var i = 0; i < hs; i++)
                {
                    sum += p[s.HeadWeightsOffset + (r * hs) + i] * h[i];
                }

                y[r] = sum;
            }
        }
    }

    private static float Sigmoid(float x) => 1f / (1f + MathF.Exp(-x));
}
