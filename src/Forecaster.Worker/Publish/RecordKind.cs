namespace Forecaster.Worker.Publish;

/// <summary>What a record produced through the <see cref="RecordCollector"/> is: it decides which counters its delivery moves and whether a failure is the loop's.</summary>
internal enum RecordKind
{
    /// <summary>A forecast: its delivery releases its input offset; a failure is the commit protocol's to judge.</summary>
    Forecast,

    /// <summary>A dead letter: as a forecast.</summary>
    DeadLetter,

    /// <summary>A record of the state topic: its checkpoint's acknowledgements judge a failure (the checkpoint fails, the loop goes on).</summary>
    State,
}
