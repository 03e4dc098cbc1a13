using Forecaster.Core.Lstm;

namespace Forecaster.Core.Tests.Lstm;

/// <summary>The fast head over many rows against the finite-difference-checked reference.</summary>
public class QuantileHeadTests
{
    [Theory]
    [InlineData(3, 5, 2, 3)]
    [InlineData(13, 64, 12, 3)]
    [InlineData(1, 7, 1, 1)]
    [InlineData(700, 9, 5, 3)]
    public void Forward_and_backward_match_the_reference(int rows, int hidden, int horizons, int quantiles)
    {
        var shape = new ModelShape(InputSize: 2, hidden, horizons, quantiles);
        var outputs = shape.OutputSize;
        var parameters = SeededData.Floats(50, shape.ParameterCount);
        var h = SeededData.Floats(51, rows * hidden);
        var dy = SeededData.Floats(52, rows * outputs);
        var weights = new PackedWeights(shape);
        weights.Pack(parameters);

        var y = new float[rows * outputs];
        QuantileHead.Forward(weights, rows, h, y);
        var dh = new float[rows * hidden];
        var dParameters = new float[shape.ParameterCount];
        var sums = new GradientSums(shape);
        QuantileHead.Backward(shape, parameters, rows, h, dy, dh, sums);
        sums.AddTo(dParameters);

        var expectedY = new float[rows * outputs];
        var expectedDh = new float[rows * hidden];
        var expectedDParameters = new float[shape.ParameterCount];
        for (var r = 0; r < rows; r++)
        {
            ReferenceQuantileHead.Forward<float>(shape, parameters, h.AsSpan(r * hidden, hidden), expectedY.AsSpan(r * outputs, outputs));
            ReferenceQuantileHead.Backward<float>(
                shape, parameters, h.AsSpan(r * hidden, hidden), dy.AsSpan(r * outputs, outputs),
                expectedDh.AsSpan(r * hidden, hidden), expectedDParameters);
        }

        SeededData.AssertClose(expectedY, y, 1e-5, 1);
        SeededData.AssertClose(expectedDh, dh, 1e-5, 1);
        SeededData.AssertClose(expectedDParameters, dParameters, 1e-4, Math.Sqrt(rows));
    }
}
