namespace Forecaster.Worker.Profiles;

/// <summary>
/// The <c>Profiles</c> section: an ordered list of rules; a series takes the first rule that matches it, or the
/// default profile (the Forecast and Series sections' settings) when none does.
/// </summary>
internal sealed class ProfilesOptions
{
    public const string Section = "Profiles";

    /// <summary>The rules, in the order they are tried. (Null rather than empty: the configuration binder appends to an existing array.)</summary>
    public ProfileRuleOptions[]? Rules { get; set; }
}
