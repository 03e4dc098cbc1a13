using Microsoft.Extensions.Options;

namespace Forecaster.Worker.Options;

/// <summary>
/// Refuses retraining that could never run: a retraining holds out <c>Forecast:Horizons</c> points and replays
/// a season and the warm-up before them, so each sampled history needs
/// Season + Horizons + WarmupPoints + 1 points, and a history holds at most <c>Forecast:HistoryCapacity</c>.
/// (With less, every run ended "not enough data" with NaN scores, whose log entry crashed the JSON logger.)
/// </summary>
internal sealed class TrainingHistoryValidator(IOptions<ForecastOptions> forecast) : IValidateOptions<TrainingOptions>
{
    public ValidateOptionsResult Validate(string? name, TrainingOptions options)
    {
        ForecastOptions f;
        try
        {
            f = forecast.Value;
        }
        catch (OptionsValidationException)
        {
            return ValidateOptionsResult.Skip; // The Forecast section's own validator reports it.
        }

        var settings = f.ToSettings();
        var needed = settings.RetrainHistory;
        return !options.Enabled || settings.HistoryCapacity >= needed
            ? ValidateOptionsResult.Success
            : ValidateOptionsResult.Fail(
                $"Forecast:HistoryCapacity ({settings.HistoryCapacity}) is too small to retrain: it needs Season + Horizons + WarmupPoints + 1 = {needed}; raise it or set Training:Enabled to false.");
    }
}
