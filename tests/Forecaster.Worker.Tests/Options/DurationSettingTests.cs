using Forecaster.Worker.Options;

namespace Forecaster.Worker.Tests.Options;

public class DurationSettingTests
{
    [Theory]
    [InlineData("30", 1000, 30)] // unit 1000: a seconds setting, 1: milliseconds; a bare number keeps the setting's old unit
    [InlineData("-1", 1000, -1)] // (range checks stay with the setting's validator)
    [InlineData("5000", 1, 5000)]
    [InlineData("15s", 1000, 15)]
    [InlineData(" 5m ", 1000, 300)]
    [InlineData("1h", 1000, 3600)]
    [InlineData("1d", 1000, 86_400)]
    [InlineData("1w", 1000, 604_800)]
    [InlineData("1.5h", 1000, 5400)]
    [InlineData("1h30m", 1000, 5400)]
    [InlineData("45s", 1, 45_000)]
    [InlineData("250ms", 1, 250)]
    [InlineData("2000ms", 1000, 2)]
    public void Reads_bare_numbers_and_time_units(string text, int unit, long expected)
    {
        Assert.True(DurationSetting.TryParse(text, (DurationUnit)unit, out var value, out var problem), problem);
        Assert.Equal(expected, value);
    }

    [Theory]
    [InlineData("5 minutes", "is not a duration")]
    [InlineData("5M", "is not a duration")] // units are lower case: M is not m
    [InlineData("-5m", "is not a duration")]
    [InlineData("m", "is not a duration")]
    [InlineData("1.2.3s", "is not a duration")]
    [InlineData("1500ms", "is not a whole number of seconds")]
    [InlineData("", "is empty")]
    [InlineData("99999999999999w", "is too long")]
    public void Refuses_what_is_no_duration_with_the_reason(string text, string reason)
    {
        Assert.False(DurationSetting.TryParse(text, DurationUnit.Seconds, out _, out var problem));
        Assert.Contains(reason, problem, StringComparison.Ordinal);
    }
}
