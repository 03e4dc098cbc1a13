using System.Globalization;

namespace Forecaster.Worker.Options;

/// <summary>The plain unit of a duration setting: what a bare number in it has always meant.</summary>
internal enum DurationUnit
{
    Milliseconds = 1,
    Seconds = 1_000,
}

/// <summary>
/// Reads a duration setting: a bare integer in the setting's plain unit (what existing configurations hold),
/// or a duration in time units, one or more of a number and <c>ms</c>, <c>s</c>, <c>m</c>, <c>h</c>, <c>d</c> or
/// <c>w</c> (<c>"15s"</c>, <c>"5m"</c>, <c>"1.5h"</c>, <c>"1h30m"</c>), which must come to a whole number of the plain unit.
/// </summary>
internal static class DurationSetting
{
    /// <summary>Parses <paramref name="text"/> into a value in <paramref name="unit"/>; false with the reason (to follow the setting's name) when it is not one.</summary>
    public static bool TryParse(string text, DurationUnit unit, out long value, out string problem)
    {
        value = 0;
        problem = "";
        var span = text.AsSpan().Trim();
        if (long.TryParse(span, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out value))
        {
            return true;
        }

        decimal milliseconds = 0;
        var parts = 0;
        while (!span.IsEmpty)
        {
            var digits = 0;
            while (digits < span.Length && (char.IsAsciiDigit(span[digits]) || span[digits] == '.'))
            {
                digits++;
            }

            var letters = digits;
            while (letters < span.Length && char.IsAsciiLetter(span[letters]))
            {
                letters++;
            }

            if (digits == 0 || !decimal.TryParse(span[..digits], NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out var number)
                || UnitMs(span[digits..letters]) is not { } unitMs)
            {
                problem = $"'{text}' is not a duration (a number of {Name(unit)}, or time units such as 15s, 5m, 1h, 1d, 1w)";
                return false;
            }

            milliseconds += number * unitMs;
            if (milliseconds > long.MaxValue / 2)
            {
                problem = $"'{text}' is too long";
                return false;
            }

            span = span[letters..].TrimStart();
            parts++;
        }

        if (parts == 0 || milliseconds % (int)unit != 0)
        {
            problem = parts == 0 ? "is empty" : $"'{text}' is not a whole number of {Name(unit)}";
            return false;
        }

        value = (long)(milliseconds / (int)unit);
        return true;
    }

    private static long? UnitMs(ReadOnlySpan<char> unit) => unit switch
    {
        "ms" => 1,
        "s" => 1_000,
        "m" => 60_000,
        "h" => 3_600_000,
        "d" => 86_400_000,
        "w" => 604_800_000,
        _ => null,
    };

    private static string Name(DurationUnit unit) => unit == DurationUnit.Seconds ? "seconds" : "milliseconds";
}
