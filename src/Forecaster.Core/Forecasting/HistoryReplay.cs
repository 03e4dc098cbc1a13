namespace Forecaster.Core.Forecasting;

/// <summary>The forecast a series gets after its whole history has been replayed through a forecaster.</summary>
/// <param name="Status">Which model produced it.</param>
/// <param name="Quantiles">[K*Q] horizon-major quantiles in original units.</param>
public sealed record ReplayedForecast(SeriesStatus Status, double[] Quantiles);

/// <summary>
/// Replays many histories through one <see cref="BatchForecaster"/>, point by point as the worker would receive
/// them, batching the series that share a step; histories are aligned at their last value.
/// </summary>
public static class HistoryReplay
{
    /// <summary>
    /// Feeds every history (NaN = gap; step index as timestamp unless <paramref name="timestampsMs"/> or
    /// <paramref name="axes"/> is given) and returns each series' forecast issued at its last value.
    /// </summary>
    /// <exception cref="ArgumentException">A history is empty, or the timestamps or axes do not match the histories.</exception>
    public static ReplayedForecast[] Run(BatchForecaster forecaster, IReadOnlyList<float[]> histories, IReadOnlyList<long[]>? timestampsMs = null, IReadOnlyList<HistoryAxis>? axes = null)
    {
        if (axes is not null && axes.Count != histories?.Count)
        {
            throw new ArgumentException($"{axes.Count} axes for {histories?.Count} histories.", nameof(axes));
        }

        ArgumentNullException.ThrowIfNull(forecaster);
        ArgumentNullException.ThrowIfNull(histories);
        var longest = 0;
        for (var i = 0; i < histories.Count; i++)
        {
            if (histories[i].Length == 0)
            {
                throw new ArgumentException($"History {i} is empty.", nameof(histories));
            }

            if (timestampsMs is not null && timestampsMs[i].Length != histories[i].Length)
            {
                throw new ArgumentException($"History {i} has {histories[i].Length} values and {timestampsMs[i].Length} timestamps.", nameof(timestampsMs));
            }

            longest = Math.Max(longest, histories[i].Length);
        }

        var states = new Series.SeriesState[histories.Count];
        for (var i = 0; i < states.Length; i++)
        {
            states[i] = forecaster.CreateSeries();
            states[i].Zone = axes?[i].Zone;
        }

        var results = new ReplayedForecast[histories.Count];
        var slotOwner = new int[forecaster.MaxBatch];
        for (var step = 0; step < longest; step++)
        {
            var first = 0;
            while (first < histories.Count)
            {
                var used = 0;
                var i = first;
                for (; i < histories.Count && used < forecaster.MaxBatch; i++)
                {
                    var history = histories[i];
                    var index = step - (longest - history.Length);
                    if (index < 0)
                    {
                        continue;
                    }

                    var timestamp = timestampsMs is not null ? timestampsMs[i][index] : axes is not null ? axes[i].Timestamp(index) : index;
                    slotOwner[forecaster.Add(states[i], timestamp, history[index], axes is not null ? axes[i].StepMs : 0)] = i;
                    used++;
                }

                forecaster.Step();
                if (step == longest - 1)
                {
                    for (var slot = 0; slot < forecaster.ResultCount; slot++)
                    {
                        results[slotOwner[slot]] = new ReplayedForecast(forecaster.Status(slot), forecaster.Quantiles(slot).ToArray());
                    }
                }

                first = i;
            }
        }

        return results;
    }
}
