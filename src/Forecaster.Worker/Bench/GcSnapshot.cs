using System.Globalization;
using System.Runtime;

namespace Forecaster.Worker.Bench;

/// <summary>Collections per generation, pause time and bytes allocated since a point of the benchmark.</summary>
internal readonly record struct GcSnapshot(int Gen0, int Gen1, int Gen2, TimeSpan Paused, long Allocated)
{
    public static GcSnapshot Take() => new(GC.CollectionCount(0), GC.CollectionCount(1), GC.CollectionCount(2), GC.GetTotalPauseDuration(), GC.GetTotalAllocatedBytes());

    public string Since()
    {
        var now = Take();
        return string.Create(CultureInfo.InvariantCulture,
            $"gen0 {now.Gen0 - Gen0}, gen1 {now.Gen1 - Gen1}, gen2 {now.Gen2 - Gen2} collections, {(now.Paused - Paused).TotalMilliseconds:F0} ms paused, {(now.Allocated - Allocated) / 1048576.0:F0} MiB allocated ({(GCSettings.IsServerGC ? "server" : "workstation")} GC)");
    }
}
