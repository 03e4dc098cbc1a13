using System.Globalization;
using System.Reflection;
using Microsoft.Extensions.Configuration;

namespace Forecaster.Worker.Options;

/// <summary>
/// Binds an options section whose <see cref="DurationAttribute"/> settings may be written in time units: the
/// binder sees them in their plain unit. A value that is no duration is left out (the default stays) and
/// reported by <see cref="DurationValidator{TOptions}"/>, one clear line per bad value.
/// </summary>
internal static class DurationBinding
{
    /// <summary>Binds <paramref name="section"/> into <paramref name="options"/> with its durations in their plain units.</summary>
    public static void Bind(IConfigurationSection section, object options)
    {
        var durations = Durations(options.GetType());
        var values = new List<KeyValuePair<string, string?>>();
        foreach (var (key, text) in section.AsEnumerable())
        {
            var relative = key.Length > section.Path.Length ? key[(section.Path.Length + 1)..] : "";
            if (text is not null && durations.TryGetValue(relative, out var unit))
            {
                if (DurationSetting.TryParse(text, unit, out var value, out _))
                {
                    values.Add(new(key, value.ToString(CultureInfo.InvariantCulture)));
                }

                continue;
            }

            values.Add(new(key, text));
        }

        // Full paths, so that the binder's own errors (a word where a number belongs) still name the setting.
        new ConfigurationBuilder().AddInMemoryCollection(values).Build().GetSection(section.Path).Bind(options);
    }

    /// <summary>One line per duration setting of <paramref name="type"/> in <paramref name="section"/> that is not a duration.</summary>
    public static List<string> Problems(IConfigurationSection section, Type type)
    {
        var problems = new List<string>();
        foreach (var (name, unit) in Durations(type))
        {
            if (section[name] is { } text && !DurationSetting.TryParse(text, unit, out _, out var problem))
            {
                problems.Add($"{section.Path}:{name} {problem}.");
            }
        }

        return problems;
    }

    private static Dictionary<string, DurationUnit> Durations(Type type) =>
        type.GetProperties(BindingFlags.Public | BindingFlags.Instance)
            .Select(p => (p.Name, Attribute: p.GetCustomAttribute<DurationAttribute>()))
            .Where(p => p.Attribute is not null)
            .ToDictionary(p => p.Name, p => p.Attribute!.Unit, StringComparer.OrdinalIgnoreCase);
}
