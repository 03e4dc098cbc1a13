using Forecaster.Core.Lstm;

namespace Forecaster.Core.Tests.Lstm;

/// <summary>
/// The fast batched cell against the finite-difference-checked reference, row by row, for sizes that are not
/// multiples of the 8- and 16-float vectors or the row tiles, on every kernel path this process supports.
/// </summary>
public class LstmCellTests
{
    public static TheoryData<KernelPath, int, int, int> Cases => KernelPaths.AllCross(
        (3, 7, 5), (1, 8, 64), (9, 3, 17), (6, 8, 32), (5, 1, 1), (7, 8, 24), (64, 8, 64));

    [Theory]
    [MemberData(nameof(Cases))]
    public void Forward_and_backward_match_the_reference(KernelPath path, int batch, int inputs, int hidden)
    {
        var shape = new ModelShape(inputs, hidden, Horizons: 2, Quantiles: 3);
        int n = batch * hidden, concat = inputs + hidden;
        var parameters = SeededData.Floats(30, shape.ParameterCount, 0.5f);
        var x = SeededData.Floats(31, batch * inputs, 2f);
        var hPrev = SeededData.Floats(32, n);
        var cPrev = SeededData.Floats(33, n, 2f);
        var dh = SeededData.Floats(34, n);
        var dc = SeededData.Floats(35, n);

        var weights = new PackedWeights(shape, path);
        weights.Pack(parameters);
        var xh = new float[batch * concat];
        for (var b = 0; b < batch; b++)
        {
            x.AsSpan(b * inputs, inputs).CopyTo(xh.AsSpan(b * concat));
            hPrev.AsSpan(b * hidden, hidden).CopyTo(xh.AsSpan((b * concat) + inputs));
        }

        float[] gates = new float[4 * n], c = new float[n], tanhC = new float[n], h = new float[n];
        LstmCell.Forward(weights, batch, xh, cPrev, gates, c, tanhC, h);
        float[] dGates = new float[4 * n], dx = new float[batch * inputs], dhPrev = new float[n], dcPrev = new float[n];
        var dParameters = new float[shape.ParameterCount];
        var sums = new GradientSums(shape);
        LstmCell.Backward(shape, parameters, batch, xh, cPrev, gates, tanhC, dh, dc, dGates, dx, dhPrev, dcPrev, sums, path);
        sums.AddTo(dParameters);

        var expectedDParameters = new float[shape.ParameterCount];
        float[] rowGates = new float[4 * hidden], rowC = new float[hidden], rowH = new float[hidden];
        float[] expectedDx = new float[batch * inputs], expectedDhPrev = new float[n], expectedDcPrev = new float[n];
        for (var b = 0; b < batch; b++)
        {
            var xb = x.AsSpan(b * inputs, inputs);
            var hb = hPrev.AsSpan(b * hidden, hidden);
            var cb = cPrev.AsSpan(b * hidden, hidden);
            ReferenceLstmCell.Forward<float>(shape, parameters, xb, hb, cb, rowGates, rowC, rowH);
            SeededData.AssertClose(rowC, c.AsSpan(b * hidden, hidden), 1e-5, 1);
            SeededData.AssertClose(rowH, h.AsSpan(b * hidden, hidden), 1e-5, 1);
            SeededData.AssertClose(rowGates, gates.AsSpan(b * 4 * hidden, 4 * hidden), 1e-5, 1);

            ReferenceLstmCell.Backward<float>(
                shape, parameters, xb, hb, cb, rowGates, rowC, dh.AsSpan(b * hidden, hidden), dc.AsSpan(b * hidden, hidden),
                expectedDx.AsSpan(b * inputs, inputs), expectedDhPrev.AsSpan(b * hidden, hidden),
                expectedDcPrev.AsSpan(b * hidden, hidden), expectedDParameters);
        }

        SeededData.AssertClose(expectedDParameters, dParameters, 1e-4, 1);
        SeededData.AssertClose(expectedDx, dx, 1e-4, 1);
        SeededData.AssertClose(expectedDhPrev, dhPrev, 1e-4, 1);
        SeededData.AssertClose(expectedDcPrev, dcPrev, 1e-4, 1);
    }

    [Fact]
    public void Backward_adds_into_existing_gradients()
    {
        var shape = new ModelShape(3, 5, 1, 1);
        const int batch = 3, n = batch * 5;
        var parameters = SeededData.Floats(40, shape.ParameterCount);
        var weights = new PackedWeights(shape);
        weights.Pack(parameters);
        var xh = SeededData.Floats(41, batch * 8);
        var cPrev = SeededData.Floats(42, n);
        float[] gates = new float[4 * n], c = new float[n], tanhC = new float[n], h = new float[n], dGates = new float[4 * n];
        LstmCell.Forward(weights, batch, xh, cPrev, gates, c, tanhC, h);
        var dh = SeededData.Floats(43, n);
        var dc = SeededData.Floats(44, n);
        var sums = new GradientSums(shape);
        LstmCell.Backward(shape, parameters, batch, xh, cPrev, gates, tanhC, dh, dc, dGates, [], [], [], sums);
        var once = new float[shape.ParameterCount];
        sums.AddTo(once);
        LstmCell.Backward(shape, parameters, batch, xh, cPrev, gates, tanhC, dh, dc, dGates, [], [], [], sums);
        var twice = new float[shape.ParameterCount];
        sums.AddTo(twice);
        for (var p = 0; p < once.Length; p++)
        {
            Assert.Equal(2 * once[p], twice[p], 1e-5f * (1 + Math.Abs(once[p])));
        }
    }
}
