using System.Text;
using System.Text.Json;
using StreamPredict.Aws.Kinesis;
using StreamPredict.LocalLambda.EventSourceMapping;

namespace StreamPredict.LocalLambda.EventSourceMapping;

/// <summary>One-line JSON for the verbs that print or append records.</summary>
public static class JsonLine
{
    public static string Write(Action<Utf8JsonWriter> write)
    {
        ArgumentNullException.ThrowIfNull(write);
        using var buffer = new MemoryStream();
        using (var writer = new Utf8JsonWriter(buffer))
        {
            write(writer);
        }

        return Encoding.UTF8.GetString(buffer.ToArray());
    }

    /// <summary>Where a record sits: shardId, sequenceNumber, partitionKey, approximateArrivalTimestamp (epoch seconds).</summary>
    public static void WriteRecordPosition(Utf8JsonWriter writer, string shardId, KinesisRecord record)
    {
        ArgumentNullException.ThrowIfNull(writer);
        ArgumentNullException.ThrowIfNull(record);
        writer.WriteString("shardId", shardId);
        writer.WriteString("sequenceNumber", record.SequenceNumber);
        writer.WriteString("partitionKey", record.PartitionKey);
        writer.WriteNumber("approximateArrivalTimestamp", LambdaKinesisEvent.EpochSeconds(record.ApproximateArrivalTimestamp));
    }
}
