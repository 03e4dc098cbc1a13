namespace Forecaster.Core.Training;

/// <summary>How a retraining ended (the snake_case form is the metric label).</summary>
public enum RetrainOutcome
{
    /// <summary>The challenger beat the champion and the baseline on the held-out window: it should serve.</summary>
    Accepted,

    /// <summary>Too few series had enough history to train and validate.</summary>
    NotEnoughData,

    /// <summary>Training or validation produced NaN or infinity.</summary>
    NonFinite,

    /// <summary>The challenger did not beat the serving model.</summary>
    WorseThanChampion,

    /// <summary>The challenger did not beat the smoothing baseline.</summary>
    WorseThanBaseline,

    /// <summary>Cancelled (revoke or shutdown) before it finished.</summary>
    Cancelled,
}
