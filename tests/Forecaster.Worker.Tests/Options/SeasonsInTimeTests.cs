using Forecaster.Core.Forecasting;
using Forecaster.Worker.Options;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace Forecaster.Worker.Tests.Options;

/// <summary>Forecast:Seasons and Forecast:Horizon in time become steps of the series' step; the step counts still override them.</summary>
public class SeasonsInTimeTests
{
    private static ServiceProvider Services(params (string Key, string Value)[] settings)
    {
        (string, string)[] common = [("Kafka:BootstrapServers", "b:9092"), ("Training:Enabled", "false"), ("Forecast:HistoryCapacity", "4096"), ("Forecast:WarmupPoints", "300")];
        var configuration = new ConfigurationBuilder()
            .AddInMemoryCollection(common.Concat(settings).Select(s => new KeyValuePair<string, string?>(s.Item1, s.Item2)))
            .Build();
        return new ServiceCollection().AddForecaster(configuration).BuildServiceProvider();
    }

    private static ForecastSettings Settings(params (string Key, string Value)[] settings)
    {
        using var services = Services(settings);
        services.GetRequiredService<IStartupValidator>().Validate();
        return services.GetRequiredService<IOptions<ForecastOptions>>().Value.ToSettings();
    }

    [Theory]
    [InlineData("300", 288, 168, 12, 12)] // a 5-minute series: a day of 288 steps, a week of 2016 in 168 hours, an hour of 12
    [InlineData("1h", 24, 168, 1, 1)]
    public void The_default_durations_become_steps_of_the_series_step(string step, int season, int weekly, int horizons, int stride)
    {
        var settings = Settings(("Series:StepSeconds", step), ("Forecast:Seasons:0", "1d"), ("Forecast:Seasons:1", "1w"), ("Forecast:Horizon", "1h"));

        Assert.Equal((season, weekly, horizons, stride), (settings.Season, settings.WeeklySeason, settings.Horizons, settings.WeeklyStride));
    }

    [Fact]
    public void A_weekly_season_in_steps_overrides_the_hour_of_week_components()
    {
        var settings = Settings(("Series:StepSeconds", "300"), ("Forecast:Horizon", "1h"), ("Forecast:WeeklySeason", "2016"));

        Assert.Equal((288, 2016, 1), (settings.Season, settings.WeeklySeason, settings.WeeklyStride));
    }

    [Fact]
    public void A_horizon_alone_takes_the_default_seasons() =>
        Assert.Equal((24, 168, 48), Plan(Settings(("Series:StepSeconds", "1h"), ("Forecast:Horizon", "2d"))));

    [Fact]
    public void Step_counts_override_the_durations() =>
        Assert.Equal((12, 168, 6), Plan(Settings(("Series:StepSeconds", "1h"), ("Forecast:Horizon", "2d"), ("Forecast:Season", "12"), ("Forecast:Horizons", "6"))));

    [Fact]
    public void Without_durations_the_step_counts_stay_as_they_were() => Assert.Equal((24, 0, 12), Plan(Settings()));

    [Fact]
    public void Durations_with_a_learned_step_are_served_once_a_floor_keeps_the_horizon_in_range()
    {
        using var unfloored = Services(("Forecast:Horizon", "1h"));
        using var floored = Services(("Forecast:Horizon", "1h"), ("Series:MinStep", "5m"));

        var failures = Worker.Commands.RunCommand.InvalidSettings(Record.Exception(() => unfloored.GetRequiredService<IStartupValidator>().Validate())!);
        var flooredFailure = Record.Exception(() => floored.GetRequiredService<IStartupValidator>().Validate());

        Assert.Equal(["Forecast (default): at a step of 00:00:01 the horizon is 3600 steps (at most 1000)."], failures);
        Assert.Null(flooredFailure);
    }

    [Fact]
    public void A_bad_duration_is_one_line_naming_it()
    {
        using var services = Services(("Series:StepSeconds", "300"), ("Forecast:Seasons:0", "1d"), ("Forecast:Seasons:1", "one week"), ("Forecast:Horizon", "0s"));

        var failures = Worker.Commands.RunCommand.InvalidSettings(Record.Exception(() => services.GetRequiredService<IStartupValidator>().Validate())!);

        Assert.Equal(2, failures.Count);
        Assert.StartsWith("Forecast:Seasons:1 'one week' is not a duration", failures[0], StringComparison.Ordinal);
        Assert.Equal("Forecast:Horizon must be from 1s to 366d (was '0s').", failures[1]);
    }

    private static (int, int, int) Plan(ForecastSettings settings) => (settings.Season, settings.WeeklySeason, settings.Horizons);
}
