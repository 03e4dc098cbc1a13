using Forecaster.Core.Forecasting;

namespace Forecaster.Core.Series;

/// <summary>
/// The online update of one series by one observation, and the LSTM input it yields. The same code runs in
/// the worker, in the backtest and when training windows are built, so training and serving never disagree.
/// </summary>
/// <remarks>
/// Smoothing (additive in transformed space w = asinh(y/s), so multiplicative in y), at slot n with phases
/// p = n mod m, p' = ⌊n / r⌋ mod m' (r steps share a weekly component): prediction w^ = level + season[p] + weekly[p'], surprise z = w − w^, then
/// level += α z, season[p] += γ(1−α) z, weekly[p'] += γ'(1−α) z, σ = (1−β) σ + β |z|
/// (α and γ the series' own once fitted, see <see cref="SeriesSmoothingFit"/>).
/// Features (length <see cref="Count"/>): 0 z/σ, 1 (w − w[t−m])/σ, 2 ln σ / 4, 3–4 sin/cos of the phase in
/// the season, 5–6 sin/cos of the phase in the week, 7 gap flag. Ratios are clipped to ±6.
/// The slot n of an observation is its timestamp over the series' step (the smallest spacing seen; bucket times
/// are multiples of it), so every phase comes from the timestamp: a gap of any length never shifts it, and a
/// replay of the history from its first slot (<see cref="SeriesState.HistoryFirstSlot"/>) sees the phases
/// serving saw. A gap the caller did not fill with NaN steps is filled in the history (never in the LSTM), so
/// the history stays one value per slot.
/// </remarks>
public static class SeriesFeatures
{
    /// <summary>I: features per step.</summary>
    public const int Count = 8;

    /// <summary>Smallest noise scale, so standardised values stay finite on flat series.</summary>
    public const double NoiseFloor = 1e-3;

    private const float Clip = 6f;

    /// <summary>
    /// Takes one observation (NaN = gap) at <paramref name="timestampMs"/>, after the last one, and advances the state;
    /// <paramref name="stepMs"/> is the series' step as its caller knows it (the worker's timeline), 0 takes the
    /// smallest spacing seen. Returns true and writes <paramref name="features"/> when the smoothing state was already
    /// initialised; returns false while the first season is still being collected.
    /// </summary>
    /// <exception cref="ArgumentException"><paramref name="features"/> is shorter than <see cref="Count"/>.</exception>
    public static bool Observe(SeriesState state, ForecastSettings settings, long timestampMs, double value, Span<float> features, long stepMs = 0)
    {
        if (features.Length < Count)
        {
            throw new ArgumentException($"Features need {Count} values, got {features.Length}.", nameof(features));
        }

        if (stepMs > 0)
        {
            state.StepMs = stepMs;
        }

        if (state.History.Count > 0 && timestampMs > state.LastTimestampMs)
        {
            var delta = timestampMs - state.LastTimestampMs;
            if (stepMs <= 0)
            {
                state.StepMs = state.History.Count == 1 ? delta : Math.Min(state.StepMs, delta);
            }

            if (state.Initialized)
            {
                var skipped = Math.Min((delta / state.StepMs) - 1, state.History.Capacity);
                for (var i = 0L; i < skipped; i++)
                {
                    state.History.Add(float.NaN);
                }
            }
        }

        state.History.Add((float)value);
        state.Steps++;
        state.LastTimestampMs = timestampMs;
        var slot = state.PhaseSlot(state.LastSlot);
        if (!state.Initialized)
        {
            if (state.History.Count == settings.Season)
            {
                Initialize(state, settings);
            }

            return false;
        }

        SeriesSmoothingFit.FitWhenDue(state, settings);
        var season = settings.Season;
        var seasonPhase = Phase(slot, season);
        var weekly = settings.WeeklySeason;
        var weeklyPhase = weekly > 0 ? WeeklyIndex(slot, settings) : 0;
        var sigma = state.Noise;
        var gap = double.IsNaN(value);
        double surprise = 0;
        if (!gap)
        {
            var w = ValueTransform.Forward(value, state.Scale);
            var predicted = state.Level + state.Season[seasonPhase] + (weekly > 0 ? state.Weekly[weeklyPhase] : 0);
            surprise = w - predicted;
            var (alpha, gamma) = SeriesSmoothingFit.Coefficients(state, settings);
            state.Level += alpha * surprise;
            state.Season[seasonPhase] += (float)(gamma * (1 - alpha) * surprise);
            if (weekly > 0)
            {
                state.Weekly[weeklyPhase] += (float)(settings.WeeklySmoothing * (1 - alpha) * surprise);
            }

            state.Noise = Math.Max(NoiseFloor, ((1 - settings.NoiseSmoothing) * sigma) + (settings.NoiseSmoothing * Math.Abs(surprise)));
            features[1] = SeasonalDifference(state, season, w, sigma);
        }
        else
        {
            features[1] = 0f;
        }

        features[0] = Clamp(surprise / sigma);
        features[2] = (float)Math.Clamp(Math.Log(state.Noise) / 4, -2, 1);
        var (dayPhase, weekPhase) = Phases(settings, slot, state.PhaseTimestamp(timestampMs));
        features[3] = MathF.Sin(2 * MathF.PI * dayPhase);
        features[4] = MathF.Cos(2 * MathF.PI * dayPhase);
        features[5] = MathF.Sin(2 * MathF.PI * weekPhase);
        features[6] = MathF.Cos(2 * MathF.PI * weekPhase);
        features[7] = gap ? 1f : 0f;
        return true;
    }

    /// <summary>
    /// The smoothing forecast in transformed space for step Steps − 1 + <paramref name="horizon"/> (horizon ≥ 1),
    /// as seen after the last observation.
    /// </summary>
    public static double BaseForecast(SeriesState state, ForecastSettings settings, int horizon)
    {
        var target = state.PhaseSlot(state.LastSlot + horizon);
        var value = state.Level + state.Season[Phase(target, settings.Season)];
        if (settings.WeeklySeason > 0)
        {
            value += state.Weekly[WeeklyIndex(target, settings)];
        }

        return value;
    }

    private static void Initialize(SeriesState state, ForecastSettings settings)
    {
        var season = settings.Season;
        Span<float> first = season <= 1024 ? stackalloc float[season] : new float[season];
        state.History.CopyTo(first);
        state.Scale = ValueTransform.ChooseScale(first);
        double sum = 0;
        var count = 0;
        foreach (var value in first)
        {
            if (!float.IsNaN(value))
            {
                sum += ValueTransform.Forward(value, state.Scale);
                count++;
            }
        }

        state.Level = count > 0 ? sum / count : 0;
        double diffs = 0;
        var diffCount = 0;
        var firstSlot = state.LastSlot - season + 1;
        for (var i = 0; i < season; i++)
        {
            var w = float.IsNaN(first[i]) ? double.NaN : ValueTransform.Forward(first[i], state.Scale);
            state.Season[Phase(state.PhaseSlot(firstSlot + i), season)] = double.IsNaN(w) ? 0f : (float)(w - state.Level);
            if (i > 0 && !double.IsNaN(w) && !float.IsNaN(first[i - 1]))
            {
                diffs += Math.Abs(w - ValueTransform.Forward(first[i - 1], state.Scale));
                diffCount++;
            }
        }

        state.Noise = Math.Max(NoiseFloor, diffCount > 0 ? diffs / diffCount : NoiseFloor);
        state.Initialized = true;
    }

    private static float SeasonalDifference(SeriesState state, int season, double w, double sigma)
    {
        if (state.History.Count <= season)
        {
            return 0f;
        }

        var before = state.History.Back(season);
        return float.IsNaN(before) ? 0f : Clamp((w - ValueTransform.Forward(before, state.Scale)) / sigma);
    }

    /// <summary><paramref name="slot"/> mod <paramref name="period"/>, in [0, period) for negative slots too.</summary>
    private static int Phase(long slot, long period) => (int)(((slot % period) + period) % period);

    /// <summary>The component of the second season at <paramref name="slot"/>: <see cref="ForecastSettings.WeeklyStride"/> slots share one.</summary>
    private static int WeeklyIndex(long slot, ForecastSettings settings)
    {
        var stride = settings.WeeklyStride;
        var block = Math.DivRem(slot, stride, out var rest) - (rest < 0 ? 1 : 0);
        return Phase(block, settings.WeeklySeason);
    }

    private static (float Day, float Week) Phases(ForecastSettings settings, long slot, long timestampMs)
    {
        if (settings.CalendarFeatures)
        {
            const long DayMs = 86_400_000;
            var dayIndex = Math.DivRem(timestampMs, DayMs, out var inDay);
            if (inDay < 0)
            {
                inDay += DayMs;
                dayIndex--;
            }

            var day = (float)inDay / DayMs;
            var weekday = (((dayIndex + 3) % 7) + 7) % 7; // 1970-01-01 was a Thursday; Monday = 0
            return (day, (weekday + day) / 7f);
        }

        var week = settings.WeeklySeason > 0 ? settings.WeeklyPeriod : 7L * settings.Season;
        return ((float)Phase(slot, settings.Season) / settings.Season, (float)Phase(slot, week) / week);
    }

    private static float Clamp(double ratio) => (float)Math.Clamp(ratio, -Clip, Clip);
}
