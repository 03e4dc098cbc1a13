using System.Buffers.Binary;
using Forecaster.Core.Anomaly;
using Forecaster.Core.Forecasting;
using Forecaster.Core.Series;

namespace Forecaster.Core.Checkpoints;

/// <summary>
/// The binary record of one <see cref="SeriesState"/>, written in format 4 and read in formats 1 to 5 and in any newer
/// format that declares itself readable by a format-5 reader. All numbers are little-endian:
/// <code>
/// magic            8 bytes   ASCII "FCSTSERS"
/// format version   int32     of the build that wrote it (3, 2 and 1 are still read: 3 has no one-step error block,
///                            whose errors then start from the pooled ones; 2 has no smoothing-weights block either,
///                            so the series fits or uses the global weights; 1 has no anomaly block either, which then
///                            starts empty)
/// shape            5 × int32 HiddenSize, Season, WeeklySeason, HistoryCapacity, Horizons
/// readable from    int32     (5 and newer) the oldest reader format that reads this record: 5 while every field a newer
///                            format adds sits in the extension and the fields before it keep their meaning
/// counters         3 × int64 Steps, LastTimestampMs, StepMs
/// flags            byte      1 Initialized, 2 InFallback, 4 HasPreviousBand
/// smoothing        6 × float64 Scale, Level, Noise, PreviousLower, PreviousMedian, PreviousUpper
/// LSTM state       2H × float32 h then c
/// seasonal         m + m' × float32 Season then Weekly
/// history          int32 count, count × float32 oldest first
/// accuracy         int64 Samples, 7 × float64 (model error, baseline error, model coverage,
///                  baseline coverage, naive scale, model and baseline absolute error),
///                  6 + 6K × float32 pending one-step and K-step entries
/// anomaly (v2)     float32 Mean, float32 Variance, int32 Samples, float32 Low, float32 High,
///                  3 × byte (Filled, Next, Fired), W × float16 recent surprises in ring order
///                  (W = <see cref="AnomalyState.Window"/>)
/// weights (v3)     byte      1 when fitted, float32 α, float32 γ (<see cref="SeriesSmoothingFit"/>)
/// one-step (v4)    2 × float64 the model's and the baseline's rolling one-step scaled errors (the fallback's)
/// extension (v5)   int32 length, then the fields formats after 5 add, which a format-5 reader skips
/// checksum         uint32    <see cref="Crc32"/> of every byte above, magic included
/// </code>
/// A record is read completely and checked before a state is built, so a refused record changes nothing.
/// <para>
/// Why this build writes format 4 and reads 5: a build refuses a record of a newer format, and a refused record makes
/// its partition start clean, which a rolling update (a partition moving from an updated pod to an old one) or a
/// rollback would do to every partition. Format 5 lets the next formats stay readable by this build: a newer build
/// writes its new fields into the extension and "readable from" 5, and this build restores such a record as if the
/// new fields were absent (see <see cref="FormatVersion"/>). This build keeps writing format 4, which the builds
/// before it read, so rolling it out or back loses nothing either; a later build may write format 5 or newer
/// (readable from 5) from its first release.
/// </para>
/// </summary>
public static class SeriesStateSerializer
{
    /// <summary>The newest format whose every field this build reads; a newer record is read when it is readable from this one or older.</summary>
    public const int FormatVersion = 5;

    /// <summary>The format <see cref="Write(SeriesState, ForecastSettings, Span{byte})"/> writes: 4, which builds before format 5 read (see the class remarks).</summary>
    public const int WrittenVersion = 4;

    /// <summary>The first format with the "readable from" field and the extension.</summary>
    internal const int ExtensibleVersion = 5;

    /// <summary>The largest extension a record may declare.</summary>
    private const int MaxExtensionBytes = 1 << 24;

    private const int HeaderBytes = 8 + 4 + (5 * 4) + (3 * 8) + 1 + (6 * 8);
    private const int AccuracyFields = 6;
    private const int AnomalyBytes = 4 + 4 + 4 + 4 + 4 + 3 + (2 * AnomalyState.Window);
    private const int WeightsBytes = 1 + 4 + 4;
    private const int OneStepBytes = 2 * 8;

    /// <summary>The largest hidden size, history capacity or horizon count a record of another shape may declare to be carried over.</summary>
    private const int MaxReshapeSize = 1 << 20;

    private static ReadOnlySpan<byte> Magic => "FCSTSERS"u8;

    /// <summary>Bytes of a record of a series under <paramref name="settings"/> with a full history ring (the most a record takes).</summary>
    public static int MaxLength(ForecastSettings settings)
    {
        ArgumentNullException.ThrowIfNull(settings);
        var floats = (2 * settings.HiddenSize) + settings.Season + settings.WeeklySeason + settings.HistoryCapacity
            + AccuracyFields + (AccuracyFields * settings.Horizons);
        return HeaderBytes + 4 + 8 + (7 * 8) + (4 * floats) + AnomalyBytes + WeightsBytes + OneStepBytes + 4;
    }

    /// <summary>
    /// <paramref name="settings"/> with the shape a record declares (hidden size, seasons, history capacity, horizons), so it can
    /// be read as it was written; null when <paramref name="source"/> is not a record of this format or declares an implausible shape.
    /// The record's checksum is not checked here: <see cref="Read(ReadOnlySpan{byte}, ForecastSettings, out int)"/> does.
    /// </summary>
    public static ForecastSettings? RecordedSettings(ReadOnlySpan<byte> source, ForecastSettings settings)
    {
        ArgumentNullException.ThrowIfNull(settings);
        if (source.Length < Magic.Length + 4 + (5 * 4) || !source[..Magic.Length].SequenceEqual(Magic))
        {
            return null;
        }

        var r = new SpanReader(source[(Magic.Length + 4)..]);
        Span<int> shape = stackalloc int[5];
        for (var i = 0; i < shape.Length; i++)
        {
            shape[i] = r.Int32();
            if (shape[i] < (i == 2 ? 0 : 1) || shape[i] > MaxReshapeSize)
            {
                return null;
            }
        }

        return settings with { HiddenSize = shape[0], Season = shape[1], WeeklySeason = shape[2], HistoryCapacity = shape[3], Horizons = shape[4] };
    }

    /// <summary>The format version <paramref name="source"/> declares; 0 when it is not a series state record.</summary>
    public static int RecordVersion(ReadOnlySpan<byte> source) => RecordHeader.Version(source, Magic);

    /// <summary>Writes <paramref name="state"/> to <paramref name="destination"/> in format <see cref="WrittenVersion"/>; returns the bytes written.</summary>
    /// <exception cref="ArgumentException"><paramref name="destination"/> is shorter than <see cref="MaxLength"/>, or the state's shape does not fit <paramref name="settings"/>.</exception>
    public static int Write(SeriesState state, ForecastSettings settings, Span<byte> destination) =>
        Write(state, settings, destination, WrittenVersion, WrittenVersion, []);

    /// <summary>
    /// Writes <paramref name="state"/> as format <paramref name="version"/>: 4, or from 5 the extensible layout with
    /// <paramref name="readableFrom"/> and <paramref name="extension"/> (what a newer build would add: tests of the reader,
    /// and the writer of the next format). Returns the bytes written.
    /// </summary>
    internal static int Write(SeriesState state, ForecastSettings settings, Span<byte> destination, int version, int readableFrom, ReadOnlySpan<byte> extension)
    {
        ArgumentNullException.ThrowIfNull(state);
        ArgumentNullException.ThrowIfNull(settings);
        var extensible = version >= ExtensibleVersion;
        var most = MaxLength(settings) + (extensible ? 4 + 4 + extension.Length : 0);
        if (destination.Length < most)
        {
            throw new ArgumentException($"The destination holds {destination.Length} bytes, a record needs up to {most}.", nameof(destination));
        }

        if (extensible ? readableFrom < ExtensibleVersion || readableFrom > version : version != ExtensibleVersion - 1 || readableFrom != version || extension.Length > 0)
        {
            throw new ArgumentException($"Format {version} cannot be readable from format {readableFrom} or carry {extension.Length} extension bytes.", nameof(readableFrom));
        }

        if (!state.Fits(settings))
        {
            throw new ArgumentException("The series state was made under other forecast settings.", nameof(state));
        }

        var w = new SpanWriter(destination);
        w.Bytes(Magic);
        w.Int32(version);
        w.Int32(settings.HiddenSize);
        w.Int32(settings.Season);
        w.Int32(settings.WeeklySeason);
        w.Int32(settings.HistoryCapacity);
        w.Int32(settings.Horizons);
        if (extensible)
        {
            w.Int32(readableFrom);
        }

        w.Int64(state.Steps);
        w.Int64(state.LastTimestampMs);
        w.Int64(state.StepMs);
        w.Byte((byte)((state.Initialized ? 1 : 0) | (state.InFallback ? 2 : 0) | (state.HasPreviousBand ? 4 : 0)));
        w.Double(state.Scale);
        w.Double(state.Level);
        w.Double(state.Noise);
        w.Double(state.PreviousLower);
        w.Double(state.PreviousMedian);
        w.Double(state.PreviousUpper);
        w.Singles(state.Hidden);
        w.Singles(state.Cell);
        w.Singles(state.Season);
        w.Singles(state.Weekly);
        var history = state.History;
        w.Int32(history.Count);
        for (var age = history.Count - 1; age >= 0; age--)
        {
            w.Single(history.Back(age));
        }
        var accuracy = state.Accuracy;
        w.Int64(accuracy.Samples);
        w.Double(accuracy.ModelScaledError);
        w.Double(accuracy.BaselineScaledError);
        w.Double(accuracy.ModelCoverage);
        w.Double(accuracy.BaselineCoverage);
        w.Double(accuracy.NaiveScale);
        w.Double(accuracy.ModelAbsoluteError);
        w.Double(accuracy.BaselineAbsoluteError);
        w.Singles(accuracy.OneStep);
        w.Singles(accuracy.KStep);
        WriteAnomaly(ref w, state.Anomaly);
        w.Byte(state.SmoothingFitted ? (byte)1 : (byte)0);
        w.Single(state.LevelSmoothing);
        w.Single(state.SeasonSmoothing);
        w.Double(accuracy.ModelOneStepError);
        w.Double(accuracy.BaselineOneStepError);
        if (extensible)
        {
            w.Int32(extension.Length);
            w.Bytes(extension);
        }

        w.UInt32(Crc32.Compute(destination[..w.Position]));
        return w.Position;
    }

    /// <summary>Reads one record from the start of <paramref name="source"/>; <paramref name="consumed"/> is its length.</summary>
    /// <exception cref="InvalidDataException">
    /// The record does not start with the magic bytes, has a newer format version, ends early, has a wrong
    /// checksum, was written under other settings (shape mismatch) or holds impossible counts.
    /// </exception>
    public static SeriesState Read(ReadOnlySpan<byte> source, ForecastSettings settings, out int consumed) =>
        Read(source, settings, reshape: false, out consumed, out _);

    /// <summary>
    /// As <see cref="Read(ReadOnlySpan{byte}, ForecastSettings, out int)"/>; with <paramref name="reshape"/>, a record
    /// written under another hidden size, history capacity or horizon count (the same season lengths) is read under
    /// its own shape and carried to <paramref name="settings"/> (see <see cref="SeriesStateReshape"/>: the smoothing
    /// state, history and accuracy kept, the LSTM state zero); <paramref name="reshaped"/> then says so.
    /// </summary>
    /// <exception cref="InvalidDataException">As the other overload; a shape mismatch only when it cannot be carried over.</exception>
    public static SeriesState Read(ReadOnlySpan<byte> source, ForecastSettings settings, bool reshape, out int consumed, out bool reshaped)
    {
        ArgumentNullException.ThrowIfNull(settings);
        reshaped = false;
        var r = new SpanReader(source);
        if (!r.Bytes(Magic.Length).SequenceEqual(Magic))
        {
            throw new InvalidDataException("Not a Forecaster series state: the magic bytes are wrong.");
        }

        var version = r.Int32();
        if (version < 1)
        {
            throw new InvalidDataException($"Series state format version {version} is not supported (this build reads 1 to {FormatVersion}).");
        }

        ReadOnlySpan<int> expected = [settings.HiddenSize, settings.Season, settings.WeeklySeason, settings.HistoryCapacity, settings.Horizons];
        Span<int> shape = stackalloc int[5];
        for (var i = 0; i < shape.Length; i++)
        {
            shape[i] = r.Int32();
        }

        var extensible = version >= ExtensibleVersion;
        var readableFrom = extensible ? r.Int32() : version;
        if (readableFrom > FormatVersion)
        {
            throw new InvalidDataException(
                $"Series state format version {version} is not supported (this build reads 1 to {FormatVersion}; the record needs a reader of format {readableFrom} or newer).");
        }

        if (extensible && (readableFrom < ExtensibleVersion || readableFrom > version))
        {
            throw new InvalidDataException($"The series state declares format {version} readable from format {readableFrom}, which is impossible.");
        }

        if (!shape.SequenceEqual(expected) && reshape && shape[0] is > 0 and <= MaxReshapeSize && shape[3] is > 0 and <= MaxReshapeSize && shape[4] is > 0 and <= MaxReshapeSize)
        {
            var recorded = settings with { HiddenSize = shape[0], Season = shape[1], WeeklySeason = shape[2], HistoryCapacity = shape[3], Horizons = shape[4] };
            if (SeriesStateReshape.Possible(recorded, settings))
            {
                reshaped = true;
                return SeriesStateReshape.To(Read(source, recorded, reshape: false, out consumed, out _), settings);
            }
        }

        if (!shape.SequenceEqual(expected))
        {
            throw new InvalidDataException(
                $"Series state shape (H={shape[0]}, season={shape[1]}, weekly={shape[2]}, history={shape[3]}, K={shape[4]}) does not fit the settings "
                + $"(H={expected[0]}, season={expected[1]}, weekly={expected[2]}, history={expected[3]}, K={expected[4]}).");
        }

        // Validate length and checksum before building anything: the history count fixes the length.
        var historyAt = HeaderBytes + (extensible ? 4 : 0) + (4 * ((2 * settings.HiddenSize) + settings.Season + settings.WeeklySeason));
        if (historyAt + 4 > source.Length)
        {
            throw new InvalidDataException("The series state ends early (truncated).");
        }

        var count = BinaryPrimitives.ReadInt32LittleEndian(source[historyAt..]);

        if (count < 0 || count > settings.HistoryCapacity)
        {
            throw new InvalidDataException($"The series state holds {count} history values, the ring only {settings.HistoryCapacity}.");
        }

        var length = historyAt + 4 + (4 * count) + 8 + (7 * 8) + (4 * AccuracyFields * (1 + settings.Horizons)) + (version >= 2 ? AnomalyBytes : 0) + (version >= 3 ? WeightsBytes : 0) + (version >= 4 ? OneStepBytes : 0);
        if (extensible)
        {
            if (source.Length < length + 4)
            {
                throw new InvalidDataException("The series state ends early (truncated).");
            }

            var extension = BinaryPrimitives.ReadInt32LittleEndian(source[length..]);
            if (extension < 0 || extension > MaxExtensionBytes)
            {
                throw new InvalidDataException($"The series state declares an extension of {extension} bytes.");
            }

            length += 4 + extension; // the fields of newer formats: skipped, the state is as if they were absent
        }

        if (source.Length < length + 4)
        {
            throw new InvalidDataException("The series state ends early (truncated).");
        }

        var stored = BinaryPrimitives.ReadUInt32LittleEndian(source[length..]);
        var computed = Crc32.Compute(source[..length]);
        if (stored != computed)
        {
            throw new InvalidDataException($"Series state checksum mismatch: stored 0x{stored:X8}, computed 0x{computed:X8}.");
        }

        var state = new SeriesState(settings);
        ReadBody(ref r, state);
        if (version >= 2)
        {
            ReadAnomaly(ref r, ref state.Anomaly);
        }

        if (version >= 3)
        {
            ReadWeights(ref r, state);
        }

        if (version >= 4)
        {
            state.Accuracy.RestoreOneStep(r.Double(), r.Double());
        }

        if (state.Steps < 0 || state.StepMs < 1)
        {
            throw new InvalidDataException($"The series state has impossible counters (steps {state.Steps}, step {state.StepMs} ms).");
        }

        consumed = length + 4;
        return state;
    }

    private static void ReadBody(ref SpanReader r, SeriesState state)
    {
        state.Steps = r.Int64();
        state.LastTimestampMs = r.Int64();
        state.StepMs = r.Int64();
        var flags = r.Byte();
        state.Initialized = (flags & 1) != 0;
        state.InFallback = (flags & 2) != 0;
        state.HasPreviousBand = (flags & 4) != 0;
        state.Scale = r.Double();
        state.Level = r.Double();
        state.Noise = r.Double();
        state.PreviousLower = r.Double();
        state.PreviousMedian = r.Double();
        state.PreviousUpper = r.Double();
        r.Singles(state.Hidden);
        r.Singles(state.Cell);
        r.Singles(state.Season);
        r.Singles(state.Weekly);
        var count = r.Int32();
        for (var i = 0; i < count; i++)
        {
            state.History.Add(r.Single());
        }

        var samples = r.Int64();
        var modelError = r.Double();
        var baselineError = r.Double();
        var modelCoverage = r.Double();
        var baselineCoverage = r.Double();
        var naiveScale = r.Double();
        var modelAbsoluteError = r.Double();
        var baselineAbsoluteError = r.Double();
        var accuracy = state.Accuracy;
        accuracy.Restore(samples, modelError, baselineError, modelCoverage, baselineCoverage, naiveScale, modelAbsoluteError, baselineAbsoluteError);
        r.Singles(accuracy.OneStep);
        r.Singles(accuracy.KStep);
    }

    private static void ReadWeights(ref SpanReader r, SeriesState state)
    {
        var fitted = r.Byte();
        var level = r.Single();
        var season = r.Single();
        if (fitted > 1 || (fitted == 1 && !(level > 0f && level < 1f && season >= 0f && season < 1f)))
        {
            throw new InvalidDataException($"The series state has impossible smoothing weights (fitted {fitted}, level {level}, season {season}).");
        }

        state.SmoothingFitted = fitted == 1;
        state.LevelSmoothing = level;
        state.SeasonSmoothing = season;
    }

    private static void WriteAnomaly(ref SpanWriter w, in AnomalyState anomaly)
    {
        w.Single(anomaly.Mean);
        w.Single(anomaly.Variance);
        w.Int32(anomaly.Samples);
        w.Single(anomaly.Low);
        w.Single(anomaly.High);
        w.Byte(anomaly.Filled);
        w.Byte(anomaly.Next);
        w.Byte(anomaly.Fired ? (byte)1 : (byte)0);
        for (var i = 0; i < AnomalyState.Window; i++)
        {
            w.Half((Half)anomaly.At(i));
        }
    }

    private static void ReadAnomaly(ref SpanReader r, ref AnomalyState anomaly)
    {
        anomaly.Mean = r.Single();
        anomaly.Variance = r.Single();
        anomaly.Samples = r.Int32();
        anomaly.Low = r.Single();
        anomaly.High = r.Single();
        anomaly.Filled = r.Byte();
        anomaly.Next = r.Byte();
        anomaly.Fired = r.Byte() != 0;
        for (var i = 0; i < AnomalyState.Window; i++)
        {
            anomaly.SetSurprise(i, (float)r.Half());
        }

        if (anomaly.Samples < 0 || anomaly.Filled > AnomalyState.Window || anomaly.Next >= AnomalyState.Window)
        {
            throw new InvalidDataException($"The series state has an impossible anomaly state (samples {anomaly.Samples}, filled {anomaly.Filled}, next {anomaly.Next}).");
        }
    }
}
