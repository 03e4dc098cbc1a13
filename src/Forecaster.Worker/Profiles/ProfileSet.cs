using Forecaster.Worker.Options;

namespace Forecaster.Worker.Profiles;

/// <summary>
/// The profiles of a worker, compiled once at start: the default profile (index 0) and one per rule (index i + 1), and the
/// first-match lookup. A series is resolved once, when it is created, and keeps its profile's index; resolving allocates nothing.
/// </summary>
internal sealed class ProfileSet
{
    private readonly ProfileRule[] _rules;

    private ProfileSet(Profile defaults, ProfileRule[] rules)
    {
        _rules = rules;
        Profiles = [defaults, .. rules.Select(r => r.Profile)];
    }

    /// <summary>The default profile first, then each rule's, in rule order.</summary>
    public IReadOnlyList<Profile> Profiles { get; }

    public Profile Default => Profiles[0];

    /// <summary>Compiles <paramref name="profiles"/> over the default profile of <paramref name="forecast"/> and <paramref name="series"/>.</summary>
    /// <returns>The set, or null with one line per bad value in <paramref name="problems"/> (also for names used twice).</returns>
    public static ProfileSet? TryBuild(ProfilesOptions profiles, ForecastOptions forecast, SeriesOptions series, out List<string> problems)
    {
        problems = [];
        var defaults = DefaultProfile.From(forecast, series);
        var rules = new List<ProfileRule>();
        var names = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        var configured = profiles.Rules ?? [];
        for (var i = 0; i < configured.Length; i++)
        {
            var rule = ProfileRuleParser.Parse(configured[i], i, defaults, problems);
            var name = configured[i].Name?.Trim() ?? "";
            if (name.Length > 0 && !names.Add(name))
            {
                problems.Add($"{ProfilesOptions.Section}:Rules:{i}:Name '{name}' is used by an earlier rule.");
            }
            else if (rule is not null)
            {
                rules.Add(rule);
            }
        }

        return problems.Count == 0 ? new ProfileSet(defaults, [.. rules]) : null;
    }

    /// <summary>The profile of the series whose id is <paramref name="utf8Id"/> (UTF-8), as <see cref="Resolve(ReadOnlySpan{char})"/>; allocates nothing for ids up to 512 bytes.</summary>
    public Profile Resolve(ReadOnlySpan<byte> utf8Id)
    {
        if (_rules.Length == 0)
        {
            return Profiles[0];
        }

        char[]? rented = utf8Id.Length > 512 ? System.Buffers.ArrayPool<char>.Shared.Rent(utf8Id.Length) : null;
        Span<char> chars = rented ?? stackalloc char[512];
        try
        {
            return Resolve(chars[..System.Text.Encoding.UTF8.GetChars(utf8Id, chars)]);
        }
        finally
        {
            if (rented is not null)
            {
                System.Buffers.ArrayPool<char>.Shared.Return(rented);
            }
        }
    }

    /// <summary>The profile of the first rule that takes <paramref name="seriesId"/> (<c>metric{k="v",...}</c>), or the default.</summary>
    public Profile Resolve(ReadOnlySpan<char> seriesId)
    {
        foreach (var rule in _rules)
        {
            if (rule.Matches(seriesId))
            {
                return rule.Profile;
            }
        }

        return Profiles[0];
    }
}
