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
    /// <summary>10^0 to 10^22, every one exact in a double.</summary>
    private static readonly double[] PowersOfTen =
    [
        1e0, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11, 1e12, 1e13, 1e14, 1e15, 1e16, 1e17, 1e18, 1e19, 1e20, 1e21, 1e22,
    ];

    private readonly ReadOnlySpan<byte> _json;
    private int _at;

    /// <summary>A cursor at the first token of <paramref name="json"/> (after any leading whitespace).</summary>
    public PlainJsonCursor(ReadOnlySpan<byte> json)
    {
        _json = json;
        _at = Whitespace(json, 0);
    }

    /// <summary>Bytes read so far: where the next token starts.</summary>
    public readonly int Position => _at;

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

        var end = _at + 1;
        while (end < _json.Length && _json[end] is >= 0x20 and <= 0x7E and not ((byte)'"' or (byte)'\\'))
        {
            end++; // strings are short: a loop beats a vectorised search here
        }

        if (end >= _json.Length || _json[end] != (byte)'"')
        {
            return false; // an escape, a control or non-ASCII byte, or no closing quote
        }

        content = _json[(_at + 1)..end];
        _at = Whitespace(_json, end + 1);
        return true;
    }

    /// <summary>
    /// A number in JSON's grammar, if one is next, converted as <c>Utf8JsonReader.TryGetDouble</c> converts it (the whole
    /// token, by <see cref="Utf8Parser"/>, finite). A number of at most 15 digits, without exponent and at most 22 of them
    /// after the point, is converted here instead: its digits are exact in a double, so are the powers of ten to 1e22,
    /// and one division rounds correctly, as the parser does (Clinger's fast path), so the bits are the same.
    /// </summary>
    public bool Number(out double number)
    {
        number = 0;
        var end = _at;
        var negative = end < _json.Length && _json[end] == (byte)'-';
        end += negative ? 1 : 0;
        ulong mantissa = 0;
        int digits = 0, scale = 0;
        if (end < _json.Length && _json[end] == (byte)'0')
        {
            end++;
            digits++;
        }
        else if (!Digits(ref end, ref mantissa, ref digits))
        {
            return false;
        }

        if (end < _json.Length && _json[end] == (byte)'.')
        {
            end++;
            var before = digits;
            if (!Digits(ref end, ref mantissa, ref digits))
            {
                return false;
            }

            scale = digits - before;
        }

        var exact = digits <= 15 && scale < PowersOfTen.Length;
        if (end < _json.Length && (_json[end] | 0x20) == (byte)'e')
        {
            exact = false;
            end++;
            if (end < _json.Length && _json[end] is (byte)'+' or (byte)'-')
            {
                end++;
            }

            if (!Digits(ref end, ref mantissa, ref digits))
            {
                return false;
            }
        }

        if (exact)
        {
            number = mantissa / PowersOfTen[scale];
            number = negative ? -number : number;
        }
        else
        {
            var token = _json[_at..end];
            if (!Utf8Parser.TryParse(token, out number, out var consumed) || consumed != token.Length || !double.IsFinite(number))
            {
                return false;
            }
        }

        _at = Whitespace(_json, end);
        return true;
    }

    /// <summary>One or more decimal digits from <paramref name="end"/>, which moves past them, each taken into <paramref name="mantissa"/> (exact while <paramref name="digits"/> ≤ 19).</summary>
    private readonly bool Digits(ref int end, ref ulong mantissa, ref int digits)
    {
        var start = end;
        while (end < _json.Length && char.IsAsciiDigit((char)_json[end]))
        {
            mantissa = unchecked((mantissa * 10) + (uint)(_json[end] - '0'));
            end++;
        }

        digits += end - start;
        return end > start;
    }

    /// <summary>The first index from <paramref name="at"/> that is not JSON whitespace.</summary>
    private static int Whitespace(ReadOnlySpan<byte> json, int at)
    {
        while (at < json.Length && json[at] is (byte)' ' or (byte)'\t' or (byte)'\r' or (byte)'\n')
        {
            at++;
        }

        return at;
    }
}
