namespace Forecaster.Testing;

/// <summary>
/// Bytes a piece of code allocates on the calling thread, as the fewest of several measured runs.
/// </summary>
/// <remarks>
/// One run can be charged with the runtime's own allocations: when tiered compilation promotes a method,
/// or on-stack replacement swaps a loop's code, on a loaded machine it can land inside the measured window
/// and allocate on the measured thread (dotnet/BenchmarkDotNet#1542; seen here once as 3,904 bytes in
/// CI). Code that allocates on every call allocates in every run, so the fewest is still above zero; a
/// transition happens once, so at least one run of several is clean.
/// </remarks>
internal static class Allocations
{
    private const int Runs = 5;

    /// <summary>The fewest bytes any of five runs of <paramref name="measured"/> allocated on this thread.</summary>
    public static long Fewest(Action measured) => Fewest(() => measured);

    /// <summary>
    /// Five times: <paramref name="arrange"/> (not measured) builds fresh state and returns the code to measure;
    /// returns the fewest bytes that code allocated on this thread in any run.
    /// </summary>
    public static long Fewest(Func<Action> arrange)
    {
        var fewest = long.MaxValue;
        for (var run = 0; run < Runs; run++)
        {
            var measured = arrange();
            var before = GC.GetAllocatedBytesForCurrentThread();
            measured();
            fewest = Math.Min(fewest, GC.GetAllocatedBytesForCurrentThread() - before);
        }

        return fewest;
    }
}
