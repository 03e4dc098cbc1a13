using Forecaster.Core.Forecasting;

namespace Forecaster.Core.Tests.Forecasting;

public class SeasonPlanTests
{
    private const long Minute = 60_000;
    private const long Hour = 60 * Minute;
    private const long Day = 24 * Hour;
    private static readonly long[] DayAndWeek = [Day, 7 * Day];

    [Theory]
    [InlineData(5 * Minute, 288, 168, 12, 12)] // the defaults on a 5-minute series: the week in hours, 12 steps each
    [InlineData(Hour, 24, 168, 1, 1)] // and on an hourly one
    [InlineData(15_000, 5760, 168, 240, 240)]
    [InlineData(Day, 7, 0, 1, 1)] // a daily season of one step is no season
    [InlineData(7 * Minute, 206, 160, 9, 9)] // seasons round to whole steps, the horizon rounds up; 1440 steps in 160 components of 9
    public void Turns_the_default_seasons_and_horizon_into_steps(long stepMs, int season, int weekly, int horizons, int stride) =>
        Assert.Equal(new SeasonPlan(season, weekly, horizons, stride), SeasonPlan.For(stepMs, DayAndWeek, Hour));

    [Fact]
    public void The_shortest_season_is_the_main_one_whatever_the_order() =>
        Assert.Equal(new SeasonPlan(24, 168, 48), SeasonPlan.For(Hour, [7 * Day, Day], 48 * Hour));

    [Fact]
    public void No_season_longer_than_a_step_leaves_a_season_of_one() =>
        Assert.Equal(new SeasonPlan(1, 0, 2), SeasonPlan.For(Day, [Hour, Day], 2 * Day));

    [Fact]
    public void Refuses_a_step_or_horizon_that_is_not_positive()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => SeasonPlan.For(0, DayAndWeek, Hour));
        Assert.Throws<ArgumentOutOfRangeException>(() => SeasonPlan.For(Hour, DayAndWeek, 0));
    }
}
