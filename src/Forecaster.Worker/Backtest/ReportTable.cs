using System.Globalization;
using System.Text;

namespace Forecaster.Worker.Backtest;

/// <summary>The console table: one row per method with sMAPE, MASE, OWA, coverage (blank without a band) and its time.</summary>
internal static class ReportTable
{
    /// <summary>The table; <paramref name="horizon"/> is null when the rows pool runs of several horizons.</summary>
    public static string Format(IReadOnlyList<MethodResult> results, int seriesCount, int? horizon)
    {
        var text = new StringBuilder();
        text.AppendLine(horizon is int h
            ? string.Create(CultureInfo.InvariantCulture, $"{seriesCount} series, horizon {h}")
            : string.Create(CultureInfo.InvariantCulture, $"{seriesCount} series, horizons of their groups"));
        text.AppendLine(CultureInfo.InvariantCulture, $"{"method",-16} {"sMAPE",8} {"MASE",8} {"OWA",7} {"coverage",9} {"seconds",8}");
        foreach (var result in results)
        {
            text.AppendLine(CultureInfo.InvariantCulture,
                $"{result.Method.DisplayName,-16} {Cell(result.Scores.Smape, 3),8} {Cell(result.Scores.Mase, 3),8} {Cell(result.Owa, 3),7} {Cell(result.Coverage, 3),9} {Cell(result.Seconds, 2),8}");
        }

        return text.ToString();
    }

    private static string Cell(double value, int decimals) =>
        double.IsFinite(value) ? value.ToString("F" + decimals, CultureInfo.InvariantCulture) : string.Empty;
}
