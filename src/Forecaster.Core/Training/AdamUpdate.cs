using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using Forecaster.Core.Lstm;

namespace Forecaster.Core.Training;

/// <summary>
/// The element loop of <see cref="AdamOptimizer.Step"/>, 16 lanes at a time on the AVX-512 path, 8 on AVX2,
/// one on the portable path. Every lane does the scalar loop's operations in its order (multiplications and
/// additions rounded separately, square root and division correctly rounded), so all paths give the same bits.
/// </summary>
internal static class AdamUpdate
{
    /// <summary>m ← b1·m + c1·g; v ← b2·v + c2·g·g; p −= stepSize·m / (√v·inverseRootCorrection + ε). Lengths already checked equal.</summary>
    public static void Run(
        KernelPath path, Span<float> parameters, ReadOnlySpan<float> gradients, Span<float> m, Span<float> v,
        float b1, float b2, float stepSize, float inverseRootCorrection, float eps)
    {
        float c1 = 1f - b1, c2 = 1f - b2;
        ref var pp = ref MemoryMarshal.GetReference(parameters);
        ref var pg = ref MemoryMarshal.GetReference(gradients);
        ref var pm = ref MemoryMarshal.GetReference(m);
        ref var pv = ref MemoryMarshal.GetReference(v);
        var count = parameters.Length;
        var i = 0;
        if (path == KernelPath.Avx512)
        {
            for (; i + 16 <= count; i += 16)
            {
                var at = (nuint)i;
                var g = Vector512.LoadUnsafe(ref pg, at);
                var mi = (Vector512.Create(b1) * Vector512.LoadUnsafe(ref pm, at)) + (Vector512.Create(c1) * g);
                var vi = (Vector512.Create(b2) * Vector512.LoadUnsafe(ref pv, at)) + (Vector512.Create(c2) * g * g);
                mi.StoreUnsafe(ref pm, at);
                vi.StoreUnsafe(ref pv, at);
                var step = Vector512.Create(stepSize) * mi / ((Vector512.Sqrt(vi) * Vector512.Create(inverseRootCorrection)) + Vector512.Create(eps));
                (Vector512.LoadUnsafe(ref pp, at) - step).StoreUnsafe(ref pp, at);
            }
        }

        if (path != KernelPath.Portable)
        {
            for (; i + 8 <= count; i += 8)
            {
                var at = (nuint)i;
                var g = Vector256.LoadUnsafe(ref pg, at);
                var mi = (Vector256.Create(b1) * Vector256.LoadUnsafe(ref pm, at)) + (Vector256.Create(c1) * g);
                var vi = (Vector256.Create(b2) * Vector256.LoadUnsafe(ref pv, at)) + (Vector256.Create(c2) * g * g);
                mi.StoreUnsafe(ref pm, at);
                vi.StoreUnsafe(ref pv, at);
                var step = Vector256.Create(stepSize) * mi / ((Vector256.Sqrt(vi) * Vector256.Create(inverseRootCorrection)) + Vector256.Create(eps));
                (Vector256.LoadUnsafe(ref pp, at) - step).StoreUnsafe(ref pp, at);
            }
        }

        for (; i < count; i++)
        {
            var g = gradients[i];
            var mi = m[i] = (b1 * m[i]) + (c1 * g);
            var vi = v[i] = (b2 * v[i]) + (c2 * g * g);
            parameters[i] -= stepSize * mi / ((MathF.Sqrt(vi) * inverseRootCorrection) + eps);
        }
    }
}
