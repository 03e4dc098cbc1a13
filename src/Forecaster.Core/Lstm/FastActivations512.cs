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
    private const float TanhSeriesLimit = 0.25f;

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
    /// 1 / (1 + e^−z) per lane. e^−z is <see cref="Exp"/> of −z with the negation folded into the constants
    /// (m = round(−z·log₂e), s = z + m·ln 2 = −r, odd Taylor terms negated): the same values bit for bit, one
    /// instruction fewer.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<float> Sigmoid(Vector512<float> z)
    {
        z = Avx512F.Min(Vector512.Create(87.3f), Avx512F.Max(Vector512.Create(-88.3f), z)); // z second keeps NaN
        var m = Avx512F.RoundScale(Avx512F.Multiply(z, Vector512.Create(-Log2E)), 0);
        var s = Avx512F.FusedMultiplyAdd(m, Vector512.Create(Ln2High), z);
        s = Avx512F.FusedMultiplyAdd(m, Vector512.Create(Ln2Low), s);
        var s2 = Avx512F.Multiply(s, s);
        var p01 = Avx512F.Subtract(Vector512<float>.One, s);
        var p23 = Avx512F.FusedMultiplyAddNegated(s, Vector512.Create(1f / 6f), Vector512.Create(0.5f));
        var p45 = Avx512F.FusedMultiplyAddNegated(s, Vector512.Create(1f / 120f), Vector512.Create(1f / 24f));
        var p67 = Avx512F.FusedMultiplyAddNegated(s, Vector512.Create(1f / 5040f), Vector512.Create(1f / 720f));
        var p03 = Avx512F.FusedMultiplyAdd(s2, p23, p01);
        var p47 = Avx512F.FusedMultiplyAdd(s2, p67, p45);
        var e = Avx512F.Scale(Avx512F.FusedMultiplyAdd(Avx512F.Multiply(s2, s2), p47, p03), m);
        return Reciprocal(Avx512F.Add(Vector512<float>.One, e));
    }

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
