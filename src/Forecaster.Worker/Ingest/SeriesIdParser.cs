namespace Forecaster.Worker.Ingest;

/// <summary>
/// The inverse of <see cref="SeriesIdBuilder"/>: <c>metric{k="v",...}</c> (or a bare <c>metric</c>) into
/// the metric name and its labels, unescaping <c>\\</c>, <c>\"</c> and <c>\n</c> in values.
/// </summary>
internal static class SeriesIdParser
{
    /// <exception cref="FormatException">The text is not a series id.</exception>
    public static (string Metric, List<KeyValuePair<string, string>> Labels) Parse(string id)
    {
        var brace = id.IndexOf('{', StringComparison.Ordinal);
        if (brace < 0)
        {
            return (Checked(id.Trim(), id), []);
        }

        if (!id.EndsWith('}'))
        {
            throw new FormatException($"Series id '{id}' has no closing brace.");
        }

        var labels = new List<KeyValuePair<string, string>>();
        var i = brace + 1;
        while (i < id.Length - 1)
        {
            var equals = id.IndexOf("=\"", i, StringComparison.Ordinal);
            if (equals < 0)
            {
                throw new FormatException($"Series id '{id}' has a label without =\"value\".");
            }

            var key = id[i..equals].Trim();
            var value = new System.Text.StringBuilder();
            var j = equals + 2;
            for (; j < id.Length && id[j] != '"'; j++)
            {
                if (id[j] == '\\' && j + 1 < id.Length)
                {
                    j++;
                    value.Append(id[j] == 'n' ? '\n' : id[j]);
                }
                else
                {
                    value.Append(id[j]);
                }
            }

            labels.Add(new(Checked(key, id), value.ToString()));
            i = j + 1;
            if (i < id.Length && id[i] == ',')
            {
                i++;
            }
        }

        return (Checked(id[..brace].Trim(), id), labels);
    }

    private static string Checked(string name, string id) =>
        name.Length > 0 ? name : throw new FormatException($"Series id '{id}' has an empty name.");
}
