using System.Buffers;

namespace Forecaster.Worker.Profiles;

/// <summary>A compiled rule: the series it takes (metric glob, one glob per label, all must match) and its resolved profile.</summary>
internal sealed class ProfileRule(Glob metric, (string Label, Glob Glob)[] labels, Profile profile)
{
    public Glob Metric { get; } = metric;

    public IReadOnlyList<(string Label, Glob Glob)> Labels { get; } = labels;

    public Profile Profile { get; } = profile;

    /// <summary>True when this rule takes the series <paramref name="seriesId"/> (<c>metric{k="v",...}</c>). Allocates nothing for ids up to 512 characters.</summary>
    public bool Matches(ReadOnlySpan<char> seriesId)
    {
        if (!Metric.IsMatch(SeriesIdLabels.Metric(seriesId)))
        {
            return false;
        }

        if (labels.Length == 0)
        {
            return true;
        }

        char[]? rented = seriesId.Length > 512 ? ArrayPool<char>.Shared.Rent(seriesId.Length) : null;
        Span<char> buffer = rented ?? stackalloc char[512];
        try
        {
            foreach (var (label, glob) in labels)
            {
                if (!glob.IsMatch(SeriesIdLabels.Value(seriesId, label, buffer)))
                {
                    return false;
                }
            }

            return true;
        }
        finally
        {
            if (rented is not null)
            {
                ArrayPool<char>.Shared.Return(rented);
            }
        }
    }
}
