using System.Buffers;
using System.Text.Json;

namespace StreamPredict.Aws.Lambda.Client;

/// <summary>The body Lambda expects on /invocation/{id}/error and /init/error.</summary>
public sealed record LambdaError(string ErrorType, string ErrorMessage, IReadOnlyList<string> StackTrace)
{
    public static LambdaError FromException(Exception exception, string? errorType = null)
    {
        ArgumentNullException.ThrowIfNull(exception);
        var frames = exception.StackTrace?.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries) ?? [];
        return new LambdaError(errorType ?? exception.GetType().Name, exception.Message, frames);
    }

    public byte[] ToUtf8Json()
    {
        var buffer = new ArrayBufferWriter<byte>(256);
        using (var writer = new Utf8JsonWriter(buffer))
        {
            writer.WriteStartObject();
            writer.WriteString("errorMessage", ErrorMessage);
            writer.WriteString("errorType", ErrorType);
            writer.WriteStartArray("stackTrace");
            foreach (var frame in StackTrace)
            {
                writer.WriteStringValue(frame);
            }

            writer.WriteEndArray();
            writer.WriteEndObject();
        }

        return buffer.WrittenSpan.ToArray();
    }

    /// <summary>Reads an error body; used by the local Runtime API emulator and tests.</summary>
    public static LambdaError Parse(ReadOnlySpan<byte> utf8Json)
    {
        using var document = JsonDocument.Parse(utf8Json.ToArray());
        var root = document.RootElement;
        var frames = new List<string>();
        if (root.TryGetProperty("stackTrace", out var stack) && stack.ValueKind == JsonValueKind.Array)
        {
            foreach (var frame in stack.EnumerateArray())
            {
                frames.Add(frame.GetString() ?? "");
            }
        }

        return new LambdaError(
            root.TryGetProperty("errorType", out var type) ? type.GetString() ?? "" : "",
            root.TryGetProperty("errorMessage", out var message) ? message.GetString() ?? "" : "",
            frames);
    }
}
