namespace Forecaster.Worker.Ingest;

/// <summary>
/// The usual canonical point read without a JSON reader, for the hot path: one object of the keys <c>metric</c> (a
/// non-empty string), <c>labels</c> (an object of strings, or null), <c>ts</c> and <c>value</c> (numbers, in range) and
/// optionally <c>kind</c> (<c>"gauge"</c>, <c>"counter"</c> or null), each at most once, in any order, with JSON
/// whitespace anywhere between tokens, every string printable ASCII without escapes (<see cref="PlainJsonCursor"/>).
/// Anything else (another key, an ISO timestamp, an escape, a byte outside that, a value the full parser would refuse,
/// broken JSON) returns false, the record to be cleared, and the caller parses the record with the full reader
/// (<see cref="FormatDetector"/> and <see cref="CanonicalParser"/>). A record this accepts is valid JSON that the
/// detector calls canonical, and it decodes exactly as <see cref="CanonicalParser"/> decodes it
/// (<c>PlainCanonicalParserTests</c> compares the two on valid and corrupted records).
/// </summary>
internal static class PlainCanonicalParser
{
    private const int MetricSeen = 1;
    private const int LabelsSeen = 2;
    private const int TsSeen = 4;
    private const int ValueSeen = 8;
    private const int KindSeen = 16;
    private const int Required = MetricSeen | TsSeen | ValueSeen;

    /// <summary>
    /// Parses <paramref name="json"/> into the cleared <paramref name="record"/>; false when it is not a plain canonical
    /// point. When <c>metric</c> and <c>labels</c> come before <c>ts</c>, <c>value</c> and <c>kind</c>, the bytes before the
    /// first of those three are the point's identity (<see cref="DecodedRecord.IdentityLength"/>): another record that
    /// starts with the same bytes names the same series, and <see cref="TryParseTail"/> reads the rest of it.
    /// </summary>
    public static bool TryParse(ReadOnlySpan<byte> json, DecodedRecord record)
    {
        var cursor = new PlainJsonCursor(json);
        if (!cursor.Take((byte)'{'))
        {
            return false;
        }

        var point = new Members();
        if (!Read(ref cursor, record, ref point) || (point.Seen & Required) != Required)
        {
            return false;
        }

        record.TimestampMs = point.TimestampMs;
        record.AddField(default, point.Value);
        record.IdentityLength = point.Identity > 0 ? point.Identity : -1;
        return true;
    }

    /// <summary>
    /// Reads <paramref name="tail"/>, what follows a record's identity (see <see cref="TryParse"/>): <c>ts</c> and
    /// <c>value</c>, and <c>kind</c> if present, each once, up to the record's end. True exactly when
    /// <see cref="TryParse"/> would accept the identity followed by this tail, with this timestamp and value; a kind
    /// is checked, not returned (it matters only when a series is created, by the full read).
    /// </summary>
    public static bool TryParseTail(ReadOnlySpan<byte> tail, out long timestampMs, out double value)
    {
        var cursor = new PlainJsonCursor(tail);
        var point = new Members();
        var read = Read(ref cursor, null, ref point) && (point.Seen & (TsSeen | ValueSeen)) == (TsSeen | ValueSeen);
        timestampMs = point.TimestampMs;
        value = point.Value;
        return read;
    }

    /// <summary>The members of the object up to its end; without a record only <c>ts</c>, <c>value</c> and <c>kind</c> are taken.</summary>
    private static bool Read(ref PlainJsonCursor cursor, DecodedRecord? record, ref Members point)
    {
        do
        {
            var at = cursor.Position;
            if (!cursor.String(out var key) || !cursor.Take((byte)':'))
            {
                return false;
            }

            var field = key.SequenceEqual("metric"u8) ? MetricSeen
                : key.SequenceEqual("labels"u8) ? LabelsSeen
                : key.SequenceEqual("ts"u8) ? TsSeen
                : key.SequenceEqual("value"u8) ? ValueSeen
                : key.SequenceEqual("kind"u8) ? KindSeen
                : 0;
            var identifying = field is MetricSeen or LabelsSeen;
            if (field == 0 || (point.Seen & field) != 0 || (identifying && record is null))
            {
                return false;
            }

            point.Seen |= field;
            point.Identity = identifying ? (point.Identity == 0 ? 0 : -1) : (point.Identity == 0 ? at : point.Identity);
            var read = field switch
            {
                MetricSeen => Metric(ref cursor, record!),
                LabelsSeen => Labels(ref cursor, record!),
                TsSeen => Timestamp(ref cursor, out point.TimestampMs),
                ValueSeen => cursor.Number(out point.Value) && JsonPointReader.Range(point.Value) is null,
                _ => Kind(ref cursor, record),
            };
            if (!read)
            {
                return false;
            }
        }
        while (cursor.Take((byte)','));

        return cursor.Take((byte)'}') && cursor.AtEnd;
    }

    private static bool Metric(ref PlainJsonCursor cursor, DecodedRecord record)
    {
        if (!cursor.String(out var name) || name.IsEmpty)
        {
            return false;
        }

        record.Metric = record.AppendUtf8(name);
        return true;
    }

    private static bool Labels(ref PlainJsonCursor cursor, DecodedRecord record)
    {
        if (cursor.Null())
        {
            return true;
        }

        if (!cursor.Take((byte)'{'))
        {
            return false;
        }

        if (cursor.Take((byte)'}'))
        {
            return true;
        }

        do
        {
            if (!cursor.String(out var key) || !cursor.Take((byte)':') || !cursor.String(out var value))
            {
                return false;
            }

            record.AddLabel(record.AppendUtf8(key), record.AppendUtf8(value));
        }
        while (cursor.Take((byte)','));

        return cursor.Take((byte)'}');
    }

    /// <summary>Epoch milliseconds as <see cref="JsonPointReader.ReadTimestamp"/> reads a number in milliseconds.</summary>
    private static bool Timestamp(ref PlainJsonCursor cursor, out long timestampMs)
    {
        timestampMs = 0;
        if (!cursor.Number(out var ms) || ms is < -1e15 or > 1e15)
        {
            return false;
        }

        timestampMs = (long)Math.Floor(ms);
        return true;
    }

    private static bool Kind(ref PlainJsonCursor cursor, DecodedRecord? record)
    {
        if (cursor.Null())
        {
            return true;
        }

        if (!cursor.String(out var kind) || !(kind.SequenceEqual("counter"u8) || kind.SequenceEqual("gauge"u8)))
        {
            return false;
        }

        if (record is not null)
        {
            record.Kind = kind[0] == (byte)'c' ? MetricKind.Counter : MetricKind.Gauge;
            record.KindStated = true;
        }

        return true;
    }

    /// <summary>What the members read so far hold: which were seen, the timestamp and value, and where the identity ends (0 before any of ts, value and kind; −1 when metric or labels came after one).</summary>
    private struct Members
    {
        public int Seen;
        public long TimestampMs;
        public double Value;
        public int Identity;
    }
}
