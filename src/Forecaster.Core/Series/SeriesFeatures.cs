using Forecaster.Core.Forecasting;

namespace Forecaster.Core.Series;

/// <summary>
/// The online update of one series by one observation, and the LSTM input it yields. The same code runs in
/// the worker, in the backtest and when training windows are built, so training and serving never disagree.
/// </summary>
/// <remarks>
/// Smoothing (additive in transformed space w = asinh(y/s), so multiplicative in y), at step t with phases
/// p = t mod m, p' = t mod m': prediction w^ = level + season[p] + weekly[p'], surprise z = w − w^, then
/// level += α z, season[p] += γ(1−α) z, weekly[p'] += γ'(1−α) z, σ = (1−β) σ + β |z|
/// (α and γ the series' own once fitted, see <see cref="SeriesSmoothingFit"/>).
/// Features (length <see cref="Count"/>): 0 z/σ, 1 (w − w[t−m])/σ, 2 ln σ / 4, 3–4 sin/cos of the phase in
/// the season, 5–6 sin/cos of the phase in the week, 7 gap flag. Ratios are clipped to ±6.
/// </remarks>
public static class SeriesFeatures
{
    /// <summary>I: features per step.</summary>
    public const int Count = 8;

    /// <summary>Smallest noise scale, so standardised values stay finite on flat series.</summary>
    public const double NoiseFloor = 1e-3;

    private const float Clip = 6f;

    /// <summary>
    /// Takes one observation at step <see cref="SeriesState.Steps"/> (NaN = gap) and advances the state.
    /// Returns true and writes <paramref name="features"/> when the smoothing state was already initialised;
    /// returns false while the first season is still being collected.
    /// </summary>
    /// <exception cref="ArgumentException"><paramref name="features"/> is shorter than <see cref="Count"/>.</exception>
    public static bool Observe(SeriesState state, ForecastSettings settings, long timestampMs, double value, Span<float> features)
    {
        if (features.Length < Count)
        {
            throw new ArgumentException($"Features need {Count} values, got {features.Length}.", nameof(features));
        }

        var step = state.Steps;
        state.History.Add((float)value);
        state.Steps = step + 1;
        if (step > 0 && timestampMs != state.LastTimestampMs)
        {
            state.StepMs = timestampMs - state.LastTimestampMs;
        }

        state.LastTimestampMs = timestampMs;
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
        var seasonPhase = (int)(step % season);
        var weekly = settings.WeeklySeason;
        var weeklyPhase = weekly > 0 ? (int)(step % weekly) : 0;
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
        var (dayPhase, weekPhase) = Phases(settings, step, timestampMs);
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
        var target = state.Steps - 1 + horizon;
        var value = state.Level + state.Season[(int)(target % settings.Season)];
        if (settings.WeeklySeason > 0)
        {
            value += state.Weekly[(int)(target % settings.WeeklySeason)];
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
        var firstStep = state.Steps - season;
        for (var i = 0; i < season; i++)
        {
            var w = float.IsNaN(first[i]) ? double.NaN : ValueTransform.Forward(first[i], state.Scale);
            state.Season[(int)((firstStep + i) % season)] = double.IsNaN(w) ? 0f : (float)(w - state.Level);
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

    private static (float Day, float Week) Phases(ForecastSettings settings, long step, long timestampMs)
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

        var week = settings.WeeklySeason > 0 ? settings.WeeklySeason : 7 * settings.Season;
        return ((float)(step % settings.Season) / settings.Season, (float)(step % week) / week);
    }

    private static float Clamp(double ratio) => (float)Math.Clamp(ratio, -Clip, Clip);
}
