using System.Globalization;
using System.Text;
using BenchmarkDotNet.Attributes;
using Forecaster.Worker.Ingest;
using Forecaster.Worker.Options;

namespace Forecaster.Benchmarks;

/// <summary>
/// Decoding per data point, as the router does it (decode the record, then load and check each point:
/// labels through the allow-list, sort, limits, series id): OTLP protobuf and OTLP JSON requests of 1,000 points
/// against the canonical JSON decoder on 1,000 one-point records (the baseline). One operation = one data point.
/// </summary>
[MemoryDiagnoser]
[MedianColumn]
public class OtlpDecodeBenchmarks
{
    private const int Points = 1000;
    private const long Now = 1_764_100_800_000;

    private readonly RecordDecoder _decoder = new(new IngestOptions());
    private byte[] _proto = [];
    private byte[] _json = [];
    private byte[][] _canonical = [];

    [GlobalSetup]
    public void Setup()
    {
        _proto = OtlpPayloads.Protobuf(metrics: 10, pointsPerMetric: Points / 10);
        _json = OtlpPayloads.Json(metrics: 10, pointsPerMetric: Points / 10);
        _canonical = [.. Enumerable.Range(0, Points).Select(p => Encoding.UTF8.GetBytes(string.Create(CultureInfo.InvariantCulture,
            $$"""{"metric":"http_server_metric_{{p / 100}}","labels":{"route":"/api/v{{p % 7}}","method":"GET","instance":"i{{p}}","service_name":"checkout","host_name":"node-17"},"ts":{{Now - 10_000}},"value":{{1000.5 + p}}}""")))];
    }

    [Benchmark(Baseline = true, OperationsPerInvoke = Points)]
    public int CanonicalJson()
    {
        var fields = 0;
        foreach (var record in _canonical)
        {
            if (_decoder.Decode(record, InputFormat.Canonical, Now) is null)
            {
                fields += _decoder.Record.FieldCount;
            }
        }

        return fields;
    }

    [Benchmark(OperationsPerInvoke = Points)]
    public int OtlpProto() => DecodeAll(_proto, InputFormat.OtlpProto);

    [Benchmark(OperationsPerInvoke = Points)]
    public int OtlpJson() => DecodeAll(_json, InputFormat.OtlpJson);

    private int DecodeAll(byte[] value, InputFormat format)
    {
        var fields = 0;
        if (_decoder.Decode(value, format, Now) is not null)
        {
            throw new InvalidOperationException("benchmark payload refused");
        }

        for (var i = 0; i < _decoder.PointCount; i++)
        {
            if (_decoder.LoadPoint(value, i, Now) is null)
            {
                fields += _decoder.Record.FieldCount;
            }
        }

        return fields == Points ? fields : throw new InvalidOperationException($"{fields} of {Points} points decoded");
    }
}
