namespace Forecaster.Worker.Backtest;

/// <summary>One series of a long-format file as read: its good points in time order (epoch ms, strictly increasing) and the line of its first row.</summary>
internal sealed record LongFormatSeries(string Id, int FirstLine, long[] Timestamps, double[] Values);
