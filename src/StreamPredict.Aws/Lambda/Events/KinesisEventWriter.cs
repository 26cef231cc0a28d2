using System.Text.Encodings.Web;
using System.Text.Json;

namespace StreamPredict.Aws.Lambda.Events;

/// <summary>One record as Kinesis delivered it, before Lambda wraps it in an event.</summary>
/// <param name="DataBase64">The record's bytes, base64 (kept as text so samples can carry invalid base64 too).</param>
public sealed record SourceRecord(string DataBase64, string PartitionKey, string SequenceNumber, double ApproximateArrivalTimestamp, string ShardId = "shardId-000000000000");

/// <summary>
/// Writes Lambda's Kinesis event in the exact shape an event source mapping sends (and
/// <c>sam local generate-event kinesis get-records</c> prints). Used for events/ samples, tests and local invokes.
/// </summary>
public static class KinesisEventWriter
{
    public static byte[] Write(IEnumerable<SourceRecord> records, string streamArn = "arn:aws:kinesis:us-east-1:123456789012:stream/ride_events",
        string invokeIdentityArn = "arn:aws:iam::123456789012:role/lambda-kinesis-role", bool indented = false)
    {
        ArgumentNullException.ThrowIfNull(records);
        var region = streamArn.Split(':') is { Length: > 3 } parts ? parts[3] : "us-east-1";
        using var buffer = new MemoryStream();
        // Like Lambda's own JSON, base64's '+' and non-ASCII text stay as they are (the default encoder writes \u002B).
        using (var writer = new Utf8JsonWriter(buffer, new JsonWriterOptions { Indented = indented, Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping }))
        {
            writer.WriteStartObject();
            writer.WriteStartArray("Records");
            foreach (var record in records)
            {
                writer.WriteStartObject();
                writer.WriteStartObject("kinesis");
                writer.WriteString("kinesisSchemaVersion", "1.0");
                writer.WriteString("partitionKey", record.PartitionKey);
                writer.WriteString("sequenceNumber", record.SequenceNumber);
                writer.WriteString("data", record.DataBase64);
                writer.WriteNumber("approximateArrivalTimestamp", record.ApproximateArrivalTimestamp);
                writer.WriteEndObject();
                writer.WriteString("eventSource", "aws:kinesis");
                writer.WriteString("eventVersion", "1.0");
                writer.WriteString("eventID", $"{record.ShardId}:{record.SequenceNumber}");
                writer.WriteString("eventName", "aws:kinesis:record");
                writer.WriteString("invokeIdentityArn", invokeIdentityArn);
                writer.WriteString("awsRegion", region);
                writer.WriteString("eventSourceARN", streamArn);
                writer.WriteEndObject();
            }

            writer.WriteEndArray();
            writer.WriteEndObject();
        }

        if (indented)
        {
            buffer.WriteByte((byte)'\n');
        }

        return buffer.ToArray();
    }
}
