using System.Reflection;
using System.Runtime.InteropServices;
using Confluent.Kafka;

namespace Forecaster.Worker.Demo;

/// <summary>
/// Creates topics on librdkafka's mock cluster with a chosen partition count (auto-created topics get 4,
/// and the mock refuses CreateTopics). Calls the mock API librdkafka exports (rdkafka_mock.h:
/// <c>rd_kafka_handle_mock_cluster</c>, <c>rd_kafka_mock_topic_create</c>) on the native handle of the
/// client that owns the mock (<c>test.mock.num.brokers</c>). Used by the benchmarks, which need more
/// partitions than 4 because the mock keeps at most 5 MiB of message sets per partition.
/// </summary>
internal static class MockTopics
{
    // Resolved by Resolve to the very file Confluent.Kafka loaded: it tries several builds in
    // runtimes/<rid>/native (librdkafka.so needs libsasl2; centos8-librdkafka.so does not) and keeps the
    // first that loads, so the default probe for "librdkafka" may fail or pick another copy.
    private const string Library = "forecaster-mock-librdkafka";

    static MockTopics() => NativeLibrary.SetDllImportResolver(typeof(MockTopics).Assembly, Resolve);

    /// <summary>Creates <paramref name="topic"/> with <paramref name="partitions"/> partitions on the mock cluster owned by <paramref name="host"/>.</summary>
    /// <exception cref="InvalidOperationException"><paramref name="host"/> owns no mock cluster, or the mock refused the topic (it exists already).</exception>
    public static void Create(IClient host, string topic, int partitions)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(partitions);
        // Handle.LibrdkafkaHandle is internal to Confluent.Kafka (a SafeHandle over rd_kafka_t*); reflection is
        // the only way to reach the rd_kafka_t* of an existing client.
        var property = typeof(Handle).GetProperty("LibrdkafkaHandle", BindingFlags.Instance | BindingFlags.NonPublic)
            ?? throw new InvalidOperationException("Confluent.Kafka's Handle has no LibrdkafkaHandle");
        var safe = (SafeHandle)(property.GetValue(host.Handle) ?? throw new InvalidOperationException("the client has no native handle"));
        var added = false;
        safe.DangerousAddRef(ref added);
        try
        {
            var mock = NativeMethods.rd_kafka_handle_mock_cluster(safe.DangerousGetHandle());
            if (mock == IntPtr.Zero)
            {
                throw new InvalidOperationException("the client owns no mock cluster (test.mock.num.brokers unset)");
            }

            var error = NativeMethods.rd_kafka_mock_topic_create(mock, topic, partitions, 1);
            if (error != 0)
            {
                throw new InvalidOperationException($"the mock cluster refused topic {topic} ({partitions} partitions): {(ErrorCode)error}");
            }
        }
        finally
        {
            if (added)
            {
                safe.DangerousRelease();
            }
        }
    }

    /// <summary>The librdkafka already mapped into this process (Linux: /proc/self/maps); dlopen of it returns the loaded handle.</summary>
    private static IntPtr Resolve(string name, Assembly assembly, DllImportSearchPath? paths)
    {
        if (name != Library)
        {
            return IntPtr.Zero;
        }

        var loaded = File.ReadLines("/proc/self/maps")
            .Select(line => line.IndexOf('/', StringComparison.Ordinal) is var at and >= 0 ? line[at..] : "")
            .FirstOrDefault(path => Path.GetFileName(path).EndsWith("librdkafka.so", StringComparison.Ordinal))
            ?? throw new InvalidOperationException("librdkafka is not loaded yet (create a Kafka client first)");
        return NativeLibrary.Load(loaded);
    }

    private static class NativeMethods
    {
        // DllImport, not LibraryImport: the source-generated stub needs AllowUnsafeBlocks in the whole project.
#pragma warning disable SYSLIB1054 // Use LibraryImport: see above; both signatures are blittable but the string.
        [DllImport(Library, CallingConvention = CallingConvention.Cdecl)]
        public static extern IntPtr rd_kafka_handle_mock_cluster(IntPtr rk);

        [DllImport(Library, CallingConvention = CallingConvention.Cdecl)]
        public static extern int rd_kafka_mock_topic_create(IntPtr mcluster, [MarshalAs(UnmanagedType.LPUTF8Str)] string topic, int partitionCount, int replicationFactor);
#pragma warning restore SYSLIB1054
    }
}
