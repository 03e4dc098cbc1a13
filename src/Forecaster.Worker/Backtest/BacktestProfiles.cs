using Forecaster.Worker.Options;
using Forecaster.Worker.Profiles;
using Microsoft.Extensions.Configuration;

namespace Forecaster.Worker.Backtest;

/// <summary>
/// The profiles a backtest groups its series by: the Profiles, Forecast and Series sections of the configuration beside the
/// executable, then the environment, then the <c>--profiles</c> file (any of those sections, in the worker's shape).
/// </summary>
internal static class BacktestProfiles
{
    /// <returns>The compiled profiles, or null with one line per bad value in <paramref name="problems"/>.</returns>
    public static ProfileSet? Load(string? file, out List<string> problems)
    {
        var builder = new ConfigurationBuilder()
            .AddJsonFile(Path.Combine(AppContext.BaseDirectory, "appsettings.json"), optional: true)
            .AddEnvironmentVariables();
        if (file is not null)
        {
            builder.AddJsonFile(Path.GetFullPath(file), optional: false);
        }

        var configuration = builder.Build();
        var forecast = new ForecastOptions();
        var series = new SeriesOptions();
        var profiles = new ProfilesOptions();
        DurationBinding.Bind(configuration.GetSection(ForecastOptions.Section), forecast);
        DurationBinding.Bind(configuration.GetSection(SeriesOptions.Section), series);
        DurationBinding.Bind(configuration.GetSection(ProfilesOptions.Section), profiles);
        return ProfileSet.TryBuild(profiles, forecast, series, out problems);
    }
}
