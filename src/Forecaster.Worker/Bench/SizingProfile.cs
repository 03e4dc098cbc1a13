using Forecaster.Worker.Options;

namespace Forecaster.Worker.Bench;

/// <summary>
/// The settings <c>bench --sizing</c> measures a series with: the shipped defaults at a 60 s step (seasons of 24 and 0
/// steps), or, given a step, issue 11's default profile: seasons 1d and 1w and a 1h horizon in time at that step, with
/// the warm-up raised to one daily season (Core serves only after a season of points) and the history to what a retraining
/// replays, as <see cref="ForecastOptions.ToSettings()"/> and a series' model group get them (<see cref="Profiles.ModelShapes.Sized"/>).
/// </summary>
internal static class SizingProfile
{
    public static (ForecastOptions Forecast, SeriesOptions Series) For(int series, int hidden, long? stepSeconds)
    {
        var forecast = new ForecastOptions { HiddenSize = hidden };
        if (stepSeconds is { } step)
        {
            forecast.Seasons = ["1d", "1w"];
            forecast.Horizon = "1h";
            forecast.StepMs = step * 1000L; // ToSettings then raises warm-up and history as a model group's (ModelShapes.Sized)
        }

        var options = new SeriesOptions { StepSeconds = (int)(stepSeconds ?? 60), MaxSeriesPerShard = Math.Max(series, new SeriesOptions().MaxSeriesPerShard) };
        return (forecast, options);
    }
}
