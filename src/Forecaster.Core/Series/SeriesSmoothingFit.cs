using System.Buffers;
using Forecaster.Core.Forecasting;

namespace Forecaster.Core.Series;

/// <summary>
/// Per-series smoothing coefficients (<see cref="ForecastSettings.PerSeriesSmoothing"/>): once a series has
/// <see cref="ForecastSettings.SmoothingFitPoints"/> values in its history, the level weight α and the season
/// weight γ are chosen from a small grid as the pair whose smoothing forecasts had the least absolute error over
/// that history (in transformed space, the same recursion as <see cref="SeriesFeatures"/>, the weekly weight kept
/// global): at lead 1 from every step when <see cref="ForecastSettings.SmoothingFitLeads"/> is 1, else at leads
/// 1 to L (L = SmoothingFitLeads, or Horizons when 0) from every Season-th step.
/// <see cref="ForecastSettings.SmoothingFitWeights"/> can hold one of the two at its global value.
/// From then on the series smooths with its own pair; before, and with the setting off, the global ones serve.
/// </summary>
/// <remarks>
/// The fit runs once per series state (a state restored from a record without coefficients fits at its next
/// observation). It allocates nothing for histories and seasons up to <see cref="StackLimit"/> values and
/// rents beyond. The surprises of the first two seasons are not counted (initialisation settles there).
/// </remarks>
public static class SeriesSmoothingFit
{
    /// <summary>Values up to which the replay buffers live on the stack.</summary>
    public const int StackLimit = 2048;

    /// <summary>Candidate level weights α (the global default 0.05 among them).</summary>
    public static ReadOnlySpan<float> LevelGrid => [0.005f, 0.01f, 0.02f, 0.05f, 0.1f, 0.2f, 0.35f];

    /// <summary>Candidate season weights γ (the global default 0.4 among them).</summary>
    public static ReadOnlySpan<float> SeasonGrid => [0f, 0.05f, 0.1f, 0.2f, 0.4f, 0.6f, 0.8f];

    /// <summary>The level and season weights <paramref name="state"/> smooths with now.</summary>
    public static (float Level, float Season) Coefficients(SeriesState state, ForecastSettings settings) =>
        state.SmoothingFitted ? (state.LevelSmoothing, state.SeasonSmoothing) : (settings.LevelSmoothing, settings.SeasonSmoothing);

    /// <summary>Fits the state's coefficients when the setting is on, the state initialised and not yet fitted, and enough history is held.</summary>
    internal static void FitWhenDue(SeriesState state, ForecastSettings settings)
    {
        if (!settings.PerSeriesSmoothing || state.SmoothingFitted || !state.Initialized || state.History.Count < settings.SmoothingFitPoints)
        {
            return;
        }

        var count = state.History.Count;
        double[]? rented = null;
        var transformed = count <= StackLimit ? stackalloc double[count] : (rented = ArrayPool<double>.Shared.Rent(count)).AsSpan(0, count);
        for (var i = 0; i < count; i++)
        {
            var value = state.History.Back(count - 1 - i);
            transformed[i] = float.IsNaN(value) ? double.NaN : ValueTransform.Forward(value, state.Scale);
        }

        var (level, season) = Choose(transformed, state.Steps - count, settings);
        state.LevelSmoothing = level;
        state.SeasonSmoothing = season;
        state.SmoothingFitted = true;
        if (rented is not null)
        {
            ArrayPool<double>.Shared.Return(rented);
        }
    }

    /// <summary>
    /// The grid pair with the least summed absolute forecast error over <paramref name="transformed"/>
    /// (values already in transformed space, NaN = gap; the first is step <paramref name="firstStep"/>).
    /// Ties go to the earlier pair; a history too short to score keeps the global pair.
    /// </summary>
    public static (float Level, float Season) Choose(ReadOnlySpan<double> transformed, long firstStep, ForecastSettings settings)
    {
        ArgumentNullException.ThrowIfNull(settings);
        var best = (settings.LevelSmoothing, settings.SeasonSmoothing);
        if (transformed.Length <= 2 * settings.Season)
        {
            return best;
        }

        var seasonLength = settings.Season;
        var weeklyLength = settings.WeeklySeason;
        float[]? rented = null;
        var buffer = seasonLength + weeklyLength <= StackLimit
            ? stackalloc float[seasonLength + weeklyLength]
            : (rented = ArrayPool<float>.Shared.Rent(seasonLength + weeklyLength)).AsSpan(0, seasonLength + weeklyLength);
        var bestError = double.PositiveInfinity;
        var fitted = settings.SmoothingFitWeights;
        ReadOnlySpan<float> levels = fitted == SmoothingWeights.Season ? [settings.LevelSmoothing] : LevelGrid;
        ReadOnlySpan<float> seasons = fitted == SmoothingWeights.Level ? [settings.SeasonSmoothing] : SeasonGrid;
        foreach (var alpha in levels)
        {
            foreach (var gamma in seasons)
            {
                var error = Replay(transformed, firstStep, settings, alpha, gamma, buffer[..seasonLength], buffer[seasonLength..]);
                if (error < bestError)
                {
                    bestError = error;
                    best = (alpha, gamma);
                }
            }
        }

        if (rented is not null)
        {
            ArrayPool<float>.Shared.Return(rented);
        }

        return best;
    }

    private static double Replay(ReadOnlySpan<double> w, long firstStep, ForecastSettings settings, float alpha, float gamma, Span<float> season, Span<float> weekly)
    {
        var m = settings.Season;
        var leads = settings.SmoothingFitLeads > 0 ? settings.SmoothingFitLeads : settings.Horizons;
        double sum = 0;
        var count = 0;
        for (var i = 0; i < m; i++)
        {
            if (!double.IsNaN(w[i]))
            {
                sum += w[i];
                count++;
            }
        }

        var level = count > 0 ? sum / count : 0;
        for (var i = 0; i < m; i++)
        {
            season[(int)((firstStep + i) % m)] = double.IsNaN(w[i]) ? 0f : (float)(w[i] - level);
        }

        weekly.Clear();
        var weeklyLength = weekly.Length;
        var weeklyGamma = settings.WeeklySmoothing;
        double error = 0;
        for (var i = m; i < w.Length; i++)
        {
            if (double.IsNaN(w[i]))
            {
                continue;
            }

            var step = firstStep + i;
            var p = (int)(step % m);
            var q = weeklyLength > 0 ? (int)(step % weeklyLength) : 0;
            var surprise = w[i] - (level + season[p] + (weeklyLength > 0 ? weekly[q] : 0));
            if (leads == 1 && i >= 2 * m)
            {
                error += Math.Abs(surprise);
            }

            level += alpha * surprise;
            season[p] += (float)(gamma * (1 - alpha) * surprise);
            if (weeklyLength > 0)
            {
                weekly[q] += (float)(weeklyGamma * (1 - alpha) * surprise);
            }

            if (leads > 1 && i >= 2 * m && (i - (2 * m)) % m == 0)
            {
                error += LeadErrors(w, firstStep, i, Math.Min(leads, w.Length - 1 - i), level, season, weekly);
            }
        }

        return error;
    }

    /// <summary>Summed absolute error of the smoothing forecasts from origin <paramref name="origin"/> at leads 1 to <paramref name="leads"/>.</summary>
    private static double LeadErrors(ReadOnlySpan<double> w, long firstStep, int origin, int leads, double level, ReadOnlySpan<float> season, ReadOnlySpan<float> weekly)
    {
        double error = 0;
        for (var h = 1; h <= leads; h++)
        {
            var target = origin + h;
            if (double.IsNaN(w[target]))
            {
                continue;
            }

            var step = firstStep + target;
            var forecast = level + season[(int)(step % season.Length)] + (weekly.Length > 0 ? weekly[(int)(step % weekly.Length)] : 0);
            error += Math.Abs(w[target] - forecast);
        }

        return error;
    }
}

/// <summary>Which smoothing weights <see cref="SeriesSmoothingFit"/> chooses per series (the other keeps its global value).</summary>
public enum SmoothingWeights
{
    /// <summary>Level weight α and season weight γ.</summary>
    Both,

    /// <summary>The level weight α only.</summary>
    Level,

    /// <summary>The season weight γ only.</summary>
    Season,
}
