using System.Buffers;
using System.Text.Json;

namespace StreamPredict.Function.Observability;

/// <summary>One named value on a log line: text or a number.</summary>
internal readonly record struct LogField(string Name, string? Text, double? Number = null)
{
    public static LogField Of(string name, string? text) => new(name, text);

    public static LogField Of(string name, double number) => new(name, null, number);
}

/// <summary>
/// JSON log lines on stdout, one object per line: timestamp, level, message, requestId, then the fields.
/// Callers pass only values they chose to log; nothing here reads the environment, so credentials cannot leak in.
/// </summary>
internal sealed class JsonLog : IDisposable
{
    private readonly Stream _output;
    private readonly TimeProvider _clock;
    private readonly ArrayBufferWriter<byte> _buffer = new(1024);
    private readonly Utf8JsonWriter _writer;
    private readonly Lock _gate = new();

    public JsonLog(Stream output, TimeProvider? clock = null)
    {
        _output = output;
        _clock = clock ?? TimeProvider.System;
        _writer = new Utf8JsonWriter(_buffer);
    }

    public static JsonLog ToStdout(TimeProvider? clock = null) => new(Console.OpenStandardOutput(), clock);

    public void Info(string message, string? requestId, params ReadOnlySpan<LogField> fields) => Write("INFO", message, requestId, fields);

    public void Warn(string message, string? requestId, params ReadOnlySpan<LogField> fields) => Write("WARN", message, requestId, fields);

    public void Error(string message, string? requestId, params ReadOnlySpan<LogField> fields) => Write("ERROR", message, requestId, fields);

    /// <summary>Writes a line the caller builds (e.g. an EMF metrics object), framed like every other line.</summary>
    public void WriteRaw(Action<Utf8JsonWriter> writeObject)
    {
        ArgumentNullException.ThrowIfNull(writeObject);
        lock (_gate)
        {
            Begin();
            writeObject(_writer);
            End();
        }
    }

    public void Dispose() => _writer.Dispose();

    private void Write(string level, string message, string? requestId, ReadOnlySpan<LogField> fields)
    {
        lock (_gate)
        {
            Begin();
            _writer.WriteStartObject();
            _writer.WriteString("timestamp", _clock.GetUtcNow());
            _writer.WriteString("level", level);
            _writer.WriteString("message", message);
            if (requestId is not null)
            {
                _writer.WriteString("requestId", requestId);
            }

            foreach (var field in fields)
            {
                if (field.Number is { } number)
                {
                    _writer.WriteNumber(field.Name, number);
                }
                else
                {
                    _writer.WriteString(field.Name, field.Text);
                }
            }

            _writer.WriteEndObject();
            End();
        }
    }

    private void Begin()
    {
        _buffer.ResetWrittenCount();
        _writer.Reset(_buffer);
    }

    private void End()
    {
        _writer.Flush();
        _buffer.Write("\n"u8);
        _output.Write(_buffer.WrittenSpan);
        _output.Flush();
    }
}
