namespace Forecaster.Core.Lstm;

/// <summary>Interim seeded initialisation (PyTorch's uniform(−1/√H, 1/√H), forget bias 1).</summary>
public static class ModelInitializer
{
    public static ForecastModel Create(ModelShape shape, float[] quantileLevels, int seed)
    {
        var random = new Random(seed);
        var p = new float[shape.ParameterCount];
        var bound = 1f / MathF.Sqrt(shape.HiddenSize);
        for (var i = 0; i < shape.HeadBiasOffset; i++)
        {
            p[i] = ((float)random.NextDouble() * 2f - 1f) * bound;
        }

        var h = shape.HiddenSize;
        p.AsSpan(shape.InputBiasOffset + h, h).Fill(1f);
        p.AsSpan(shape.RecurrentBiasOffset + h, h).Clear();
        return new ForecastModel(shape, quantileLevels, p, 0);
    }
}
