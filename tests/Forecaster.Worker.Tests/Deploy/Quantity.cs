using System.Globalization;

namespace Forecaster.Worker.Tests.Deploy;

/// <summary>Kubernetes memory quantities (binary and decimal suffixes) in bytes.</summary>
internal static class Quantity
{
    private static readonly (string Suffix, long Factor)[] Suffixes =
    [
        ("Ki", 1L << 10), ("Mi", 1L << 20), ("Gi", 1L << 30), ("Ti", 1L << 40),
        ("k", 1000L), ("M", 1000_000L), ("G", 1000_000_000L), ("T", 1000_000_000_000L),
    ];

    public static long Bytes(string quantity)
    {
        foreach (var (suffix, factor) in Suffixes)
        {
            if (quantity.EndsWith(suffix, StringComparison.Ordinal))
            {
                return (long)(double.Parse(quantity[..^suffix.Length], CultureInfo.InvariantCulture) * factor);
            }
        }

        return long.Parse(quantity, CultureInfo.InvariantCulture);
    }
}
