namespace Forecaster.Worker.Ingest;

/// <summary>Why a record went to the dead letters: stable snake_case values for headers and metric labels.</summary>
internal static class RejectReasons
{
    public const string MalformedJson = "malformed_json";

    /// <summary>An OTLP protobuf record (or one of its data points) whose wire format is broken: truncated, bad varint, bad wire type.</summary>
    public const string MalformedProtobuf = "malformed_protobuf";
    public const string MissingField = "missing_field";
    public const string NonNumericValue = "non_numeric_value";
    public const string NonFiniteValue = "non_finite_value";

    /// <summary>A finite number the model cannot hold: beyond float's range (±3.4e38), it would become an infinity in the series' history.</summary>
    public const string ValueOutOfRange = "value_out_of_range";
    public const string TimestampInFuture = "timestamp_in_future";
    public const string TimestampTooOld = "timestamp_too_old";
    public const string InvalidTimestamp = "invalid_timestamp";
    public const string KeyTooLarge = "key_too_large";
    public const string TooManyLabels = "too_many_labels";
    public const string UnknownFormat = "unknown_format";
    public const string InvalidKind = "invalid_kind";

    /// <summary>A collectd JSON array holding more than one value list (write_kafka writes one per record).</summary>
    public const string UnsupportedBatch = "unsupported_batch";

    /// <summary>Every reason, for pre-creating metric children.</summary>
    public static readonly string[] All =
    [
        MalformedJson, MissingField, NonNumericValue, NonFiniteValue, ValueOutOfRange, TimestampInFuture, TimestampTooOld,
        InvalidTimestamp, KeyTooLarge, TooManyLabels, UnknownFormat, InvalidKind,
        MalformedProtobuf, UnsupportedBatch,
    ];
}
