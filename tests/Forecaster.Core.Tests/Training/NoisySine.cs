using Forecaster.Core.Training;

namespace Forecaster.Core.Tests.Training;

/// <summary>
/// Fills a batch with windows of a noisy sine (period 12, random phase, uniform noise ±0.1), input the current
/// value, targets the next K values; all targets present.
/// </summary>
internal static class NoisySine
{
    public static void Fill(TrainingBatch batch, Random random)
    {
        int horizons = batch.Shape.Horizons, window = batch.Window;
        var series = new float[window + horizons];
        for (var b = 0; b < batch.Batch; b++)
        {
            var phase = random.NextDouble() * 2 * Math.PI;
            for (var n = 0; n < series.Length; n++)
            {
                series[n] = (float)(Math.Sin((2 * Math.PI * n / 12) + phase) + (0.2 * (random.NextDouble() - 0.5)));
            }

            for (var t = 0; t < window; t++)
            {
                var row = (t * batch.Batch) + b;
                batch.Inputs[row * batch.Shape.InputSize] = series[t];
                for (var k = 0; k < horizons; k++)
                {
                    batch.Targets[(row * horizons) + k] = series[t + 1 + k];
                    batch.TargetMask[(row * horizons) + k] = 1f;
                }
            }
        }
    }
}
