namespace Forecaster.Worker.Publish;

/// <summary>
/// Writes the metric and labels of a forecast record straight from the series' UTF-8 id
/// <c>metric{k="v",...}</c>, so a series keeps no separate copies of them. Label values in an id are
/// escaped as in the Prometheus text format (<c>\\</c>, <c>\"</c>, <c>\n</c>), which JSON reads the same
/// way, so they are copied as they are; names are escaped for JSON, and control characters everywhere.
/// </summary>
internal static class SeriesJson
{
    private static readonly byte[] Hex = "0123456789abcdef"u8.ToArray();

    /// <summary>
    /// Writes <c>metric","labels":{"k":"v",...}</c> at <paramref name="length"/> (the opening quote of the
    /// metric is already written); the destination must hold six bytes per byte of the id plus 16.
    /// </summary>
    public static void WriteMetricAndLabels(ReadOnlySpan<byte> id, Span<byte> destination, ref int length)
    {
        var brace = id.IndexOf((byte)'{');
        Escaped(brace < 0 ? id : id[..brace], destination, ref length, keepEscapes: false);
        Raw("\",\"labels\":{"u8, destination, ref length);
        if (brace >= 0)
        {
            var i = brace + 1;
            var first = true;
            while (i < id.Length - 1)
            {
                var equals = id[i..].IndexOf("=\""u8);
                if (equals < 0)
                {
                    break;
                }

                Raw(first ? "\""u8 : ",\""u8, destination, ref length);
                first = false;
                Escaped(id.Slice(i, equals), destination, ref length, keepEscapes: false);
                Raw("\":\""u8, destination, ref length);
                var start = i + equals + 2;
                var end = start;
                while (end < id.Length && id[end] != '"')
                {
                    end += id[end] == '\\' ? 2 : 1;
                }

                end = Math.Min(end, id.Length);
                Escaped(id[start..end], destination, ref length, keepEscapes: true);
                Raw("\""u8, destination, ref length);
                i = end + 1;
                if (i < id.Length && id[i] == ',')
                {
                    i++;
                }
            }
        }

        Raw("}"u8, destination, ref length);
    }

    /// <summary>Copies <paramref name="text"/> as JSON string content; with <paramref name="keepEscapes"/> its backslash escapes pass through.</summary>
    private static void Escaped(ReadOnlySpan<byte> text, Span<byte> destination, ref int length, bool keepEscapes)
    {
        for (var i = 0; i < text.Length; i++)
        {
            var b = text[i];
            if (b < 0x20)
            {
                Raw("\\u00"u8, destination, ref length);
                destination[length++] = Hex[b >> 4];
                destination[length++] = Hex[b & 0xF];
            }
            else if (b == '"' || (b == '\\' && !keepEscapes))
            {
                destination[length++] = (byte)'\\';
                destination[length++] = b;
            }
            else if (b == '\\' && i + 1 == text.Length)
            {
                // A lone trailing backslash would escape the closing quote.
                destination[length++] = (byte)'\\';
                destination[length++] = b;
            }
            else
            {
                destination[length++] = b;
                if (b == '\\')
                {
                    destination[length++] = text[++i];
                }
            }
        }
    }

    private static void Raw(ReadOnlySpan<byte> bytes, Span<byte> destination, ref int length)
    {
        bytes.CopyTo(destination[length..]);
        length += bytes.Length;
    }
}
