using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Options;

namespace Forecaster.Worker.Options;

/// <summary>Fails start-up with one line per duration setting of <typeparamref name="TOptions"/> that is not a duration.</summary>
internal sealed class DurationValidator<TOptions>(IConfigurationSection section) : IValidateOptions<TOptions>
    where TOptions : class
{
    public ValidateOptionsResult Validate(string? name, TOptions options)
    {
        var problems = DurationBinding.Problems(section, typeof(TOptions));
        return problems.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(problems);
    }
}
