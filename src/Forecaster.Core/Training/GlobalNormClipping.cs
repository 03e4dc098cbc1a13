namespace Forecaster.Core.Training;

/// <summary>Gradient clipping by global L2 norm over a whole gradient slab.</summary>
public static class GlobalNormClipping
{
    /// <summary>
    /// Returns the pre-clip L2 norm of <paramref name="gradients"/> (summed in double) and, only when it exceeds
    /// <paramref name="maxNorm"/>, scales every gradient by maxNorm / norm. A non-finite norm leaves the
    /// gradients untouched (the caller should refuse the step).
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="maxNorm"/> is not positive.</exception>
    public static double Clip(Span<float> gradients, float maxNorm)
    {
        if (!(maxNorm > 0f))
        {
            throw new ArgumentOutOfRangeException(nameof(maxNorm), maxNorm, "The clipping norm must be positive.");
        }

        var sumOfSquares = 0.0;
        foreach (var g in gradients)
        {
            sumOfSquares += (double)g * g;
        }

        var norm = Math.Sqrt(sumOfSquares);
        if (double.IsFinite(norm) && norm > maxNorm)
        {
            var scale = (float)(maxNorm / norm);
            foreach (ref var g in gradients)
            {
                g *= scale;
            }
        }

        return norm;
    }
}
