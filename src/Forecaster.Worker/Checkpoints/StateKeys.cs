using System.Globalization;

namespace Forecaster.Worker.Checkpoints;

/// <summary>
/// Keys of the state topic, so compaction keeps the latest record of each: <c>m/topic/p</c> the shard's
/// model (<c>m/topic/p/shape</c> that of another model shape's group), <c>s/topic/p/series id</c> one per series (a tombstone once evicted), <c>c/topic/p</c> the commit
/// marker. The input topic is in the key because several input topics share the state partitions.
/// </summary>
internal static class StateKeys
{
    public static string Model(string topic, int partition) => $"m/{topic}/{P(partition)}";

    /// <summary>The model of one model group: group 0's is <see cref="Model(string, int)"/>, another shape's <c>m/topic/p/shape</c>.</summary>
    public static string Model(string topic, int partition, string shape) => shape.Length == 0 ? Model(topic, partition) : $"m/{topic}/{P(partition)}/{shape}";

    /// <summary>The shape of <paramref name="key"/> when it is another group's model key beside the shard's <paramref name="modelKey"/> (<see cref="Model(string, int)"/>), else null; allocates only the shape it returns.</summary>
    public static string? ModelShape(string key, string modelKey) =>
        key.Length > modelKey.Length + 1 && key[modelKey.Length] == '/' && key.StartsWith(modelKey, StringComparison.Ordinal) ? key[(modelKey.Length + 1)..] : null;

    public static string Series(string topic, int partition, string id) => $"s/{topic}/{P(partition)}/{id}";

    public static string Commit(string topic, int partition) => $"c/{topic}/{P(partition)}";

    /// <summary>The series id of a series key of this shard, or null when the key is not one.</summary>
    public static string? SeriesId(string key, string topic, int partition)
    {
        var prefix = $"s/{topic}/{P(partition)}/";
        return key.StartsWith(prefix, StringComparison.Ordinal) ? key[prefix.Length..] : null;
    }

    private static string P(int partition) => partition.ToString(CultureInfo.InvariantCulture);
}
