using System.Globalization;
using System.Text;

namespace Forecaster.Worker.Ingest;

/// <summary>
/// The values of one record that were refused (OTLP data points, collectd values, Telegraf fields), by index in the
/// record's order, with their reasons: written into the dead letter's <c>forecaster.points</c> header as <c>index:reason,...</c>
/// (at most <see cref="MaxListed"/> entries, then <c>+N</c>). Reused; allocates only when a record has failures.
/// </summary>
internal sealed class PointFailures
{
    public const int MaxListed = 1000;

    private readonly List<(int Point, string Reason)> _failures = [];

    public int Count => _failures.Count;

    /// <summary>The first failure's reason: the dead letter's <c>forecaster.reason</c>.</summary>
    public string FirstReason => _failures[0].Reason;

    public void Clear() => _failures.Clear();

    /// <summary>Adds a failure; a second one at the same index in a row (another field of the same OTLP point) is not listed again.</summary>
    public void Add(int point, string reason)
    {
        if (_failures.Count == 0 || _failures[^1].Point != point)
        {
            _failures.Add((point, reason));
        }
    }

    public string Describe()
    {
        var text = new StringBuilder();
        for (var i = 0; i < Math.Min(_failures.Count, MaxListed); i++)
        {
            if (i > 0)
            {
                text.Append(',');
            }

            text.Append(_failures[i].Point.ToString(CultureInfo.InvariantCulture)).Append(':').Append(_failures[i].Reason);
        }

        if (_failures.Count > MaxListed)
        {
            text.Append(",+").Append((_failures.Count - MaxListed).ToString(CultureInfo.InvariantCulture));
        }

        return text.ToString();
    }
}
