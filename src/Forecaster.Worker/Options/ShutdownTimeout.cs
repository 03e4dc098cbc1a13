using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;

namespace Forecaster.Worker.Options;

/// <summary>
/// The host's <c>shutdownTimeoutSeconds</c> as a duration setting like the worker's own: a bare number of seconds or
/// time units (<c>"25s"</c>), validated at start. The .NET host reads only a bare integer and silently keeps its
/// default (30 s) for anything else, so <c>"25s"</c> or a typo would outlive the pod's grace period unnoticed.
/// </summary>
internal sealed class ShutdownTimeout(IConfiguration configuration) : IConfigureOptions<HostOptions>, IValidateOptions<HostOptions>
{
    public const string Key = "shutdownTimeoutSeconds";

    public void Configure(HostOptions options)
    {
        if (Parse(out var seconds) is null && seconds > 0)
        {
            options.ShutdownTimeout = TimeSpan.FromSeconds(seconds);
        }
    }

    public ValidateOptionsResult Validate(string? name, HostOptions options) =>
        Parse(out _) is { } problem ? ValidateOptionsResult.Fail($"{Key} {problem}.") : ValidateOptionsResult.Success;

    /// <summary>Null when the setting is absent or a positive duration of whole seconds (then <paramref name="seconds"/>, else 0); else why not.</summary>
    private string? Parse(out long seconds)
    {
        seconds = 0;
        if (configuration[Key] is not { } text)
        {
            return null;
        }

        if (!DurationSetting.TryParse(text, DurationUnit.Seconds, out seconds, out var problem))
        {
            return problem;
        }

        return seconds > 0 ? null : $"'{text}' must be more than 0 seconds";
    }
}
