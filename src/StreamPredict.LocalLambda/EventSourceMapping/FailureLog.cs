using System.Text;
using StreamPredict.Aws.Kinesis;

namespace StreamPredict.LocalLambda.EventSourceMapping;

/// <summary>A record given up on, and why.</summary>
public sealed record FailedRecord(KinesisRecord Record, string Reason, int Attempts);

/// <summary>
/// The local stand-in for the event source mapping's OnFailure destination: records whose retries ran out are appended
/// as JSON lines, one per record, before the checkpoint moves past them, so every input record ends as a prediction, a
/// dead letter, or a line here. Line: {"failedAt","reason","attempts","streamArn","shardId","sequenceNumber",
/// "partitionKey","approximateArrivalTimestamp","data"(base64)}.
/// </summary>
public sealed class FailureLog(string? path, string streamArn)
{
    private readonly Lock _lock = new();

    public string? Path { get; } = path is null ? null : System.IO.Path.GetFullPath(path);

    public long Count { get; private set; }

    public void Append(string shardId, IReadOnlyList<FailedRecord> failures)
    {
        ArgumentNullException.ThrowIfNull(failures);
        if (failures.Count == 0)
        {
            return;
        }

        var lines = new StringBuilder();
        foreach (var failure in failures)
        {
            lines.Append(Line(shardId, failure)).Append('\n');
        }

        lock (_lock)
        {
            Count += failures.Count;
            if (Path is not null)
            {
                using var file = new FileStream(Path, FileMode.Append, FileAccess.Write, FileShare.Read);
                var bytes = Encoding.UTF8.GetBytes(lines.ToString());
                file.Write(bytes);
                file.Flush(flushToDisk: true);
            }
        }
    }

    private string Line(string shardId, FailedRecord failure) => JsonLine.Write(writer =>
    {
        writer.WriteStartObject();
        writer.WriteString("failedAt", DateTimeOffset.UtcNow);
        writer.WriteString("reason", failure.Reason);
        writer.WriteNumber("attempts", failure.Attempts);
        writer.WriteString("streamArn", streamArn);
        JsonLine.WriteRecordPosition(writer, shardId, failure.Record);
        writer.WriteBase64String("data", failure.Record.Data);
        writer.WriteEndObject();
    });
}
