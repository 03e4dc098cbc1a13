using System.Buffers;
using System.Buffers.Text;

namespace Forecaster.Worker.Publish;

/// <summary>
/// Writes a number of the forecast record as JSON text rounded to <see cref="Digits"/> significant digits,
/// trailing zeros dropped (<c>52.3457</c>, <c>0.0125</c>, <c>300</c>): a forecast has no use for more, and a
/// record carries about 60 of them. Plain decimal notation from 1e-4 up to 1e15, exponent notation outside
/// (<c>1.23457E+20</c>, still JSON). A non-finite value is written as <c>null</c>.
/// </summary>
internal static class ShortNumber
{
    public const int Digits = 6;

    /// <summary>Room a destination needs for any value.</summary>
    public const int MaxLength = 24;

    private const long Smallest = 100_000; // 10^(Digits-1)
    private const long Limit = 1_000_000; // 10^Digits

    private static readonly double[] Powers = [1, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11, 1e12, 1e13, 1e14, 1e15];

    /// <summary>Writes <paramref name="value"/> into <paramref name="destination"/> (at least <see cref="MaxLength"/> bytes) and returns the bytes written.</summary>
    public static int Write(double value, Span<byte> destination)
    {
        if (!double.IsFinite(value))
        {
            "null"u8.CopyTo(destination);
            return 4;
        }

        if (value == 0)
        {
            destination[0] = (byte)'0';
            return 1;
        }

        var at = 0;
        if (value < 0)
        {
            destination[at++] = (byte)'-';
            value = -value;
        }

        if (value is < 1e-4 or >= 1e15)
        {
            Utf8Formatter.TryFormat(value, destination[at..], out var written, new StandardFormat('G', Digits));
            return at + written;
        }

        // value = m × 10^(e − 5) with m in [10^5, 10^6): m holds the digits, e the decimal exponent of the first.
        var e = Exponent(value);
        var m = Mantissa(value, e);
        if (m < Smallest)
        {
            m = Mantissa(value, --e);
        }

        if (m >= Limit)
        {
            m = Mantissa(value, ++e);
            if (m >= Limit)
            {
                m /= 10; // rounding carried into a new digit: 999999.7 → 1000000
            }
        }

        if (e >= Digits - 1)
        {
            PutDigits(m, destination.Slice(at, Digits), point: Digits);
            at += Digits;
            destination.Slice(at, e - (Digits - 1)).Fill((byte)'0');
            return at + e - (Digits - 1);
        }

        if (e < 0)
        {
            destination[at++] = (byte)'0';
            destination[at++] = (byte)'.';
            destination.Slice(at, -e - 1).Fill((byte)'0');
            at += -e - 1;
            PutDigits(m, destination.Slice(at, Digits), point: Digits);
            return TrimZeros(destination, at + Digits);
        }

        // e + 1 integer digits, the point, then the rest; trailing zeros (and a bare point) dropped.
        PutDigits(m, destination.Slice(at, Digits + 1), point: e + 1);
        var end = TrimZeros(destination, at + Digits + 1);
        return destination[end - 1] == '.' ? end - 1 : end;
    }

    /// <summary>The six digits of <paramref name="m"/>, with a point before digit <paramref name="point"/> when it is below six.</summary>
    private static void PutDigits(long m, Span<byte> destination, int point)
    {
        for (var i = Digits - 1; i >= 0; i--)
        {
            destination[i >= point ? i + 1 : i] = (byte)('0' + (m % 10));
            m /= 10;
        }

        if (point < Digits)
        {
            destination[point] = (byte)'.';
        }
    }

    /// <summary>The end of the text once trailing zeros are dropped (the first digit is never zero, and a point stops it).</summary>
    private static int TrimZeros(Span<byte> destination, int end)
    {
        while (destination[end - 1] == '0')
        {
            end--;
        }

        return end;
    }

    /// <summary>⌊log10 value⌋ for value in [1e-4, 1e15), by comparison with exact powers of ten (rounding is fixed up by the caller).</summary>
    private static int Exponent(double value)
    {
        if (value >= 1)
        {
            var e = 0;
            while (e < 15 && value >= Powers[e + 1])
            {
                e++;
            }

            return e;
        }

        var n = 1;
        while (n < 4 && value * Powers[n] < 1)
        {
            n++;
        }

        return -n;
    }

    /// <summary>value × 10^(5 − e), rounded half away from zero: multiplying or dividing by an exact power of ten rounds once.</summary>
    private static long Mantissa(double value, int e)
    {
        var shift = Digits - 1 - e;
        var scaled = shift >= 0 ? value * Powers[shift] : value / Powers[-shift];
        return (long)(scaled + 0.5);
    }
}
