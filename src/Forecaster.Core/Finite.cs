using System.Numerics;

namespace Forecaster.Core;

/// <summary>Whether every value of a span is finite (neither NaN nor ±∞).</summary>
internal static class Finite
{
    public static bool All<T>(ReadOnlySpan<T> values)
        where T : IFloatingPointIeee754<T>
    {
        foreach (var value in values)
        {
            if (!T.IsFinite(value))
            {
                return false;
            }
        }

        return true;
    }
}
