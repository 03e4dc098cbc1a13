using Forecaster.Core.Lstm;

namespace Forecaster.Core.Tests.Lstm;

/// <summary>
/// Finite-difference checks of <see cref="ReferenceLstmCell.Backward{T}"/>, run in double: central differences
/// with ε = 1e-6 have truncation error ~ε² and round-off ~1e-16/ε ≈ 1e-10, far below the 1e-6 relative
/// tolerance, so the check is stable. The fast cell is then checked against this reference in
/// <see cref="LstmCellTests"/>.
/// </summary>
public class ReferenceLstmCellGradientTests
{
    private const double Epsilon = 1e-6;
    private static readonly ModelShape Shape = new(InputSize: 3, HiddenSize: 4, Horizons: 2, Quantiles: 3);

    [Fact]
    public void Gradients_match_finite_differences_for_every_lstm_parameter_input_and_state()
    {
        var parameters = SeededData.ToDouble(SeededData.Floats(10, Shape.ParameterCount));
        var x = SeededData.ToDouble(SeededData.Floats(11, Shape.InputSize, 2f));
        var hPrev = SeededData.ToDouble(SeededData.Floats(12, Shape.HiddenSize));
        var cPrev = SeededData.ToDouble(SeededData.Floats(13, Shape.HiddenSize, 2f));
        var dh = SeededData.ToDouble(SeededData.Floats(14, Shape.HiddenSize)); // L = Σ dh·h' + Σ dc·c'
        var dc = SeededData.ToDouble(SeededData.Floats(15, Shape.HiddenSize));

        var gates = new double[Shape.GateSize];
        var c = new double[Shape.HiddenSize];
        var h = new double[Shape.HiddenSize];
        ReferenceLstmCell.Forward<double>(Shape, parameters, x, hPrev, cPrev, gates, c, h);
        var dParameters = new double[Shape.ParameterCount];
        var dx = new double[Shape.InputSize];
        var dhPrev = new double[Shape.HiddenSize];
        var dcPrev = new double[Shape.HiddenSize];
        ReferenceLstmCell.Backward<double>(Shape, parameters, x, hPrev, cPrev, gates, c, dh, dc, dx, dhPrev, dcPrev, dParameters);

        double Loss()
        {
            ReferenceLstmCell.Forward<double>(Shape, parameters, x, hPrev, cPrev, gates, c, h);
            var sum = 0.0;
            for (var j = 0; j < Shape.HiddenSize; j++)
            {
                sum += (dh[j] * h[j]) + (dc[j] * c[j]);
            }

            return sum;
        }

        AssertMatchesFiniteDifferences(parameters, dParameters.AsSpan(0, Shape.HeadWeightsOffset).ToArray(), Loss, "parameter");
        Assert.All(dParameters[Shape.HeadWeightsOffset..], d => Assert.Equal(0.0, d));
        AssertMatchesFiniteDifferences(x, dx, Loss, "x");
        AssertMatchesFiniteDifferences(hPrev, dhPrev, Loss, "hPrev");
        AssertMatchesFiniteDifferences(cPrev, dcPrev, Loss, "cPrev");
    }

    /// <summary>Central differences of <paramref name="loss"/> w.r.t. each of the first analytic.Length values.</summary>
    internal static void AssertMatchesFiniteDifferences(double[] values, double[] analytic, Func<double> loss, string name)
    {
        for (var i = 0; i < analytic.Length; i++)
        {
            var saved = values[i];
            values[i] = saved + Epsilon;
            var up = loss();
            values[i] = saved - Epsilon;
            var down = loss();
            values[i] = saved;
            var numeric = (up - down) / (2 * Epsilon);
            var tolerance = 1e-6 * Math.Max(Math.Abs(numeric), 1e-3);
            Assert.True(Math.Abs(analytic[i] - numeric) <= tolerance, $"{name}[{i}]: analytic {analytic[i]:R}, numeric {numeric:R}");
        }
    }
}
