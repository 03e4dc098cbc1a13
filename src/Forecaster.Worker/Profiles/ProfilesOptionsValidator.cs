using Forecaster.Worker.Options;
using Microsoft.Extensions.Options;

namespace Forecaster.Worker.Profiles;

/// <summary>
/// Refuses a Profiles section that does not compile over the default profile (one line per bad value). A rule may set
/// every field: a shard holds one model group per shape its series need (<see cref="Processing.ModelGroups"/>).
/// </summary>
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

        var set = ProfileSet.TryBuild(options, forecastOptions, seriesOptions, out var problems);
        if (set is not null)
        {
            problems.AddRange(ModelShapes.Problems(forecastOptions.ToSettings(), set));
        }
        return problems.Count > 0 ? ValidateOptionsResult.Fail(problems) : ValidateOptionsResult.Success;
    }
}
