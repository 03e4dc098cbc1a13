namespace Forecaster.Core.Lstm;

/// <summary>
/// Out-of-place transpose in 8×8 blocks. The weight-gradient products read Aᵀ; handing them a transposed copy
/// turns their strided broadcasts (stride 4H or K·Q floats, which collide in L1 sets) into contiguous reads.
/// </summary>
internal static class MatrixTranspose
{
    private const int Block = 8;

    /// <summary>destination [cols, rows] = sourceᵀ, source [rows, cols].</summary>
    /// <exception cref="ArgumentException">A span is shorter than rows·cols.</exception>
    public static void Run(int rows, int cols, ReadOnlySpan<float> source, Span<float> destination)
    {
        if (source.Length < rows * cols || destination.Length < rows * cols)
        {
            throw new ArgumentException($"Source and destination need {rows * cols} elements.", nameof(destination));
        }

        for (var r0 = 0; r0 < rows; r0 += Block)
        {
            var rEnd = Math.Min(rows, r0 + Block);
            for (var c0 = 0; c0 < cols; c0 += Block)
            {
                var cEnd = Math.Min(cols, c0 + Block);
                for (var r = r0; r < rEnd; r++)
                {
                    for (var c = c0; c < cEnd; c++)
                    {
                        destination[(c * rows) + r] = source[(r * cols) + c];
                    }
                }
            }
        }
    }
}
