namespace Forecaster.Core.Lstm;

/// <summary>Creates freshly initialised models (version 0) from an explicit seed.</summary>
public static class ModelInitializer
{
    /// <summary>
    /// PyTorch's <c>LSTMCell</c> initialisation: every LSTM weight and bias uniform in (-1/sqrt(H), 1/sqrt(H)),
    /// then the forget gate's total bias set to 1 (b_ih's f block = 1, b_hh's f block = 0).
    /// Head weights uniform in the same range, head bias 0. The same seed always gives the same slab.
    /// </summary>
    /// <param name="shape">Model dimensions.</param>
    /// <param name="quantileLevels">Q ascending levels in (0, 1); the array is copied.</param>
    /// <param name="seed">Seed of the <see cref="Random"/> that draws the weights.</param>
    /// <exception cref="ArgumentException">The levels do not match the shape or lie outside (0, 1).</exception>
    /// <exception cref="ArgumentOutOfRangeException">A dimension of <paramref name="shape"/> is not positive.</exception>
    public static ForecastModel Create(ModelShape shape, float[] quantileLevels, int seed)
    {
        ArgumentNullException.ThrowIfNull(shape);
        ArgumentNullException.ThrowIfNull(quantileLevels);
        shape.Validate();
        var parameters = new float[shape.ParameterCount];
        var random = new Random(seed);
        var bound = 1.0 / Math.Sqrt(shape.HiddenSize);
        for (var p = 0; p < shape.HeadBiasOffset; p++)
        {
            parameters[p] = (float)(((2.0 * random.NextDouble()) - 1.0) * bound);
        }

        var h = shape.HiddenSize;
        parameters.AsSpan(shape.InputBiasOffset + h, h).Fill(1f);
        parameters.AsSpan(shape.RecurrentBiasOffset + h, h).Clear();
        parameters.AsSpan(shape.HeadBiasOffset, shape.OutputSize).Clear();
        return new ForecastModel(shape, (float[])quantileLevels.Clone(), parameters, version: 0);
    }
}
