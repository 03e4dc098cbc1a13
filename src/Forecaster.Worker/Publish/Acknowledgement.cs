using Confluent.Kafka;
using Forecaster.Worker.Processing;

namespace Forecaster.Worker.Publish;

/// <summary>A delivery report handed from the producer's thread to the consume loop.</summary>
internal readonly record struct Acknowledgement(OffsetTracker Offsets, long SourceOffset, bool DeadLetter, Error? Error);
