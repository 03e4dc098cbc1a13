using Forecaster.Core.Lstm;
using Forecaster.Core.Training;

namespace Forecaster.Core.Tests.Training;

public class PinballLossTests
{
    private static readonly ModelShape Shape = new(InputSize: 1, HiddenSize: 1, Horizons: 2, Quantiles: 2);
    private static readonly float[] Levels = [0.1f, 0.9f];

    [Fact]
    public void Value_and_gradient_match_a_hand_computation_and_ignore_absent_targets()
    {
        // Two rows; row 1 horizon 0 is absent (NaN target). Outputs per row: [k0q0, k0q1, k1q0, k1q1].
        float[] predictions = [1f, 3f, 0f, 0f, 9f, 9f, 5f, 7f];
        float[] targets = [2f, -1f, float.NaN, 6f];
        float[] mask = [1f, 1f, 0f, 1f];
        // Row 0, k0 (t=2): u=1 → 0.1; u=-1 → 0.1.  Row 0, k1 (t=-1): u=-1 → 0.9; u=-1 → 0.1.
        // Row 1, k1 (t=6): u=1 → 0.1; u=-1 → 0.1.  Sum 1.4 over 3 present × 2 levels.
        var d = new float[8];
        var loss = PinballLoss.ValueAndGradient(Shape, 2, Levels, predictions, targets, mask, d);
        Assert.Equal(1.4 / 6, loss, 1e-6);
        Assert.Equal(loss, PinballLoss.Value(Shape, 2, Levels, predictions, targets, mask), 1e-12);
        float[] expected = [-0.1f / 6, 0.1f / 6, 0.9f / 6, 0.1f / 6, 0f, 0f, -0.1f / 6, 0.1f / 6];
        for (var i = 0; i < 8; i++)
        {
            Assert.Equal(expected[i], d[i], 1e-7f);
        }
    }

    [Fact]
    public void Gradient_matches_finite_differences_away_from_kinks()
    {
        var shape = new ModelShape(1, 1, Horizons: 3, Quantiles: 3);
        float[] levels = [0.2f, 0.5f, 0.7f];
        const int rows = 4;
        var predictions = Lstm.SeededData.Floats(90, rows * 9);
        var targets = Lstm.SeededData.Floats(91, rows * 3, 2f);
        float[] mask = [1, 1, 0, 1, 0, 1, 1, 1, 1, 0, 0, 1];
        var d = new float[rows * 9];
        PinballLoss.ValueAndGradient(shape, rows, levels, predictions, targets, mask, d);
        const float epsilon = 1e-3f;
        for (var i = 0; i < predictions.Length; i++)
        {
            var saved = predictions[i];
            predictions[i] = saved + epsilon;
            var up = PinballLoss.Value(shape, rows, levels, predictions, targets, mask);
            predictions[i] = saved - epsilon;
            var down = PinballLoss.Value(shape, rows, levels, predictions, targets, mask);
            predictions[i] = saved;
            Assert.Equal((up - down) / (2 * epsilon), d[i], 1e-4);
        }
    }

    [Fact]
    public void Wide_rows_match_a_plain_loop_with_absent_NaN_targets()
    {
        // 21 outputs per row: the vectorised path (two 8-wide chunks and a 5-wide tail where AVX2 exists).
        var shape = new ModelShape(1, 1, Horizons: 7, Quantiles: 3);
        float[] levels = [0.1f, 0.5f, 0.9f];
        const int rows = 5;
        var predictions = Lstm.SeededData.Floats(92, rows * 21);
        var targets = Lstm.SeededData.Floats(93, rows * 7, 2f);
        var mask = new float[rows * 7];
        for (var i = 0; i < mask.Length; i++)
        {
            mask[i] = i % 4 == 1 ? 0f : 1f;
            targets[i] = mask[i] == 0f ? float.NaN : targets[i];
        }

        var d = new float[rows * 21];
        var loss = PinballLoss.ValueAndGradient(shape, rows, levels, predictions, targets, mask, d);
        var scale = 1f / (mask.Count(v => v != 0f) * 3);
        double sum = 0;
        var present = 0;
        for (var r = 0; r < rows; r++)
        {
            for (var j = 0; j < 21; j++)
            {
                var k = (r * 7) + (j / 3);
                float tau = levels[j % 3], expectedGradient = 0f;
                if (mask[k] != 0f)
                {
                    var u = targets[k] - predictions[(r * 21) + j];
                    sum += u > 0f ? tau * u : (tau - 1f) * u;
                    present++;
                    expectedGradient = u > 0f ? -tau : 1f - tau;
                }

                Assert.Equal(expectedGradient * scale, d[(r * 21) + j]);
            }
        }

        Assert.Equal(sum / present, loss, 1e-6);
    }

    [Fact]
    public void No_target_present_gives_zero_and_short_spans_are_refused()
    {
        var d = new float[8];
        Array.Fill(d, 5f);
        Assert.Equal(0.0, PinballLoss.ValueAndGradient(Shape, 2, Levels, new float[8], new float[4], new float[4], d));
        Assert.All(d, v => Assert.Equal(0f, v));
        var ex = Assert.Throws<ArgumentException>(() => PinballLoss.ValueAndGradient(Shape, 2, Levels, new float[8], new float[4], new float[4], new float[7]));
        Assert.Contains("Destination too short", ex.Message, StringComparison.Ordinal);
        Assert.Throws<ArgumentException>(() => PinballLoss.Value(Shape, 2, Levels, new float[7], new float[4], new float[4]));
        Assert.Throws<ArgumentException>(() => PinballLoss.Value(Shape, 2, [0.5f], new float[8], new float[4], new float[4]));
    }
}
