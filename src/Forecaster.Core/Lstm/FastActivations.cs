using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace Forecaster.Core.Lstm;

/// <summary>
/// Eight-lane exp, sigmoid and tanh for the fused AVX2/FMA kernels (callers run on the <see cref="KernelPath.Avx2"/> path or wider, see <see cref="KernelDispatch"/>).
/// Accuracy, measured against double precision on dense grids by the tests: relative error below 1e-6 for
/// tanh everywhere and for sigmoid(z) with z ≥ −87 (below that it returns about 1e-38 instead of something
/// smaller). NaN in gives NaN out, so the trainer's guards still see it.
/// </summary>
/// <remarks>
/// exp(x) = 2ⁿ·e^r with n = round(x·log₂e) and r = x − n·ln 2 (ln 2 split in a high and a low part),
/// e^r by its Taylor series to r⁷ (evaluated by Estrin's scheme) (|r| ≤ ln2/2, so the first omitted term is below 6e-9 relative);
/// x is clamped to [−87.3, 88.3] so 2ⁿ stays a normal float.
/// sigmoid(z) = 1 / (1 + exp(−z)), the reciprocal by VRCPPS refined by one Newton step.
/// tanh(x) = sign(x)·(1 − e)/(1 + e) with e = exp(−2|x|) for |x| ≥ 0.25; below that the subtraction would
/// cancel, so the odd Taylor series of tanh to x¹¹ is used (first omitted term below 1e-10 relative there).
/// </remarks>
internal static class FastActivations
{
    private const float Log2E = 1.44269504088896341f;
    private const float Ln2High = 0.693359375f; // 8 significant bits: n·Ln2High is exact for |n| ≤ 128
    private const float Ln2Low = -2.12194440e-4f; // ln 2 − Ln2High
    private const float TanhSeriesLimit = 0.25f;

    /// <summary>e^x per lane (NaN stays NaN; large arguments saturate at e^88.3 and e^−87.3).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<float> Exp(Vector256<float> x)
    {
        // Max/Min return their second operand when one is NaN: x second keeps NaN.
        x = Avx.Min(Vector256.Create(88.3f), Avx.Max(Vector256.Create(-87.3f), x));
        var n = Avx.RoundToNearestInteger(Avx.Multiply(x, Vector256.Create(Log2E)));
        var r = Fma.MultiplyAddNegated(n, Vector256.Create(Ln2High), x);
        r = Fma.MultiplyAddNegated(n, Vector256.Create(Ln2Low), r);
        // Taylor polynomial to r⁷ by Estrin's scheme (three dependent steps instead of seven).
        var r2 = Avx.Multiply(r, r);
        var p01 = Avx.Add(r, Vector256<float>.One);
        var p23 = Fma.MultiplyAdd(r, Vector256.Create(1f / 6f), Vector256.Create(0.5f));
        var p45 = Fma.MultiplyAdd(r, Vector256.Create(1f / 120f), Vector256.Create(1f / 24f));
        var p67 = Fma.MultiplyAdd(r, Vector256.Create(1f / 5040f), Vector256.Create(1f / 720f));
        var p03 = Fma.MultiplyAdd(r2, p23, p01);
        var p47 = Fma.MultiplyAdd(r2, p67, p45);
        var p = Fma.MultiplyAdd(Avx.Multiply(r2, r2), p47, p03);
        var bits = Avx2.ShiftLeftLogical(Avx2.Add(Avx.ConvertToVector256Int32(n), Vector256.Create(127)), 23);
        return Avx.Multiply(p, bits.AsSingle());
    }

    /// <summary>1 / (1 + e^−z) per lane.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<float> Sigmoid(Vector256<float> z)
    {
        // 1/d by the 12-bit reciprocal and one Newton step (relative error ~2e-7): cheaper than a division.
        var d = Avx.Add(Vector256<float>.One, Exp(Avx.Xor(z, Vector256.Create(-0f))));
        var y = Avx.Reciprocal(d);
        return Fma.MultiplyAdd(Fma.MultiplyAddNegated(d, y, Vector256<float>.One), y, y);
    }

    /// <summary>tanh(x) per lane.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<float> Tanh(Vector256<float> x)
    {
        var t = Avx.AndNot(Vector256.Create(-0f), x);
        var e = Exp(Avx.Multiply(t, Vector256.Create(-2f)));
        var large = Avx.Divide(Avx.Subtract(Vector256<float>.One, e), Avx.Add(Vector256<float>.One, e));
        var t2 = Avx.Multiply(t, t);
        var s = Fma.MultiplyAdd(t2, Vector256.Create(-1382f / 155925f), Vector256.Create(62f / 2835f));
        s = Fma.MultiplyAdd(s, t2, Vector256.Create(-17f / 315f));
        s = Fma.MultiplyAdd(s, t2, Vector256.Create(2f / 15f));
        s = Fma.MultiplyAdd(s, t2, Vector256.Create(-1f / 3f));
        var small = Fma.MultiplyAdd(Avx.Multiply(s, t2), t, t);
        var result = Avx.BlendVariable(large, small, Avx.CompareLessThan(t, Vector256.Create(TanhSeriesLimit)));
        return Avx.Or(result, Avx.And(x, Vector256.Create(-0f)));
    }
}
