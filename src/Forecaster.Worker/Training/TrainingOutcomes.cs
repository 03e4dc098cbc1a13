using Forecaster.Core.Training;

namespace Forecaster.Worker.Training;

/// <summary>The <c>outcome</c> label of <c>forecaster_training_runs_total</c>: Core's outcomes in snake_case, plus the worker's own.</summary>
internal static class TrainingOutcomes
{
    public const string Accepted = "accepted";
    public const string NotEnoughData = "not_enough_data";
    public const string NonFinite = "non_finite";
    public const string WorseThanChampion = "worse_than_champion";
    public const string WorseThanBaseline = "worse_than_baseline";

    /// <summary>Abandoned on revoke, loss or shutdown.</summary>
    public const string Cancelled = "cancelled";

    /// <summary>Stopped by <c>Training:MaxSeconds</c> (the partial challenger is not evaluated).</summary>
    public const string TimedOut = "timed_out";

    /// <summary>The run threw (a bug; logged nowhere else, so it is counted).</summary>
    public const string Failed = "failed";

    public static readonly string[] All = [Accepted, NotEnoughData, NonFinite, WorseThanChampion, WorseThanBaseline, Cancelled, TimedOut, Failed];

    public static string Of(RetrainOutcome outcome) => outcome switch
    {
        RetrainOutcome.Accepted => Accepted,
        RetrainOutcome.NotEnoughData => NotEnoughData,
        RetrainOutcome.NonFinite => NonFinite,
        RetrainOutcome.WorseThanChampion => WorseThanChampion,
        RetrainOutcome.WorseThanBaseline => WorseThanBaseline,
        _ => Cancelled,
    };
}
