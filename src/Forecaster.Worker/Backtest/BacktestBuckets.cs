using Forecaster.Worker.Ingest;
using Forecaster.Worker.Processing;

namespace Forecaster.Worker.Backtest;

/// <summary>
/// A series' raw points as the model steps of its profile, as the worker's buckets make them: a gauge's points in one step
/// (epoch ms over the step) aggregated as the profile says, a counter's as its per-second increase over the step (a fall is a
/// reset, counted from 0, as Prometheus' <c>rate()</c> does). A step without points is left out (the offline backtest indexes
/// values, not time).
/// </summary>
internal static class BacktestBuckets
{
    /// <summary>The value of every step that holds a point, in time order; the values themselves for a gauge already at its step.</summary>
    public static double[] Aggregate(long[] timestamps, double[] values, long rawStepMs, long stepMs, BucketAggregation aggregation, MetricKind? kind)
    {
        var counter = kind == MetricKind.Counter;
        if (!counter && stepMs <= rawStepMs)
        {
            return values;
        }

        var buckets = new List<double>();
        var bucket = long.MinValue;
        double sum = 0, last = 0, min = 0, max = 0;
        var count = 0;
        for (var i = counter ? 1 : 0; i < values.Length; i++)
        {
            var slot = Math.DivRem(timestamps[i], stepMs, out var remainder) - (remainder < 0 ? 1 : 0);
            if (slot != bucket && count > 0)
            {
                buckets.Add(Value());
                count = 0;
            }

            bucket = slot;
            var value = counter ? (values[i] >= values[i - 1] ? values[i] - values[i - 1] : values[i]) : values[i];
            (sum, last) = (count == 0 ? value : sum + value, value);
            (min, max) = count == 0 ? (value, value) : (Math.Min(min, value), Math.Max(max, value));
            count++;
        }

        if (count > 0)
        {
            buckets.Add(Value());
        }

        return [.. buckets];

        double Value() => counter ? sum / (stepMs / 1000.0) : aggregation switch
        {
            BucketAggregation.Last => last,
            BucketAggregation.Min => min,
            BucketAggregation.Max => max,
            BucketAggregation.Sum => sum,
            _ => sum / count,
        };
    }
}
