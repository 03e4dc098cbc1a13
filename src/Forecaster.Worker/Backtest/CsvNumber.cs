using System.Globalization;

namespace Forecaster.Worker.Backtest;

/// <summary>Parses a value cell: an invariant-culture finite number.</summary>
internal static class CsvNumber
{
    public static bool TryParse(string cell, out double value) =>
        double.TryParse(cell, NumberStyles.Float, CultureInfo.InvariantCulture, out value) && double.IsFinite(value);
}
