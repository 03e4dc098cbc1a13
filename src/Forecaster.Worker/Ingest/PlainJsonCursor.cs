using System.Buffers.Text;

namespace Forecaster.Worker.Ingest;

/// <summary>
/// Reads the tokens of plain JSON text byte by byte for <see cref="PlainCanonicalParser"/>: structural bytes, the literal
/// null, strings of printable ASCII without escapes, numbers in JSON's grammar; whitespace after each token is skipped.
/// Each read either takes its token and moves on, or returns false and stays (the caller then gives the record to the
/// full JSON reader). It validates only what it reads: the caller reads every byte of the input.
/// </summary>
internal ref struct PlainJsonCursor
{
    private readonly ReadOnlySpan<byte> _json;
    private int _at;

    /// <summary>A cursor at the first token of <paramref name="json"/> (after any leading whitespace).</summary>
    public PlainJsonCursor(ReadOnlySpan<byte> json)
    {
        _json = json;
        _at = Whitespace(json, 0);
    }

    /// <summary>Whether every byte of the input has been read.</summary>
    public readonly bool AtEnd => _at == _json.Length;

    /// <summary>The byte <paramref name="token"/>, if it is next.</summary>
    public bool Take(byte token)
    {
        if (_at >= _json.Length || _json[_at] != token)
        {
            return false;
        }

        _at = Whitespace(_json, _at + 1);
        return true;
    }

    /// <summary>The literal <c>null</c>, if it is next (what follows is the caller's to check).</summary>
    public bool Null()
    {
        if (!_json[_at..].StartsWith("null"u8))
        {
            return false;
        }

        _at = Whitespace(_json, _at + 4);
        return true;
    }

    /// <summary>A string of printable ASCII without escapes, if one is next: its content (no quotes).</summary>
    public bool String(out ReadOnlySpan<byte> content)
    {
        content = default;
        if (_at >= _json.Length || _json[_at] != (byte)'"')
        {
            return false;
        }

        var rest = _json[(_at + 1)..];
        var printable = rest.IndexOfAnyExceptInRange((byte)0x20, (byte)0x7E);
        var quote = rest[..(printable < 0 ? rest.Length : printable)].IndexOfAny((byte)'"', (byte)'\\');
        if (quote < 0 || rest[quote] != (byte)'"')
        {
            return false; // an escape, a control or non-ASCII byte, or no closing quote
        }

        content = rest[..quote];
        _at = Whitespace(_json, _at + quote + 2);
        return true;
    }

    /// <summary>
    /// A number in JSON's grammar, if one is next, converted as <c>Utf8JsonReader.TryGetDouble</c> converts it (the whole
    /// token, by <see cref="Utf8Parser"/>, finite).
    /// </summary>
    public bool Number(out double number)
    {
        number = 0;
        var end = _at;
        if (end < _json.Length && _json[end] == (byte)'-')
        {
            end++;
        }

        if (end < _json.Length && _json[end] == (byte)'0')
        {
            end++;
        }
        else if (!Digits(ref end))
        {
            return false;
        }

        if (end < _json.Length && _json[end] == (byte)'.')
        {
            end++;
            if (!Digits(ref end))
            {
                return false;
            }
        }

        if (end < _json.Length && (_json[end] | 0x20) == (byte)'e')
        {
            end++;
            if (end < _json.Length && _json[end] is (byte)'+' or (byte)'-')
            {
                end++;
            }

            if (!Digits(ref end))
            {
                return false;
            }
        }

        var token = _json[_at..end];
        if (!Utf8Parser.TryParse(token, out number, out var consumed) || consumed != token.Length || !double.IsFinite(number))
        {
            return false;
        }

        _at = Whitespace(_json, end);
        return true;
    }

    /// <summary>One or more decimal digits from <paramref name="end"/>, which moves past them.</summary>
    private readonly bool Digits(ref int end)
    {
        var start = end;
        while (end < _json.Length && char.IsAsciiDigit((char)_json[end]))
        {
            end++;
        }

        return end > start;
    }

    /// <summary>The first index from <paramref name="at"/> that is not JSON whitespace.</summary>
    private static int Whitespace(ReadOnlySpan<byte> json, int at)
    {
        var skip = json[at..].IndexOfAnyExcept(" \t\r\n"u8);
        return skip < 0 ? json.Length : at + skip;
    }
}
