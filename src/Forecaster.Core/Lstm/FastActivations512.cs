using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace Forecaster.Core.Lstm;

/// <summary>
/// Sixteen-lane exp, sigmoid and tanh for the AVX-512 kernels: the same range reduction and polynomials as
/// <see cref="FastActivations"/> (see its remarks and accuracy), with 2ⁿ applied by VSCALEFPS (one instruction
/// instead of convert, add, shift and multiply) and the divisions done by VRCP14PS (14 bits) refined by one
/// Newton step (about 28 bits, below float's own rounding). Callers check
/// <see cref="KernelDispatch.IsSupported"/> for <see cref="KernelPath.Avx512"/>. NaN in gives NaN out.
/// </summary>
internal static class FastActivations512
{
    private const float Log2E = 1.44269504088896341f;
    private const float Ln2High = 0.693359375f;
    private const float Ln2Low = -2.12194440e-4f;
    private const float Ln2 = 0.693147182f;
    private const float TanhSeriesLimit = 0.25f;

    // e^x ≈ 1 + x + Exp2·x² + … + Exp5·x⁵ on [−ln 2/2, ln 2/2] (minimax for relative error, fitted for this file).
    private const float Exp2 = 0.4999899287f;
    private const float Exp3 = 0.1666652289f;
    private const float Exp4 = 0.04191778124f;
    private const float Exp5 = 0.008369186879f;

    /// <summary>e^x per lane (NaN stays NaN; large arguments saturate at e^88.3 and e^−87.3).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<float> Exp(Vector512<float> x)
    {
        x = Avx512F.Min(Vector512.Create(88.3f), Avx512F.Max(Vector512.Create(-87.3f), x)); // x second keeps NaN
        var n = Avx512F.RoundScale(Avx512F.Multiply(x, Vector512.Create(Log2E)), 0); // 0: to nearest even
        var r = Avx512F.FusedMultiplyAddNegated(n, Vector512.Create(Ln2High), x);
        r = Avx512F.FusedMultiplyAddNegated(n, Vector512.Create(Ln2Low), r);
        var r2 = Avx512F.Multiply(r, r);
        var p01 = Avx512F.Add(r, Vector512<float>.One);
        var p23 = Avx512F.FusedMultiplyAdd(r, Vector512.Create(1f / 6f), Vector512.Create(0.5f));
        var p45 = Avx512F.FusedMultiplyAdd(r, Vector512.Create(1f / 120f), Vector512.Create(1f / 24f));
        var p67 = Avx512F.FusedMultiplyAdd(r, Vector512.Create(1f / 5040f), Vector512.Create(1f / 720f));
        var p03 = Avx512F.FusedMultiplyAdd(r2, p23, p01);
        var p47 = Avx512F.FusedMultiplyAdd(r2, p67, p45);
        var p = Avx512F.FusedMultiplyAdd(Avx512F.Multiply(r2, r2), p47, p03);
        return Avx512F.Scale(p, n);
    }

    /// <summary>
    /// 1 / (1 + e^−z) per lane. e^−z = 2^m·e^−s with m = round(−z·log₂e), s = z + m·ln 2 (|s| ≤ ln 2 / 2; ln 2
    /// rounded to float, one FMA: at m = 126 its error adds 2.4e-7 relative), and e^−s by a degree-5 polynomial
    /// fitted here (Remez, relative error of e^x on [−ln 2/2, ln 2/2] 1.5e-7, with 1 + x kept exact) in Horner
    /// form: five instructions fewer than <see cref="Exp"/>'s path. Max relative error 4.4e-7 from −87 up (tested
    /// against 1e-6).
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<float> Sigmoid(Vector512<float> z)
    {
        z = Avx512F.Min(Vector512.Create(87.3f), Avx512F.Max(Vector512.Create(-88.3f), z)); // z second keeps NaN
        var m = Avx512F.RoundScale(Avx512F.Multiply(z, Vector512.Create(-Log2E)), 0);
        var s = Avx512F.FusedMultiplyAdd(m, Vector512.Create(Ln2), z); // one FMA: |m|·|ln 2 − Ln2| ≤ 2.5e-7 (relative in e^−z)
        var q = Avx512F.FusedMultiplyAddNegated(s, Vector512.Create(Exp5), Vector512.Create(Exp4)); // odd terms negated: e^−s
        q = Avx512F.FusedMultiplyAddNegated(q, s, Vector512.Create(Exp3)); // q first: the JIT overwrites it, not s (no copies)
        q = Avx512F.FusedMultiplyAddNegated(q, s, Vector512.Create(Exp2));
        var e = Avx512F.FusedMultiplyAdd(Avx512F.Multiply(s, s), q, Avx512F.Subtract(Vector512<float>.One, s));
        return Reciprocal(Avx512F.Add(Vector512<float>.One, Avx512F.Scale(e, m)));
    }

    /// <summary>
    /// tanh(x) = 2σ(2x) − 1 per lane, for the cell state: about half the instructions of <see cref="Tanh"/>, with an
    /// absolute error under 2.5e-7 (1.9e-7 measured; relative accuracy is lost near 0, where the result is small beside the other
    /// terms of the products it enters; the g gate has always been computed this way).
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<float> TanhBySigmoid(Vector512<float> x) =>
        Avx512F.FusedMultiplySubtract(Sigmoid(Avx512F.Add(x, x)), Vector512.Create(2f), Vector512<float>.One);

    /// <summary>tanh(x) per lane.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<float> Tanh(Vector512<float> x)
    {
        var sign = Vector512.Create(-0f);
        var t = Vector512.AndNot(x, sign);
        var e = Exp(Avx512F.Multiply(t, Vector512.Create(-2f)));
        var large = Avx512F.Multiply(Avx512F.Subtract(Vector512<float>.One, e), Reciprocal(Avx512F.Add(Vector512<float>.One, e)));
        var t2 = Avx512F.Multiply(t, t);
        var s = Avx512F.FusedMultiplyAdd(t2, Vector512.Create(-1382f / 155925f), Vector512.Create(62f / 2835f));
        s = Avx512F.FusedMultiplyAdd(s, t2, Vector512.Create(-17f / 315f));
        s = Avx512F.FusedMultiplyAdd(s, t2, Vector512.Create(2f / 15f));
        s = Avx512F.FusedMultiplyAdd(s, t2, Vector512.Create(-1f / 3f));
        var small = Avx512F.FusedMultiplyAdd(Avx512F.Multiply(s, t2), t, t);
        var result = Vector512.ConditionalSelect(Vector512.LessThan(t, Vector512.Create(TanhSeriesLimit)), small, large);
        return result | (x & sign);
    }

    /// <summary>1/d by the 14-bit estimate and one Newton step.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector512<float> Reciprocal(Vector512<float> d)
    {
        var y = Avx512F.Reciprocal14(d);
        return Avx512F.FusedMultiplyAdd(Avx512F.FusedMultiplyAddNegated(d, y, Vector512<float>.One), y, y);
    }
}
