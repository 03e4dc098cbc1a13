using Confluent.Kafka;

namespace Forecaster.Worker.Publish;

/// <summary>
/// One record in flight: who waits for it and with which token. Its delivery handler, made once per instance,
/// runs on the producer's thread and only queues the instance with its error; the <see cref="RecordCollector"/>
/// applies it on the consume thread and reuses it, so producing allocates no handler per record.
/// </summary>
internal sealed class PendingDelivery
{
    private readonly Action<PendingDelivery> _arrived;

    public PendingDelivery(Action<PendingDelivery> arrived)
    {
        _arrived = arrived;
        Handler = OnReport;
    }

    /// <summary>The delivery handler to produce with.</summary>
    public Action<DeliveryReport<byte[], byte[]>> Handler { get; }

    public IDeliveryReceiver Receiver { get; private set; } = null!;

    public long Token { get; private set; }

    public RecordKind Kind { get; private set; }

    /// <summary>The report's error (null: delivered), set on the producer's thread before the instance is queued.</summary>
    public Error? Error { get; private set; }

    public PendingDelivery For(IDeliveryReceiver receiver, long token, RecordKind kind)
    {
        Receiver = receiver;
        Token = token;
        Kind = kind;
        Error = null;
        return this;
    }

    private void OnReport(DeliveryReport<byte[], byte[]> report)
    {
        Error = report.Error.IsError ? report.Error : null;
        _arrived(this);
    }
}
