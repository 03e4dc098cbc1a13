using Microsoft.Extensions.Options;

namespace Forecaster.Worker.Options;

/// <summary>Refuses model settings Core cannot build a model from (Core's own rules, named as settings).</summary>
internal sealed class ForecastOptionsValidator : IValidateOptions<ForecastOptions>
{
    public ValidateOptionsResult Validate(string? name, ForecastOptions options)
    {
        if (options.InTime && !options.TryDurations(out _, out _, out var problems))
        {
            return ValidateOptionsResult.Fail(problems);
        }

        var plan = options.Plan();
        if (plan.Horizons > 1000 || options.HiddenSize > 4096 || options.HistoryCapacity > 1_000_000)
        {
            return ValidateOptionsResult.Fail(
                $"Forecast:Horizons (≤ 1000), Forecast:HiddenSize (≤ 4096) and Forecast:HistoryCapacity (≤ 1000000) are out of range ({plan.Horizons}, {options.HiddenSize}, {options.HistoryCapacity}).");
        }

        if (string.IsNullOrWhiteSpace(options.ModelName))
        {
            return ValidateOptionsResult.Fail("Forecast:ModelName is required.");
        }

        try
        {
            options.ToSettings().Validate();
            return ValidateOptionsResult.Success;
        }
        catch (ArgumentException e)
        {
            return ValidateOptionsResult.Fail($"Forecast:{e.ParamName}: {e.Message.Split(" (Parameter", 2)[0]}");
        }
    }
}
