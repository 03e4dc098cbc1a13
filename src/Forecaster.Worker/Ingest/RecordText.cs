using System.Text;
using System.Text.Json;

namespace Forecaster.Worker.Ingest;

/// <summary>
/// The one character scratch a <see cref="DecodedRecord"/> keeps all its text in (names, label keys and values, field
/// suffixes), addressed by <see cref="TextRange"/>. Grows when needed, never shrinks: no allocation once grown.
/// </summary>
internal sealed class RecordText
{
    private char[] _text = new char[1024];

    /// <summary>Where the next text goes: a mark for <see cref="Rewind"/> and <see cref="Since"/>.</summary>
    public int Length { get; private set; }

    public ReadOnlySpan<char> Of(TextRange range) => _text.AsSpan(range.Start, range.Length);

    /// <summary>Writable view of text already written (for in-place rewriting of names).</summary>
    public Span<char> Writable(TextRange range) => _text.AsSpan(range.Start, range.Length);

    /// <summary>The text written since <paramref name="mark"/>: several appends as one range.</summary>
    public TextRange Since(int mark) => new(mark, Length - mark);

    /// <summary>Forgets the text written after <paramref name="mark"/>.</summary>
    public void Rewind(int mark) => Length = mark;

    /// <summary>Empties the scratch, sized for a record of <paramref name="inputLength"/> bytes.</summary>
    public void Reset(int inputLength)
    {
        Length = 0;
        if (_text.Length < inputLength + 16)
        {
            _text = new char[Math.Max(inputLength + 16, _text.Length * 2)];
        }
    }

    /// <summary>Copies the current string token (unescaped).</summary>
    public TextRange AppendString(ref Utf8JsonReader reader)
    {
        Ensure(reader.HasValueSequence ? (int)reader.ValueSequence.Length : reader.ValueSpan.Length);
        return Advance(reader.CopyString(_text.AsSpan(Length)));
    }

    /// <summary>Appends literal text (not a span of this scratch: use the range overload for that).</summary>
    public TextRange Append(ReadOnlySpan<char> text)
    {
        Ensure(text.Length);
        text.CopyTo(_text.AsSpan(Length));
        return Advance(text.Length);
    }

    /// <summary>Appends a copy of text already in the scratch.</summary>
    public TextRange Append(TextRange range)
    {
        Ensure(range.Length);
        return Append(Of(range));
    }

    /// <summary>Transcodes UTF-8.</summary>
    public TextRange AppendUtf8(ReadOnlySpan<byte> utf8)
    {
        Ensure(utf8.Length);
        return Advance(Encoding.UTF8.GetChars(utf8, _text.AsSpan(Length)));
    }

    /// <summary>Writes a number or other formattable value (invariant culture).</summary>
    public TextRange AppendFormatted<T>(T value)
        where T : ISpanFormattable
    {
        Ensure(32);
        int written;
        while (!value.TryFormat(_text.AsSpan(Length), out written, default, System.Globalization.CultureInfo.InvariantCulture))
        {
            Ensure(_text.Length);
        }

        return Advance(written);
    }

    private TextRange Advance(int written)
    {
        var range = new TextRange(Length, written);
        Length += written;
        return range;
    }

    private void Ensure(int more)
    {
        if (Length + more > _text.Length)
        {
            Array.Resize(ref _text, Math.Max(_text.Length * 2, Length + more));
        }
    }
}
