using Microsoft.Extensions.Options;

namespace Forecaster.Worker.Options;

/// <summary>Refuses an out-of-range port or health window.</summary>
internal sealed class HttpOptionsValidator : IValidateOptions<HttpOptions>
{
    public ValidateOptionsResult Validate(string? name, HttpOptions options)
    {
        if (options.Port is < 0 or > 65535)
        {
            return ValidateOptionsResult.Fail($"Http:Port must be in 0..65535 (was {options.Port}).");
        }

        return options.HealthStallSeconds < 1
            ? ValidateOptionsResult.Fail($"Http:HealthStallSeconds must be positive (was {options.HealthStallSeconds}).")
            : ValidateOptionsResult.Success;
    }
}
