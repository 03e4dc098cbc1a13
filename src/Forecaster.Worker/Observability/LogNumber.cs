namespace Forecaster.Worker.Observability;

/// <summary>Numbers as log values: a non-finite one (a score with nothing to score, a diverged loss) is logged as null, which every structured sink can write.</summary>
internal static class LogNumber
{
    public static double? Finite(double value) => double.IsFinite(value) ? value : null;
}
