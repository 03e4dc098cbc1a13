namespace Forecaster.Worker.Backtest;

/// <summary>A clock that reads the time of the data being replayed, so time-based schedules follow the data, not the wall.</summary>
internal sealed class ReplayClock : TimeProvider
{
    public DateTimeOffset Now { get; set; } = DateTimeOffset.UnixEpoch;

    public override DateTimeOffset GetUtcNow() => Now;
}
