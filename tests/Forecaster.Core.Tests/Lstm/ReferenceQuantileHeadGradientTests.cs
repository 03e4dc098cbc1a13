using Forecaster.Core.Lstm;

namespace Forecaster.Core.Tests.Lstm;

/// <summary>Finite-difference check of <see cref="ReferenceQuantileHead.Backward{T}"/> in double (see the cell's check for why).</summary>
public class ReferenceQuantileHeadGradientTests
{
    private static readonly ModelShape Shape = new(InputSize: 2, HiddenSize: 5, Horizons: 3, Quantiles: 2);

    [Fact]
    public void Gradients_match_finite_differences_for_head_parameters_and_hidden_state()
    {
        var parameters = SeededData.ToDouble(SeededData.Floats(20, Shape.ParameterCount));
        var h = SeededData.ToDouble(SeededData.Floats(21, Shape.HiddenSize));
        var dy = SeededData.ToDouble(SeededData.Floats(22, Shape.OutputSize)); // L = Σ dy·y
        var y = new double[Shape.OutputSize];
        var dParameters = new double[Shape.ParameterCount];
        var dh = new double[Shape.HiddenSize];
        ReferenceQuantileHead.Backward<double>(Shape, parameters, h, dy, dh, dParameters);

        double Loss()
        {
            ReferenceQuantileHead.Forward<double>(Shape, parameters, h, y);
            var sum = 0.0;
            for (var r = 0; r < y.Length; r++)
            {
                sum += dy[r] * y[r];
            }

            return sum;
        }

        ReferenceLstmCellGradientTests.AssertMatchesFiniteDifferences(parameters, dParameters, Loss, "parameter");
        ReferenceLstmCellGradientTests.AssertMatchesFiniteDifferences(h, dh, Loss, "h");
    }
}
