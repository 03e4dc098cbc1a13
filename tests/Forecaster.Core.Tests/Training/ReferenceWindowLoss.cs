using Forecaster.Core.Lstm;
using Forecaster.Core.Training;

namespace Forecaster.Core.Tests.Training;

/// <summary>
/// The loss of a whole training batch, computed in double with the reference cell and head, one series at a
/// time from zero state: the oracle for finite differences of <see cref="TbpttTrainer"/>.
/// </summary>
internal static class ReferenceWindowLoss
{
    public static double Compute(ModelShape shape, double[] parameters, ReadOnlySpan<float> levels, TrainingBatch batch)
    {
        int inputs = shape.InputSize, hidden = shape.HiddenSize, horizons = shape.Horizons, quantiles = shape.Quantiles;
        double[] h = new double[hidden], c = new double[hidden], nextH = new double[hidden], nextC = new double[hidden];
        double[] gates = new double[shape.GateSize], x = new double[inputs], y = new double[shape.OutputSize];
        double sum = 0;
        var count = 0;
        for (var b = 0; b < batch.Batch; b++)
        {
            Array.Clear(h);
            Array.Clear(c);
            for (var t = 0; t < batch.Window; t++)
            {
                var row = (t * batch.Batch) + b;
                for (var i = 0; i < inputs; i++)
                {
                    x[i] = batch.Inputs[(row * inputs) + i];
                }

                ReferenceLstmCell.Forward<double>(shape, parameters, x, h, c, gates, nextC, nextH);
                (h, nextH) = (nextH, h);
                (c, nextC) = (nextC, c);
                ReferenceQuantileHead.Forward<double>(shape, parameters, h, y);
                for (var k = 0; k < horizons; k++)
                {
                    if (batch.TargetMask[(row * horizons) + k] == 0f)
                    {
                        continue;
                    }

                    for (var q = 0; q < quantiles; q++)
                    {
                        var u = batch.Targets[(row * horizons) + k] - y[(k * quantiles) + q];
                        sum += Math.Max(levels[q] * u, (levels[q] - 1) * u);
                        count++;
                    }
                }
            }
        }

        return sum / count;
    }
}
