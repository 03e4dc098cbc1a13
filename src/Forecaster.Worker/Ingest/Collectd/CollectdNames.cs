namespace Forecaster.Worker.Ingest.Collectd;

/// <summary>
/// Names as collectd's write_prometheus makes them: metric <c>collectd_[plugin_]type</c> (the plugin left out when it
/// equals the type), each value a field suffixed with its data source name unless that is <c>value</c>, and
/// <c>_total</c> for derive and counter; labels <c>plugin=plugin_instance</c>, <c>type=type_instance</c> (keyed
/// <c>plugin</c> when there is no plugin instance) and <c>instance=host</c>, each only when not empty.
/// </summary>
internal static class CollectdNames
{
    public static void Name(DecodedRecord record, TextRange plugin, TextRange type)
    {
        var mark = record.TextLength;
        record.AppendText("collectd_");
        if (!record.Text(plugin).SequenceEqual(record.Text(type)))
        {
            record.AppendText(plugin);
            record.AppendText("_");
        }

        record.AppendText(type);
        record.Metric = record.TextSince(mark);
    }

    public static void Labels(DecodedRecord record, TextRange host, TextRange plugin, TextRange pluginInstance, TextRange typeInstance)
    {
        if (pluginInstance.Length > 0)
        {
            record.AddLabel(plugin, pluginInstance);
        }

        if (typeInstance.Length > 0)
        {
            record.AddLabel(pluginInstance.Length > 0 ? record.AppendText("type") : plugin, typeInstance);
        }

        if (host.Length > 0)
        {
            record.AddLabel(record.AppendText("instance"), host);
        }
    }

    /// <summary>The data source name unless it is <c>value</c>, then <c>_total</c> for a cumulative one (write_prometheus' names).</summary>
    public static TextRange Suffix(DecodedRecord record, TextRange name, bool cumulative)
    {
        var plain = record.Text(name) is "value";
        if (!cumulative)
        {
            return plain ? default : name;
        }

        if (plain)
        {
            return record.AppendText("total");
        }

        var mark = record.TextLength;
        record.AppendText(name);
        record.AppendText("_total");
        return record.TextSince(mark);
    }
}
