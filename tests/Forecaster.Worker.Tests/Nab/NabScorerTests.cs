using Forecaster.Worker.Nab;

namespace Forecaster.Worker.Tests.Nab;

public class NabScorerTests
{
    // 100 rows: rows 0-14 are probationary (⌊0.15 × 100⌋); one window of width 10 at rows 40-49.
    private const int Rows = 100;
    private static readonly NabWindow[] Window = [new(40, 49)];

    /// <summary>NAB's scaled sigmoid by hand: 2/(1 + e^{5x}) − 1.</summary>
    private static double Sigmoid(double x) => (2 / (1 + Math.Exp(5 * x))) - 1;

    private static double MaxTp => Sigmoid(-1);

    private static bool[] At(params int[] rows)
    {
        var detections = new bool[Rows];
        foreach (var row in rows)
        {
            detections[row] = true;
        }

        return detections;
    }

    private static double Standard(params int[] rows) => NabScorer.Score(Rows, Window, At(rows), NabProfile.Standard);

    [Fact]
    public void A_detection_at_the_window_start_earns_the_full_true_positive_weight()
    {
        // Position −(49 − 40 + 1)/10 = −1: the sigmoid's value at −1, divided by itself.
        Assert.Equal(1.0, Standard(40), 12);
    }

    [Fact]
    public void A_detection_at_the_window_end_earns_the_sigmoid_at_minus_one_tenth()
    {
        Assert.Equal(Sigmoid(-0.1) / MaxTp, Standard(49), 12);
    }

    [Fact]
    public void Only_the_first_detection_in_a_window_counts()
    {
        Assert.Equal(Sigmoid(-0.5) / MaxTp, Standard(45, 46, 49), 12);
    }

    [Fact]
    public void A_missed_window_costs_the_false_negative_weight_under_every_profile()
    {
        Assert.Equal(-1.0, Standard(), 12);
        Assert.Equal(-2.0, NabScorer.Score(Rows, Window, At(), NabProfile.RewardLowFn), 12);
    }

    [Fact]
    public void A_false_positive_before_any_window_costs_the_full_weight_and_after_one_less_the_closer_it_is()
    {
        Assert.Equal(-1.0 - 0.11, Standard(20), 12);
        Assert.Equal(-1.0 - 0.22, NabScorer.Score(Rows, Window, At(20), NabProfile.RewardLowFp), 12);
        // Ten rows past the right edge: |49 − 59|/(10 − 1).
        Assert.Equal(-1.0 + (0.11 * Sigmoid(10.0 / 9)), Standard(59), 12);
        Assert.Equal(1.0 + (0.11 * Sigmoid(1.0 / 9)), Standard(40, 50), 12);
    }

    [Fact]
    public void Detections_in_the_probationary_part_are_not_scored()
    {
        Assert.Equal(-1.0, Standard(3, 14), 12);
        Assert.Equal(-1.0 - 0.11, Standard(15), 12);
    }

    [Fact]
    public void The_null_detector_normalises_to_0_and_the_perfect_one_to_100()
    {
        var windows = new NabWindow[] { new(40, 49), new(70, 89) };
        var file = new NabFile("a.csv", new DateTime[Rows], new double[Rows], windows);
        var perfect = Trace(Rows, 40, 70);
        var benchmark = new NabBenchmark([new NabDetection(file, Trace(Rows), 60, 288, 0), new NabDetection(file, perfect, 60, 288, 0)]);
        var nullOnly = new NabBenchmark([new NabDetection(file, Trace(Rows), 60, 288, 0)]);
        var perfectOnly = new NabBenchmark([new NabDetection(file, perfect, 60, 288, 0)]);

        foreach (var profile in NabProfile.All)
        {
            Assert.Equal(0.0, nullOnly.Normalised(profile, 0.5), 9);
            Assert.Equal(100.0, perfectOnly.Normalised(profile, 0.5), 9);
            Assert.Equal(50.0, benchmark.Normalised(profile, 0.5), 9);
        }

        Assert.Equal(100.0, perfectOnly.Optimise(NabProfile.Standard).Score, 9);
    }

    /// <summary>A published trace whose likelihood is 1 at <paramref name="rows"/> and 0 elsewhere.</summary>
    private static ForecastTrace Trace(int rows, params int[] hits)
    {
        var trace = new ForecastTrace(rows);
        for (var i = 0; i < rows; i++)
        {
            trace.Published[i] = true;
            trace.Directions[i] = 1;
            trace.Likelihoods[i] = hits.Contains(i) ? 1 : 0;
        }

        return trace;
    }
}
