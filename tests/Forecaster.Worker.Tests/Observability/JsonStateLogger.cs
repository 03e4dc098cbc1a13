using System.Text.Json;
using Microsoft.Extensions.Logging;

namespace Forecaster.Worker.Tests.Observability;

/// <summary>
/// A logger that writes every entry's values the way the JSON console formatter does (numbers with
/// <see cref="Utf8JsonWriter.WriteNumber(string, double)"/>, which throws on NaN and infinities), so a test
/// sees the worker's log entries fail exactly where production's would; keeps the entries written.
/// </summary>
internal sealed class JsonStateLogger : ILogger
{
    public List<string> Entries { get; } = [];

    public IDisposable? BeginScope<TState>(TState state)
        where TState : notnull => null;

    public bool IsEnabled(LogLevel logLevel) => true;

    public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
    {
        using var buffer = new MemoryStream();
        using (var writer = new Utf8JsonWriter(buffer))
        {
            writer.WriteStartObject();
            writer.WriteNumber("EventId", eventId.Id);
            if (state is IReadOnlyList<KeyValuePair<string, object?>> values)
            {
                foreach (var (key, value) in values)
                {
                    switch (value)
                    {
                        case double d: writer.WriteNumber(key, d); break;
                        case float f: writer.WriteNumber(key, f); break;
                        case int i: writer.WriteNumber(key, i); break;
                        case long l: writer.WriteNumber(key, l); break;
                        case null: writer.WriteNull(key); break;
                        default: writer.WriteString(key, Convert.ToString(value, System.Globalization.CultureInfo.InvariantCulture)); break;
                    }
                }
            }

            writer.WriteEndObject();
        }

        Entries.Add(System.Text.Encoding.UTF8.GetString(buffer.ToArray()));
    }
}
