using System.Text;
using Forecaster.Core.Series;

namespace Forecaster.Worker.Processing;

/// <summary>
/// One series of a shard: its id as UTF-8 (the table's key, every forecast record's Kafka key, and the
/// source of the record's metric and labels), Core's model state, its timeline, and its place in the
/// shard's recency list. The id is kept once, as bytes: the string form is made on demand, off the hot path.
/// </summary>
internal sealed class SeriesEntry
{
    public SeriesEntry(byte[] key, SeriesState state, SeriesTimeline timeline)
    {
        Key = key;
        State = state;
        Timeline = timeline;
    }

    public SeriesEntry(string id, SeriesState state, SeriesTimeline timeline)
        : this(Encoding.UTF8.GetBytes(id), state, timeline)
    {
    }

    /// <summary>The series id <c>metric{k="v",...}</c> as a new string (checkpoints, logs, tests; allocates).</summary>
    public string Id => Encoding.UTF8.GetString(Key);

    /// <summary>UTF-8 of the series id: the table key and the key of every forecast record of the series.</summary>
    public byte[] Key { get; }

    /// <summary>The series' model state; replaced (never while it is in a batch) when the series first joins a group of another shape than the shard's own.</summary>
    public SeriesState State { get; set; }

    /// <summary>The model group the series is stepped in (its shape at <see cref="GroupStepMs"/>); null before its first step.</summary>
    public ModelGroup? Group { get; set; }

    /// <summary>The step the series' group was chosen for: a re-learned step chooses again.</summary>
    public long GroupStepMs { get; set; }
    public SeriesTimeline Timeline { get; }

    /// <summary>Index of the series' profile (<see cref="Profiles.ProfileSet.Profiles"/>; 0, the default, without rules), resolved once when the series is created or restored.</summary>
    public int ProfileIndex { get; set; }

    /// <summary>Raw points in the bucket of the series' step now in the batch (its forecast record's <c>points</c>; 0 for a gap step).</summary>
    public int BucketPoints { get; set; }

    /// <summary>Offered a point since the last checkpoint (its state record must be rewritten).</summary>
    public bool Dirty { get; set; }

    /// <summary>
    /// Input offsets below this one are already in the state (restored from a record written after the last
    /// commit marker, which absorbed more input than the marker's offset): their points are dropped when read again.
    /// </summary>
    public long AbsorbedBefore { get; set; }

    /// <summary>Length of the identity bytes of the series' last plain canonical record (see <see cref="KnownIdentities"/>); 0 when none is known.</summary>
    public int IdentityLength { get; set; }

    /// <summary>Hash of those bytes (<see cref="KnownIdentities"/>), in memory only.</summary>
    public ulong IdentityHash { get; set; }

    /// <summary>Neighbours in the shard's recency list (most recent first).</summary>
    public SeriesEntry? Newer { get; set; }
    public SeriesEntry? Older { get; set; }
}
