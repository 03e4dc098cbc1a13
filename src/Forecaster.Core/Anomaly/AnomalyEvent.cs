namespace Forecaster.Core.Anomaly;

/// <summary>
/// Turns a likelihood series into events with hysteresis: an event (1 above, −1 below the forecast) when the
/// likelihood reaches the threshold while armed, then nothing until it has fallen below
/// <see cref="RearmFraction"/> of the threshold, so one incident is one event. The worker and the NAB
/// scorer's threshold sweep both run this.
/// </summary>
public static class AnomalyEvent
{
    /// <summary>The likelihood re-arms the detector below this share of the threshold.</summary>
    public const double RearmFraction = 0.5;

    /// <summary>
    /// The event for one step with likelihood <paramref name="likelihood"/> and surprise sign
    /// <paramref name="direction"/>; <paramref name="allowed"/> false (warming up, a gap) never fires but re-arms.
    /// </summary>
    public static int Next(ref AnomalyState state, double likelihood, int direction, double threshold, bool allowed)
    {
        if (state.Fired)
        {
            state.Fired = !(likelihood < threshold * RearmFraction);
            return 0;
        }

        if (!allowed || !(likelihood >= threshold))
        {
            return 0;
        }

        state.Fired = true;
        return direction >= 0 ? 1 : -1;
    }
}
