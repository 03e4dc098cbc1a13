using Forecaster.Core.Forecasting;
using Forecaster.Core.Series;

namespace Forecaster.Core.Training;

/// <summary>
/// One series replayed through the online feature code (<see cref="SeriesFeatures"/>), as training material:
/// per step the LSTM input and the K standardised targets the head should have forecast there.
/// Rows start at the first step that has features (step <see cref="ForecastSettings.Season"/>).
/// </summary>
/// <remarks>
/// Target k of row t: (w[t+k] − base[t,k]) / σ[t], where base is the smoothing forecast and σ the noise scale
/// as the series state held them right after step t. Missing (t+k past the end, or a gap) → mask 0.
/// </remarks>
public sealed class TrainingSeries
{
    private TrainingSeries(int rows, int inputSize, int horizons)
    {
        Rows = rows;
        Inputs = new float[rows * inputSize];
        Targets = new float[rows * horizons];
        Mask = new float[rows * horizons];
    }

    /// <summary>Rows (steps with features).</summary>
    public int Rows { get; }

    /// <summary>[Rows, I] LSTM inputs.</summary>
    public float[] Inputs { get; }

    /// <summary>[Rows, K] standardised targets.</summary>
    public float[] Targets { get; }

    /// <summary>[Rows, K] 1 where the target exists, 0 otherwise.</summary>
    public float[] Mask { get; }

    /// <summary>
    /// Replays <paramref name="values"/> (NaN = gap) taken at <paramref name="timestampsMs"/> (or, when empty, at
    /// slots <paramref name="firstStep"/> + i of step <paramref name="stepMs"/>: the phases a <see cref="HistoryAxis"/> gives),
    /// with the seasons in <paramref name="zone"/>'s local time (null: UTC), as the series was served.
    /// </summary>
    /// <exception cref="ArgumentException">The timestamps are neither empty nor as many as the values.</exception>
    public static TrainingSeries Build(ReadOnlySpan<float> values, ReadOnlySpan<long> timestampsMs, ForecastSettings settings, long firstStep = 0, long stepMs = 1, UtcOffsets? zone = null)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(stepMs, 1);
        ArgumentNullException.ThrowIfNull(settings);
        if (!timestampsMs.IsEmpty && timestampsMs.Length != values.Length)
        {
            throw new ArgumentException($"{timestampsMs.Length} timestamps for {values.Length} values.", nameof(timestampsMs));
        }

        var horizons = settings.Horizons;
        var first = settings.Season;
        var data = new TrainingSeries(Math.Max(0, values.Length - first), SeriesFeatures.Count, horizons);
        var state = new SeriesState(settings with { HistoryCapacity = Math.Max(settings.HistoryCapacity, settings.Season + 1) }) { Steps = firstStep, Zone = zone };
        var noise = new double[data.Rows];
        Span<float> features = stackalloc float[SeriesFeatures.Count];
        for (var t = 0; t < values.Length; t++)
        {
            var timestamp = timestampsMs.IsEmpty ? (firstStep + t) * stepMs : timestampsMs[t];
            if (!SeriesFeatures.Observe(state, settings, timestamp, values[t], features, timestampsMs.IsEmpty ? stepMs : 0))
            {
                continue;
            }

            var row = t - first;
            features.CopyTo(data.Inputs.AsSpan(row * SeriesFeatures.Count));
            noise[row] = state.Noise;
            for (var k = 0; k < horizons; k++)
            {
                data.Targets[(row * horizons) + k] = (float)SeriesFeatures.BaseForecast(state, settings, k + 1);
            }
        }

        for (var row = 0; row < data.Rows; row++)
        {
            for (var k = 0; k < horizons; k++)
            {
                var index = (row * horizons) + k;
                var future = row + first + k + 1;
                var value = future < values.Length ? values[future] : float.NaN;
                if (float.IsNaN(value))
                {
                    data.Targets[index] = 0f;
                    continue;
                }

                var w = ValueTransform.Forward(value, state.Scale);
                data.Targets[index] = (float)((w - data.Targets[index]) / noise[row]);
                data.Mask[index] = 1f;
            }
        }

        return data;
    }
}
