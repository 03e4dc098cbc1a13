using Forecaster.Core.Checkpoints;
using Forecaster.Core.Forecasting;
using Forecaster.Core.Series;

namespace Forecaster.Core.Tests.Checkpoints;

/// <summary>
/// A series record read under another hidden size, horizon count or history capacity (issue 15 item 9): refused
/// unless asked to carry it over; carried over, everything but the LSTM state survives (history cut to the new
/// ring's newest values, K-step pending entries only when K is unchanged); other season lengths stay refused.
/// </summary>
public class SeriesStateReshapeTests
{
    private static readonly ForecastSettings Saved = new() { Season = 8, WarmupPoints = 16, HistoryCapacity = 60, HiddenSize = 8, Horizons = 4 };

    private static SeriesState Stepped(int points)
    {
        var forecaster = new BatchForecaster(Saved, 1);
        var series = forecaster.CreateSeries();
        for (var t = 0; t < points; t++)
        {
            forecaster.Add(series, t * 60_000L, 100 + (30 * Math.Sin(2 * Math.PI * t / 8.0)) + (t % 5));
            forecaster.Step();
        }

        return series;
    }

    private static byte[] Serialize(SeriesState state, ForecastSettings settings)
    {
        var buffer = new byte[SeriesStateSerializer.MaxLength(settings)];
        return buffer[..SeriesStateSerializer.Write(state, settings, buffer)];
    }

    public static TheoryData<string> Changes => ["hidden", "horizons", "smaller history", "larger history"];

    private static ForecastSettings Changed(string change) => change switch
    {
        "hidden" => Saved with { HiddenSize = 16 },
        "horizons" => Saved with { Horizons = 6 },
        "smaller history" => Saved with { HistoryCapacity = 20 },
        _ => Saved with { HistoryCapacity = 200 },
    };

    [Theory]
    [MemberData(nameof(Changes))]
    public void A_record_of_another_shape_keeps_all_but_the_lstm_state(string change)
    {
        var settings = Changed(change);
        var old = Stepped(50);
        var bytes = Serialize(old, Saved);

        Assert.Throws<InvalidDataException>(() => SeriesStateSerializer.Read(bytes, settings, out _));
        var state = SeriesStateSerializer.Read(bytes, settings, reshape: true, out var consumed, out var reshaped);

        Assert.True(reshaped);
        Assert.Equal(bytes.Length, consumed);
        Assert.Equal(settings.HiddenSize, state.Hidden.Length);
        Assert.All(state.Hidden, h => Assert.Equal(0f, h));
        Assert.All(state.Cell, c => Assert.Equal(0f, c));
        Assert.Equal(old.CopyHistory()[^Math.Min(50, settings.HistoryCapacity)..], state.CopyHistory());
        Assert.Equal(settings.HistoryCapacity, state.History.Capacity);
        Assert.Equal((old.Steps, old.LastTimestampMs, old.StepMs, old.Initialized, old.InFallback, old.HasPreviousBand), (state.Steps, state.LastTimestampMs, state.StepMs, state.Initialized, state.InFallback, state.HasPreviousBand));
        Assert.Equal((old.Scale, old.Level, old.Noise, old.PreviousLower, old.PreviousMedian, old.PreviousUpper), (state.Scale, state.Level, state.Noise, state.PreviousLower, state.PreviousMedian, state.PreviousUpper));
        Assert.Equal(old.Season, state.Season);
        Assert.Equal(old.Anomaly.Mean, state.Anomaly.Mean);
        Assert.Equal(old.Anomaly.Samples, state.Anomaly.Samples);
        var (a, b) = (old.Accuracy, state.Accuracy);
        Assert.Equal((a.Samples, a.ModelScaledError, a.BaselineScaledError, a.ModelCoverage, a.NaiveScale), (b.Samples, b.ModelScaledError, b.BaselineScaledError, b.ModelCoverage, b.NaiveScale));
        Assert.Equal((a.ModelOneStepError, a.BaselineOneStepError), (b.ModelOneStepError, b.BaselineOneStepError)); // what decides the fallback is kept too
        Assert.Equal(a.OneStep, b.OneStep);
        Assert.Equal(settings.Horizons, b.Horizons);
        if (settings.Horizons == Saved.Horizons)
        {
            Assert.Equal(a.KStep, b.KStep);
        }
        else
        {
            Assert.All(b.KStep, v => Assert.True(float.IsNaN(v)));
        }

        // The carried state is a whole state of the new settings: it writes and reads back under them as is.
        var again = Serialize(state, settings);
        Assert.Equal(again, Serialize(SeriesStateSerializer.Read(again, settings, reshape: true, out _, out var twice), settings));
        Assert.False(twice);
    }

    [Fact]
    public void Another_season_length_stays_refused()
    {
        var bytes = Serialize(Stepped(30), Saved);
        var e = Assert.Throws<InvalidDataException>(() => SeriesStateSerializer.Read(bytes, Saved with { Season = 12 }, reshape: true, out _, out _));
        Assert.Contains("does not fit", e.Message, StringComparison.Ordinal);
    }
}
