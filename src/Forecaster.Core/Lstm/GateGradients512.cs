using System.Runtime.Intrinsics;

namespace Forecaster.Core.Lstm;

/// <summary>
/// The element-wise backward of <see cref="LstmCell"/> sixteen units at a time (AVX-512 path): the same
/// operations in the same order per element as the eight-lane loop, so the results are identical.
/// </summary>
internal static class GateGradients512
{
    /// <summary>
    /// Per row: dC = dc + dh·o·(1 − tanhC²); dGi = dC·g·i(1 − i); dGf = dC·cPrev·f(1 − f); dGg = dC·i·(1 − g²);
    /// dGo = dh·tanhC·o(1 − o); dcPrev += dC·f (skipped when empty). Shapes as in <see cref="LstmCell.Backward"/>.
    /// </summary>
    public static void Run(
        int batch, int hidden, ReadOnlySpan<float> cPrev, ReadOnlySpan<float> gates, ReadOnlySpan<float> tanhC,
        ReadOnlySpan<float> dh, ReadOnlySpan<float> dc, Span<float> dGates, Span<float> dcPrev)
    {
        var addPrev = !dcPrev.IsEmpty;
        var vectors = hidden & ~15;
        var one = Vector512<float>.One;
        for (var b = 0; b < batch; b++)
        {
            var row = gates.Slice(b * 4 * hidden, 4 * hidden);
            var dRow = dGates.Slice(b * 4 * hidden, 4 * hidden);
            var s = b * hidden;
            var j = 0;
            for (; j < vectors; j += 16)
            {
                var i = Vector512.Create(row.Slice(j, 16));
                var f = Vector512.Create(row.Slice(hidden + j, 16));
                var g = Vector512.Create(row.Slice((2 * hidden) + j, 16));
                var o = Vector512.Create(row.Slice((3 * hidden) + j, 16));
                var th = Vector512.Create(tanhC.Slice(s + j, 16));
                var dH = Vector512.Create(dh.Slice(s + j, 16));
                var dC = Vector512.Create(dc.Slice(s + j, 16)) + (dH * o * (one - (th * th)));
                (dC * g * i * (one - i)).CopyTo(dRow[j..]);
                (dC * Vector512.Create(cPrev.Slice(s + j, 16)) * f * (one - f)).CopyTo(dRow[(hidden + j)..]);
                (dC * i * (one - (g * g))).CopyTo(dRow[((2 * hidden) + j)..]);
                (dH * th * o * (one - o)).CopyTo(dRow[((3 * hidden) + j)..]);
                if (addPrev)
                {
                    (Vector512.Create(dcPrev.Slice(s + j, 16)) + (dC * f)).CopyTo(dcPrev[(s + j)..]);
                }
            }

            for (; j < hidden; j++)
            {
                float i = row[j], f = row[hidden + j], g = row[(2 * hidden) + j], o = row[(3 * hidden) + j], th = tanhC[s + j];
                var dC = dc[s + j] + (dh[s + j] * o * (1f - (th * th)));
                dRow[j] = dC * g * i * (1f - i);
                dRow[hidden + j] = dC * cPrev[s + j] * f * (1f - f);
                dRow[(2 * hidden) + j] = dC * i * (1f - (g * g));
                dRow[(3 * hidden) + j] = dh[s + j] * th * o * (1f - o);
                if (addPrev)
                {
                    dcPrev[s + j] += dC * f;
                }
            }
        }
    }
}
