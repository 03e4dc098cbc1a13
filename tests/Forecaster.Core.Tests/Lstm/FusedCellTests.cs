using Forecaster.Core.Lstm;

namespace Forecaster.Core.Tests.Lstm;

/// <summary>
/// The fused forward (<see cref="FusedCell"/>: AVX2, and <see cref="FusedCell512"/>: AVX-512, each path the CPU
/// supports) and the portable one (<see cref="LstmCell.ForwardPortable"/>) against the reference, for every
/// row-tile remainder (B mod 3 for AVX2, B mod 4 for AVX-512), odd and even block counts (H/8) and lone rows
/// over 1 to 7 blocks, plus the fused kernels' promise that a row's result does not depend on where it sits in
/// the batch.
/// </summary>
public class FusedCellTests
{
    public static TheoryData<KernelPath, int, int, int> Cases => KernelPaths.VectorCross(
        (1, 8, 64), (2, 8, 64), (3, 8, 64), (4, 8, 64), (7, 8, 64), (4, 3, 8), (5, 1, 24), (65, 8, 16), (2, 5, 136), (6, 2, 56), (9, 4, 40));

    [Theory]
    [MemberData(nameof(Cases))]
    public void Fused_and_portable_forward_match_the_reference(KernelPath path, int batch, int inputs, int hidden)
    {
        var shape = new ModelShape(inputs, hidden, Horizons: 2, Quantiles: 3);
        var (weights, parameters, xh, cPrev) = Setup(shape, batch, seed: 90, path);
        int n = batch * hidden, concat = inputs + hidden;
        Assert.Equal(path, weights.Path);
        Assert.True(FusedCell.Applies(weights));
        float[] gates = new float[4 * n], c = new float[n], tanhC = new float[n], h = new float[n];
        FusedCell.Forward(weights, batch, xh, cPrev, gates, c, tanhC, h);
        AssertMatchesReference(shape, parameters, batch, xh, cPrev, gates, c, tanhC, h);
        float[] cLean = new float[n], hLean = new float[n];
        FusedCell.Forward(weights, batch, xh, cPrev, [], cLean, [], hLean);
        Assert.Equal(c, cLean);
        Assert.Equal(h, hLean);

        float[] pGates = new float[4 * n], pc = new float[n], pTanhC = new float[n], ph = new float[n];
        LstmCell.ForwardPortable(weights, batch, xh, cPrev, pGates, pc, pTanhC, ph); // its products on this path's Gemm
        AssertMatchesReference(shape, parameters, batch, xh, cPrev, pGates, pc, pTanhC, ph);
        var portable = new PackedWeights(shape, KernelPath.Portable);
        portable.Pack(parameters);
        LstmCell.Forward(portable, batch, xh, cPrev, pGates, pc, pTanhC, ph); // dispatches to the portable step, scalar Gemm
        AssertMatchesReference(shape, parameters, batch, xh, cPrev, pGates, pc, pTanhC, ph);
        Assert.Equal(batch * concat, xh.Length);
    }

    [Theory]
    [MemberData(nameof(KernelPaths.Vector), MemberType = typeof(KernelPaths))]
    public void A_row_gives_bit_identical_results_alone_in_place_and_anywhere_in_the_batch(KernelPath path)
    {
        var shape = new ModelShape(8, 64, 2, 3);
        const int batch = 7;
        var (weights, _, xh, cPrev) = Setup(shape, batch, seed: 91, path);
        float[] c = new float[batch * 64], h = new float[batch * 64];
        FusedCell.Forward(weights, batch, xh, cPrev, [], c, [], h);
        for (var r = 0; r < batch; r++)
        {
            var cAlone = cPrev.AsSpan(r * 64, 64).ToArray();
            var hAlone = new float[64];
            FusedCell.Forward(weights, 1, xh.AsSpan(r * 72, 72), cAlone, [], cAlone, [], hAlone);
            Assert.Equal(c.AsSpan(r * 64, 64).ToArray(), cAlone);
            Assert.Equal(h.AsSpan(r * 64, 64).ToArray(), hAlone);
        }
    }

    [Fact]
    public void The_portable_path_refuses_the_fused_kernel()
    {
        var shape = new ModelShape(8, 64, 2, 3);
        var (weights, _, xh, cPrev) = Setup(shape, 1, seed: 92, KernelPath.Portable);
        Assert.False(FusedCell.Applies(weights));
        var ex = Assert.Throws<ArgumentException>(() => FusedCell.Forward(weights, 1, xh, cPrev, [], new float[64], [], new float[64]));
        Assert.Contains("vector kernel path", ex.Message, StringComparison.Ordinal);
    }

    private static (PackedWeights Weights, float[] Parameters, float[] Xh, float[] CPrev) Setup(ModelShape shape, int batch, int seed, KernelPath path)
    {
        var parameters = SeededData.Floats(seed, shape.ParameterCount, 0.5f);
        var weights = new PackedWeights(shape, path);
        weights.Pack(parameters);
        var xh = SeededData.Floats(seed + 1, batch * (shape.InputSize + shape.HiddenSize), 2f);
        var cPrev = SeededData.Floats(seed + 2, batch * shape.HiddenSize, 2f);
        return (weights, parameters, xh, cPrev);
    }

    private static void AssertMatchesReference(
        ModelShape shape, float[] parameters, int batch, float[] xh, float[] cPrev, float[] gates, float[] c, float[] tanhC, float[] h)
    {
        int inputs = shape.InputSize, hidden = shape.HiddenSize, concat = inputs + hidden;
        float[] rowGates = new float[4 * hidden], rowC = new float[hidden], rowH = new float[hidden];
        for (var b = 0; b < batch; b++)
        {
            var row = xh.AsSpan(b * concat, concat);
            ReferenceLstmCell.Forward<float>(shape, parameters, row[..inputs], row[inputs..], cPrev.AsSpan(b * hidden, hidden), rowGates, rowC, rowH);
            SeededData.AssertClose(rowGates, gates.AsSpan(b * 4 * hidden, 4 * hidden), 1e-5, 1);
            SeededData.AssertClose(rowC, c.AsSpan(b * hidden, hidden), 1e-5, 1);
            SeededData.AssertClose(rowH, h.AsSpan(b * hidden, hidden), 1e-5, 1);
            for (var j = 0; j < hidden; j++)
            {
                Assert.Equal(MathF.Tanh(c[(b * hidden) + j]), tanhC[(b * hidden) + j], 1e-6f);
            }
        }
    }
}
