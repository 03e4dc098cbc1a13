using Forecaster.Core.Anomaly;
using Forecaster.Core.Forecasting;

namespace Forecaster.Core.Series;

/// <summary>
/// Everything the core keeps for one series: the LSTM state (h, c), the smoothing state in transformed space
/// (scale, level, seasonal components, noise scale), the recent raw values, the last one-step band and the
/// anomaly likelihood's state.
/// Owned by one thread (the shard's consume thread); other threads only ever get copies.
/// </summary>
public sealed class SeriesState
{
    internal SeriesState(ForecastSettings settings)
    {
        Hidden = new float[settings.HiddenSize];
        Cell = new float[settings.HiddenSize];
        Season = new float[settings.Season];
        Weekly = settings.WeeklySeason > 0 ? new float[settings.WeeklySeason] : [];
        History = new HistoryRing(settings.HistoryCapacity);
        Accuracy = new SeriesAccuracy(settings.Horizons);
    }

    /// <summary>Rolling accuracy of this series' forecasts, model and baseline.</summary>
    public SeriesAccuracy Accuracy { get; }

    /// <summary>The baseline serves this series because the model has been losing to it.</summary>
    public bool InFallback { get; internal set; }

    /// <summary>Observations taken so far, gaps included; the index of the next step.</summary>
    public long Steps { get; internal set; }

    /// <summary>The smoothing state has been initialised from the first season.</summary>
    public bool Initialized { get; internal set; }

    internal float[] Hidden { get; }

    internal float[] Cell { get; }

    internal float[] Season { get; }

    internal float[] Weekly { get; }

    internal HistoryRing History { get; }

    /// <summary>True when this state's arrays have the lengths <paramref name="settings"/> make (hidden size, seasons, history, horizons).</summary>
    public bool Fits(ForecastSettings settings)
    {
        ArgumentNullException.ThrowIfNull(settings);
        return Hidden.Length == settings.HiddenSize && Season.Length == settings.Season && Weekly.Length == settings.WeeklySeason
            && History.Capacity == settings.HistoryCapacity && Accuracy.Horizons == settings.Horizons;
    }

    /// <summary><paramref name="settings"/> with this state's shape (hidden size, seasons, history capacity, horizons): what it can be written under.</summary>
    public ForecastSettings ShapedAs(ForecastSettings settings)
    {
        ArgumentNullException.ThrowIfNull(settings);
        return Fits(settings) ? settings : settings with
        {
            HiddenSize = Hidden.Length,
            Season = Season.Length,
            WeeklySeason = Weekly.Length,
            HistoryCapacity = History.Capacity,
            Horizons = Accuracy.Horizons,
        };
    }

    /// <summary>Values held in the history ring, oldest first (NaN = gap), as a new array of length ≤ HistoryCapacity: the snapshot a background retraining works on.</summary>
    public float[] CopyHistory()
    {
        var copy = new float[History.Count];
        History.CopyTo(copy);
        return copy;
    }

    /// <summary>Timestamp of the last observation (epoch ms, or the step index where there are no timestamps).</summary>
    internal long LastTimestampMs { get; set; }

    /// <summary>The series' step: the smallest spacing of its observations (1 when timestamps are step indices).</summary>
    internal long StepMs { get; set; } = 1;

    /// <summary>Slot of the last observation: its timestamp over the step, rounded down (the phase clock of every season).</summary>
    internal long LastSlot => Math.DivRem(LastTimestampMs, StepMs, out var rest) - (rest < 0 ? 1 : 0);

    /// <summary>
    /// The time zone whose local days and weeks the seasons follow (daylight saving included); null: UTC. The
    /// history and the slots stay in UTC (one value per step, never a repeated or missing hour); only the phases
    /// of the seasons and of the calendar features are local. Not saved with the state: its owner sets it.
    /// </summary>
    public UtcOffsets? Zone { get; set; }

    /// <summary>The slot whose phase the seasons use for UTC slot <paramref name="slot"/>: shifted into <see cref="Zone"/>.</summary>
    internal long PhaseSlot(long slot) => Zone is null ? slot : Zone.LocalSlot(slot, StepMs);

    /// <summary>The timestamp the calendar features read for UTC <paramref name="timestampMs"/>: in <see cref="Zone"/>.</summary>
    internal long PhaseTimestamp(long timestampMs) => Zone is null ? timestampMs : timestampMs + Zone.OffsetMs(timestampMs);

    /// <summary>The series' step in ms, as its observations' spacing shows it (1 when timestamps are step indices).</summary>
    public long StepMilliseconds => StepMs;

    /// <summary>Slot of the oldest value in the history: value i of <see cref="CopyHistory"/> was taken at
    /// (HistoryFirstSlot + i) × <see cref="StepMilliseconds"/> (the history holds one value per slot).</summary>
    public long HistoryFirstSlot => LastSlot - History.Count + 1;

    /// <summary>Scale s of <see cref="ValueTransform"/>, fixed at initialisation.</summary>
    internal double Scale { get; set; } = 1.0;

    /// <summary>Level in transformed space.</summary>
    internal double Level { get; set; }

    /// <summary>Noise scale σ: smoothed mean absolute one-step surprise in transformed space.</summary>
    internal double Noise { get; set; }

    /// <summary>The series smooths with its own <see cref="LevelSmoothing"/> and <see cref="SeasonSmoothing"/> (see <see cref="SeriesSmoothingFit"/>).</summary>
    internal bool SmoothingFitted { get; set; }

    /// <summary>This series' level weight α, when <see cref="SmoothingFitted"/>.</summary>
    internal float LevelSmoothing { get; set; }

    /// <summary>This series' season weight γ, when <see cref="SmoothingFitted"/>.</summary>
    internal float SeasonSmoothing { get; set; }

    /// <summary>The previous step issued a one-step band from the smoothing state (anomaly scoring is possible).</summary>
    internal bool HasPreviousBand { get; set; }

    internal double PreviousLower { get; set; }

    internal double PreviousMedian { get; set; }

    internal double PreviousUpper { get; set; }

    /// <summary>Recent surprises, the running distribution of their score and the event hysteresis (inline, 48 bytes).</summary>
    internal ref AnomalyState Anomaly => ref _anomaly;

    private AnomalyState _anomaly;

    /// <summary>The forecaster holding this series in its pending batch, and the slot; null when not pending.</summary>
    internal object? PendingOwner { get; set; }

    internal int PendingSlot { get; set; }
}
