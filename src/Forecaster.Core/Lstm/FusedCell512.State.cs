using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace Forecaster.Core.Lstm;

/// <summary>The finishing pass of <see cref="FusedCell512"/>: activated gates to c, tanh(c) and h.</summary>
internal static unsafe partial class FusedCell512
{
    /// <summary>Where a step's results go; <see cref="Finish"/> turns pre-activations into them.</summary>
    private readonly struct State(float* cPrev, float* c, float* h, float* gates, float* tanhC, int hidden)
    {
        /// <summary>
        /// As the AVX2 kernel's finish (group j of z belongs to row row + j·rowStep, units unit + j·unitStep ..
        /// +7), on gates the tile kernels already passed through the sigmoid: two groups per 512-bit vector,
        /// c = f·cPrev + i·(2σ − 1), tanh(c) and h = o·tanh(c) in registers. cPrev of both groups is read
        /// before c is written, so c may be cPrev.
        /// </summary>
        [MethodImpl(MethodImplOptions.NoInlining | MethodImplOptions.AggressiveOptimization)]
        public void Finish(float* z, int count, int row, int rowStep, int unit, int unitStep)
        {
            for (var j = 0; j < count; j += 2)
            {
                var pair = j + 1 < count;
                var j1 = pair ? j + 1 : j; // an odd last group is computed twice and stored once
                float* z0 = z + (j * Width), z1 = z + (j1 * Width);
                nint at0 = At(row, rowStep, unit, unitStep, j), at1 = At(row, rowStep, unit, unitStep, j1);
                var i = Vector512.Create(Avx.LoadVector256(z0), Avx.LoadVector256(z1));
                var f = Vector512.Create(Avx.LoadVector256(z0 + 8), Avx.LoadVector256(z1 + 8));
                var g = Avx512F.FusedMultiplySubtract(Vector512.Create(Avx.LoadVector256(z0 + 16), Avx.LoadVector256(z1 + 16)), Vector512.Create(2f), Vector512<float>.One); // 2σ(2z) − 1 = tanh z
                var o = Vector512.Create(Avx.LoadVector256(z0 + 24), Avx.LoadVector256(z1 + 24));
                var cNew = Avx512F.FusedMultiplyAdd(f, Vector512.Create(Avx.LoadVector256(cPrev + at0), Avx.LoadVector256(cPrev + at1)), Avx512F.Multiply(i, g));
                var tc = FastActivations512.TanhBySigmoid(cNew);
                var hNew = Avx512F.Multiply(o, tc);
                Put(c, at0, at1, pair, cNew);
                Put(h, at0, at1, pair, hNew);
                if (tanhC != null)
                {
                    Put(tanhC, at0, at1, pair, tc);
                }

                if (gates != null)
                {
                    nint g0 = at0 + ((nint)(row + (j * rowStep)) * 3 * hidden), g1 = at1 + ((nint)(row + (j1 * rowStep)) * 3 * hidden);
                    Put(gates, g0, g1, pair, i);
                    Put(gates + hidden, g0, g1, pair, f);
                    Put(gates + (2 * hidden), g0, g1, pair, g);
                    Put(gates + (3 * hidden), g0, g1, pair, o);
                }
            }
        }

        /// <summary>
        /// One row's 16 units unit .. +15 of two neighbouring blocks, from the pre-activations still in registers:
        /// u = [i | f] and v = [g | o] of the first block, s and t of the second. The 128-bit lanes are regrouped
        /// (VSHUFF32X4) into i, f, g and o of all 16 units, so c, tanh(c) and h take one 512-bit vector each.
        /// </summary>
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public void FinishPair(int row, int unit, Vector512<float> u, Vector512<float> v, Vector512<float> s, Vector512<float> t)
        {
            u = FastActivations512.Sigmoid(u);
            v = FastActivations512.Sigmoid(v);
            s = FastActivations512.Sigmoid(s);
            t = FastActivations512.Sigmoid(t);
            var i = Avx512F.Shuffle4x128(u, s, 0x44); // lanes 0, 1 of u, then 0, 1 of s
            var f = Avx512F.Shuffle4x128(u, s, 0xEE); // lanes 2, 3 of each
            var g = Avx512F.FusedMultiplySubtract(Avx512F.Shuffle4x128(v, t, 0x44), Vector512.Create(2f), Vector512<float>.One);
            var o = Avx512F.Shuffle4x128(v, t, 0xEE);
            var at = ((nint)row * hidden) + unit;
            var cNew = Avx512F.FusedMultiplyAdd(f, Avx512F.LoadVector512(cPrev + at), Avx512F.Multiply(i, g));
            var tc = FastActivations512.TanhBySigmoid(cNew);
            Avx512F.Store(c + at, cNew);
            Avx512F.Store(h + at, Avx512F.Multiply(o, tc));
            if (tanhC != null)
            {
                Avx512F.Store(tanhC + at, tc);
            }

            if (gates != null)
            {
                var g0 = gates + at + ((nint)row * 3 * hidden);
                Avx512F.Store(g0, i);
                Avx512F.Store(g0 + hidden, f);
                Avx512F.Store(g0 + (2 * hidden), g);
                Avx512F.Store(g0 + (3 * hidden), o);
            }
        }

        /// <summary>The lower 8 lanes to target + at0 and, for a pair, the upper 8 to target + at1.</summary>
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        private static void Put(float* target, nint at0, nint at1, bool pair, Vector512<float> value)
        {
            Avx.Store(target + at0, value.GetLower());
            if (pair)
            {
                Avx.Store(target + at1, value.GetUpper());
            }
        }

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        private nint At(int row, int rowStep, int unit, int unitStep, int j) =>
            ((nint)(row + (j * rowStep)) * hidden) + unit + (j * unitStep);
    }
}
