namespace Forecaster.Core.Forecasting;

/// <summary>
/// Where a copied history sits in time: value i was taken at slot <see cref="FirstSlot"/> + i, that is at
/// (FirstSlot + i) × <see cref="StepMs"/> ms. A replay given its axis sees the seasonal and calendar phases
/// serving saw (see <see cref="Series.SeriesState.HistoryFirstSlot"/>).
/// </summary>
/// <param name="FirstSlot">Slot of the oldest value.</param>
/// <param name="StepMs">The series' step, ≥ 1 (1: timestamps are step indices).</param>
/// <param name="Zone">The time zone of the series' seasons (<see cref="Series.SeriesState.Zone"/>); null: UTC.</param>
public readonly record struct HistoryAxis(long FirstSlot, long StepMs, Series.UtcOffsets? Zone = null)
{
    /// <summary>Timestamp of value <paramref name="index"/>.</summary>
    public long Timestamp(int index) => (FirstSlot + index) * StepMs;

    /// <summary>The axis of <paramref name="state"/>'s history as it stands.</summary>
    public static HistoryAxis Of(Series.SeriesState state)
    {
        ArgumentNullException.ThrowIfNull(state);
        return new HistoryAxis(state.HistoryFirstSlot, state.StepMilliseconds, state.Zone);
    }
}
