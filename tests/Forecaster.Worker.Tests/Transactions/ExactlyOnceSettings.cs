using Forecaster.Worker.Options;
using Forecaster.Worker.Tests.Checkpoints;

namespace Forecaster.Worker.Tests.Transactions;

/// <summary>Exactly-once settings for the tests; <see cref="StateWorker"/> runs the loop (its commit fault hook injects failures).</summary>
internal static class ExactlyOnceSettings
{
    /// <summary>
    /// Exactly-once options with their own topics. The producer lingers for 30 s: a commit sends what
    /// its transaction holds at once, while an aborted transaction's records never leave the process. The
    /// mock broker shows aborted records to read_committed readers (it keeps no transaction index), so this
    /// is what makes an abort observable on it.
    /// </summary>
    public static KafkaOptions Kafka(string bootstrap, string prefix)
    {
        var kafka = StateWorker.Kafka(bootstrap, prefix);
        kafka.ExactlyOnce = true;
        kafka.TransactionalId = prefix + "-tx";
        kafka.TransactionIntervalMs = 100;
        kafka.Client["linger.ms"] = "30000";
        return kafka;
    }
}
