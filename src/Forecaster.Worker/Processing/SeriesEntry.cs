using System.Text;
using System.Text.Json;
using Forecaster.Core.Series;

namespace Forecaster.Worker.Processing;

/// <summary>
/// One series of a shard: its id and Kafka key, its name and labels pre-encoded for the forecast
/// record, Core's model state, its timeline, and its place in the shard's recency list.
/// </summary>
internal sealed class SeriesEntry
{
    public SeriesEntry(string id, JsonEncodedText metric, JsonEncodedText[] labels, SeriesState state, SeriesTimeline timeline)
    {
        Id = id;
        Key = Encoding.UTF8.GetBytes(id);
        Metric = metric;
        Labels = labels;
        State = state;
        Timeline = timeline;
    }

    public string Id { get; }

    /// <summary>UTF-8 of <see cref="Id"/>: the key of every forecast record of the series.</summary>
    public byte[] Key { get; }

    public JsonEncodedText Metric { get; }

    /// <summary>Sorted label pairs, flattened: key0, value0, key1, value1, ...</summary>
    public JsonEncodedText[] Labels { get; }

    public SeriesState State { get; }
    public SeriesTimeline Timeline { get; }

    /// <summary>Offered a point since the last checkpoint (its state record must be rewritten).</summary>
    public bool Dirty { get; set; }

    /// <summary>Neighbours in the shard's recency list (most recent first).</summary>
    public SeriesEntry? Newer { get; set; }
    public SeriesEntry? Older { get; set; }
}
