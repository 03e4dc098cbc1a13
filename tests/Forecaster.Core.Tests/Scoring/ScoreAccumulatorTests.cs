using Forecaster.Core.Scoring;

namespace Forecaster.Core.Tests.Scoring;

public class ScoreAccumulatorTests
{
    [Fact]
    public void Means_are_taken_over_series()
    {
        var scores = new ScoreAccumulator();
        scores.Add([100, 100], [100, 100], 1);   // sMAPE 0, MASE 0
        scores.Add([100, 100], [50, 50], 10);    // sMAPE 66.67, MASE 5

        Assert.Equal(2, scores.Count);
        Assert.Equal(100.0 / 3, scores.Smape, 12);
        Assert.Equal(2.5, scores.Mase, 12);
        Assert.True(double.IsNaN(scores.Coverage));
    }

    [Fact]
    public void A_zero_scale_series_is_left_out_of_the_mase_mean_and_counted()
    {
        var scores = new ScoreAccumulator();
        scores.Add([10, 10], [12, 12], 1);
        scores.Add([10, 10], [12, 12], 0);

        Assert.Equal(2, scores.Count);
        Assert.Equal(1, scores.UndefinedMaseCount);
        Assert.Equal(2.0, scores.Mase, 12);
        Assert.Equal(200.0 * 2 / 22, scores.Smape, 12);
    }

    [Fact]
    public void Coverage_is_averaged_over_series_with_a_band()
    {
        var scores = new ScoreAccumulator();
        scores.Add([1, 2], [1, 2], 1, [0, 0], [3, 3]);     // 1.0
        scores.Add([1, 2], [1, 2], 1, [0, 0], [1.5, 1.5]); // 0.5

        Assert.Equal(0.75, scores.Coverage, 12);
        Assert.Equal(2, scores.CoverageCount);
    }

    [Fact]
    public void Adding_another_accumulator_is_adding_its_series_here()
    {
        var one = new ScoreAccumulator();
        one.Add([100, 100], [50, 50], 10);                 // sMAPE 66.67, MASE 5
        one.Add([1, 2], [1, 2], 1, [0, 0], [3, 3]);        // sMAPE 0, MASE 0, coverage 1
        var other = new ScoreAccumulator();
        other.Add([10, 10], [12, 12], 0);                  // sMAPE 18.18, MASE undefined
        other.Add([1, 2], [1, 2], 1, [0, 0], [1.5, 1.5]);  // sMAPE 0, MASE 0, coverage 0.5
        var all = new ScoreAccumulator();
        all.Add([100, 100], [50, 50], 10);
        all.Add([1, 2], [1, 2], 1, [0, 0], [3, 3]);
        all.Add([10, 10], [12, 12], 0);
        all.Add([1, 2], [1, 2], 1, [0, 0], [1.5, 1.5]);

        one.Add(other);

        Assert.Equal((all.Count, all.CoverageCount, all.UndefinedMaseCount), (one.Count, one.CoverageCount, one.UndefinedMaseCount));
        Assert.Equal(4, one.Count);
        Assert.Equal(all.Smape, one.Smape, 12);
        Assert.Equal(5.0 / 3, one.Mase, 12);
        Assert.Equal(0.75, one.Coverage, 12);
        Assert.Equal(2, other.Count);
    }

    [Fact]
    public void Empty_accumulator_reports_nan_and_owa_uses_data_set_means()
    {
        var empty = new ScoreAccumulator();
        Assert.True(double.IsNaN(empty.Smape));
        Assert.True(double.IsNaN(empty.Mase));

        var method = new ScoreAccumulator();
        method.Add([100, 100], [50, 50], 10);          // sMAPE 66.67, MASE 5
        var naive2 = new ScoreAccumulator();
        naive2.Add([100, 100], [25, 25], 10);          // sMAPE 120, MASE 7.5

        double expected = 0.5 * (((200.0 / 3) / 120) + (5 / 7.5));
        Assert.Equal(expected, method.Owa(naive2), 12);
    }
}
