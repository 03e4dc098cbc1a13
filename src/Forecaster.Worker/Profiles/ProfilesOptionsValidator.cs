using Forecaster.Worker.Options;
using Microsoft.Extensions.Options;

namespace Forecaster.Worker.Profiles;

/// <summary>Refuses a Profiles section that does not compile over the default profile: one line per bad value.</summary>
internal sealed class ProfilesOptionsValidator(IOptions<ForecastOptions> forecast, IOptions<SeriesOptions> series) : IValidateOptions<ProfilesOptions>
{
    public ValidateOptionsResult Validate(string? name, ProfilesOptions options)
    {
        ForecastOptions forecastOptions;
        SeriesOptions seriesOptions;
        try
        {
            (forecastOptions, seriesOptions) = (forecast.Value, series.Value);
        }
        catch (OptionsValidationException)
        {
            // Those sections report themselves; the rules are checked over the shipped defaults meanwhile.
            (forecastOptions, seriesOptions) = (new ForecastOptions(), new SeriesOptions());
        }

        return ProfileSet.TryBuild(options, forecastOptions, seriesOptions, out var problems) is null
            ? ValidateOptionsResult.Fail(problems)
            : ValidateOptionsResult.Success;
    }
}
