using Microsoft.Extensions.Options;

namespace Forecaster.Worker.Options;

/// <summary>Refuses a threshold outside (0, 1].</summary>
internal sealed class AnomalyOptionsValidator : IValidateOptions<AnomalyOptions>
{
    public ValidateOptionsResult Validate(string? name, AnomalyOptions options) =>
        options.Threshold > 0 && options.Threshold <= 1
            ? ValidateOptionsResult.Success
            : ValidateOptionsResult.Fail($"Anomaly:Threshold must be in (0, 1] (got {options.Threshold}).");
}
