namespace Forecaster.Worker.Profiles;

/// <summary>
/// Reads one label's value out of a series id (<c>metric{k="v",...}</c>, as <see cref="Ingest.SeriesIdBuilder"/> writes it)
/// without allocating: the metric name is the text before the brace, and a value's escapes (<c>\\</c>, <c>\"</c>, <c>\n</c>)
/// are undone into a buffer the caller gives.
/// </summary>
internal static class SeriesIdLabels
{
    /// <summary>The metric name of <paramref name="id"/>: the text before its brace, or all of it.</summary>
    public static ReadOnlySpan<char> Metric(ReadOnlySpan<char> id)
    {
        var brace = id.IndexOf('{');
        return (brace < 0 ? id : id[..brace]).Trim();
    }

    /// <summary>
    /// The value of label <paramref name="key"/> in <paramref name="id"/>, unescaped into <paramref name="buffer"/> (at least as
    /// long as the id); empty when the id has no such label (as PromQL treats an absent label).
    /// </summary>
    public static ReadOnlySpan<char> Value(ReadOnlySpan<char> id, ReadOnlySpan<char> key, Span<char> buffer)
    {
        var brace = id.IndexOf('{');
        if (brace < 0)
        {
            return [];
        }

        var i = brace + 1;
        while (i < id.Length)
        {
            var equals = id[i..].IndexOf("=\"");
            if (equals < 0)
            {
                return [];
            }

            var name = id.Slice(i, equals).Trim();
            var length = 0;
            var j = i + equals + 2;
            for (; j < id.Length && id[j] != '"'; j++)
            {
                var c = id[j];
                if (c == '\\' && j + 1 < id.Length)
                {
                    c = id[++j] == 'n' ? '\n' : id[j];
                }

                buffer[length++] = c;
            }

            if (name.SequenceEqual(key))
            {
                return buffer[..length];
            }

            i = j + 1;
            if (i < id.Length && id[i] == ',')
            {
                i++;
            }
        }

        return [];
    }
}
