using System.Diagnostics;
using System.Globalization;
using Forecaster.Core.Forecasting;
using Forecaster.Core.Lstm;
using Forecaster.Worker.Ingest;
using Forecaster.Worker.Options;
using Forecaster.Worker.Processing;
using Forecaster.Worker.Publish;

namespace Forecaster.Worker.Bench;

/// <summary>
/// Where the consume thread's time goes per forecast, without Kafka: decode, offer (id, table, timeline,
/// features), the batched step (LSTM and head timed apart by running the same batch through
/// <see cref="LstmInference"/> alone), and record encoding, on one thread over warmed series.
/// </summary>
internal static class ShardBreakdown
{
    public static void Run(int series, int warmSteps, int steps, ForecastOptions forecast, int batch, TextWriter output)
    {
        var inv = CultureInfo.InvariantCulture;
        var input = new BenchInput(series);
        var sink = new EncodingSink(new ForecastRecordWriter(forecast.ModelName, forecast.Levels));
        var settings = forecast.ToSettings();
        var shard = new Shard(0, new SeriesOptions { StepSeconds = (int)(BenchInput.StepMs / 1000) }, settings, sink);
        var decoder = new RecordDecoder(new IngestOptions());
        var values = new byte[series][];
        long offset = 0;
        var decode = new Stopwatch();
        var offer = new Stopwatch();
        var flush = new Stopwatch();
        long timed = 0;
        long allocated = 0;
        for (var step = 0; step < warmSteps + steps; step++)
        {
            for (var s = 0; s < series; s++)
            {
                values[s] = input.Point(s, step).Value;
            }

            var timing = step >= warmSteps;
            if (timing && step == warmSteps)
            {
                sink.Reset();
            }

            var before = GC.GetAllocatedBytesForCurrentThread();
            for (var s = 0; s < series; s++)
            {
                if (timing)
                {
                    decode.Start();
                }

                decoder.Decode(values[s], InputFormat.Canonical, long.MaxValue / 2);
                if (timing)
                {
                    decode.Stop();
                    offer.Start();
                }

                shard.Offsets.Register(offset);
                shard.Offer(decoder.Record, decoder.Ids, 0, offset);
                shard.Offsets.Release(offset);
                offset++;
                if (timing)
                {
                    offer.Stop();
                    timed++;
                }

                if ((s + 1) % batch == 0 || s == series - 1)
                {
                    if (timing)
                    {
                        flush.Start();
                    }

                    shard.Flush();
                    if (timing)
                    {
                        flush.Stop();
                    }

                    shard.Offsets.TryAdvance(out _);
                }
            }

            if (timing)
            {
                allocated += GC.GetAllocatedBytesForCurrentThread() - before;
            }
        }

        var lstm = TimeLstm(shard.Forecaster.Model, settings, batch, (int)(timed / batch) + 1);
        var perPoint = (Stopwatch w) => w.Elapsed.TotalMicroseconds / timed;
        var rest = perPoint(flush) - sink.Micros(timed) - lstm;
        output.WriteLine(string.Create(inv, $"breakdown over {timed} points ({series} series after {warmSteps} warm steps, batches of {batch}), µs per point on one thread:"));
        output.WriteLine(string.Create(inv, $"  decode JSON point                {perPoint(decode),7:F2}"));
        output.WriteLine(string.Create(inv, $"  offer (id, table, timeline, add) {perPoint(offer),7:F2}"));
        output.WriteLine(string.Create(inv, $"  LSTM step + head (same batches)  {lstm,7:F2}"));
        output.WriteLine(string.Create(inv, $"  rest of the step (state, decode) {rest,7:F2}"));
        output.WriteLine(string.Create(inv, $"  encode forecast record           {sink.Micros(timed),7:F2}   ({sink.Bytes / (double)sink.Count:F0} B per record)"));
        output.WriteLine(string.Create(inv, $"  allocated on the timed points: {allocated / (double)timed:F1} B per point (input arrays made beforehand)"));
        output.WriteLine("  sample record: " + sink.Sample);
        output.WriteLine(string.Create(inv, $"  total                            {perPoint(decode) + perPoint(offer) + perPoint(flush),7:F2}   = {1e6 / (perPoint(decode) + perPoint(offer) + perPoint(flush)):F0} points/s"));
    }

    /// <summary>µs per series of <see cref="LstmInference.Step"/> at batch <paramref name="batch"/>.</summary>
    private static double TimeLstm(ForecastModel model, ForecastSettings settings, int batch, int rounds)
    {
        var shape = ModelFactory.ShapeFor(settings);
        var workspace = new InferenceWorkspace(shape, batch);
        var inputs = new float[batch * shape.InputSize];
        var hidden = new float[batch * shape.HiddenSize];
        var cell = new float[batch * shape.HiddenSize];
        var outputs = new float[batch * shape.OutputSize];
        LstmInference.Step(model, workspace, batch, inputs, hidden, cell, outputs);
        var clock = Stopwatch.StartNew();
        for (var r = 0; r < rounds; r++)
        {
            hidden.AsSpan().Clear();
            cell.AsSpan().Clear();
            LstmInference.Step(model, workspace, batch, inputs, hidden, cell, outputs);
        }

        return clock.Elapsed.TotalMicroseconds / ((double)rounds * batch);
    }

    private sealed class EncodingSink(ForecastRecordWriter writer) : IForecastSink
    {
        private readonly Stopwatch _clock = new();

        public long Count { get; private set; }
        public long Bytes { get; private set; }
        public string? Sample { get; private set; }

        public double Micros(long points) => _clock.Elapsed.TotalMicroseconds / points;

        public void Reset()
        {
            _clock.Reset();
            Count = Bytes = 0;
            Sample = null;
        }

        public void Publish(Shard shard, SeriesEntry series, long originMs, BatchForecaster forecaster, int slot, long offset, OffsetTracker offsets)
        {
            _clock.Start();
            var record = writer.Write(series, originMs, forecaster, slot);
            _clock.Stop();
            Bytes += record.Length;
            Sample ??= System.Text.Encoding.UTF8.GetString(record);
            Count++;
        }
    }
}
