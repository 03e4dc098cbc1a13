using System.Reflection;
using Forecaster.Worker.Options;

namespace Forecaster.Worker.Tests.Deploy;

/// <summary>
/// The worker's settings by configuration path, read from the options classes: what an environment
/// variable <c>Section__Key</c> (or <c>Section__Key__Entry</c> for a dictionary) may name.
/// </summary>
internal static class OptionNames
{
    /// <summary>Every options class with its section.</summary>
    public static readonly (string Section, Type Type)[] Sections =
    [
        (KafkaOptions.Section, typeof(KafkaOptions)),
        (HttpOptions.Section, typeof(HttpOptions)),
        (ForecastOptions.Section, typeof(ForecastOptions)),
        (SeriesOptions.Section, typeof(SeriesOptions)),
        (IngestOptions.Section, typeof(IngestOptions)),
        (TrainingOptions.Section, typeof(TrainingOptions)),
        (MetricsOptions.Section, typeof(MetricsOptions)),
        (StateOptions.Section, typeof(StateOptions)),
        (Worker.Profiles.ProfilesOptions.Section, typeof(Worker.Profiles.ProfilesOptions)),
    ];

    /// <summary>Host settings outside the options classes: the generic host's shutdown timeout.</summary>
    public const string ShutdownTimeout = "shutdownTimeoutSeconds";

    /// <summary>Bindable properties (public getter and setter) of an options class.</summary>
    public static IEnumerable<PropertyInfo> Settable(Type type) =>
        type.GetProperties(BindingFlags.Public | BindingFlags.Instance).Where(p => p.CanWrite && p.SetMethod!.IsPublic);

    /// <summary>Whether an environment variable name maps to a setting the worker binds.</summary>
    public static bool IsSetting(string environmentName, out string why)
    {
        var parts = environmentName.Split("__");
        if (parts.Length == 1)
        {
            why = "a top-level name";
            return environmentName == ShutdownTimeout;
        }

        if (parts[0] == "Logging")
        {
            why = "a logging filter";
            return parts.Length >= 3 && parts[1] == "LogLevel";
        }

        var section = Sections.Where(s => s.Section == parts[0]).Select(s => s.Type).FirstOrDefault();
        if (section is null)
        {
            why = $"no options class has section '{parts[0]}'";
            return false;
        }

        var property = Settable(section).FirstOrDefault(p => string.Equals(p.Name, parts[1], StringComparison.OrdinalIgnoreCase));
        if (property is null)
        {
            why = $"{section.Name} has no settable property '{parts[1]}'";
            return false;
        }

        var isDictionary = property.PropertyType.IsGenericType && property.PropertyType.GetGenericTypeDefinition() == typeof(Dictionary<,>);
        var isArray = property.PropertyType.IsArray;
        why = $"{section.Name}.{property.Name} takes {(isDictionary ? "one entry per key" : isArray ? "one element per index" : "no sub-key")}";
        return parts.Length == 2 || ((isDictionary || isArray) && parts.Length == 3);
    }
}
