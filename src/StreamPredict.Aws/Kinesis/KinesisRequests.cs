using System.Buffers;
using System.Text.Json;

namespace StreamPredict.Aws.Kinesis;

/// <summary>Writes Kinesis JSON 1.1 request bodies straight into a buffer; record data is base64-encoded in place.</summary>
internal static class KinesisRequests
{
    public static void PutRecords(IBufferWriter<byte> output, string streamName, IReadOnlyList<PutRecordsEntry> entries)
    {
        using var json = new Utf8JsonWriter(output);
        json.WriteStartObject();
        json.WriteString("StreamName"u8, streamName);
        json.WriteStartArray("Records"u8);
        for (var i = 0; i < entries.Count; i++)
        {
            json.WriteStartObject();
            json.WriteBase64String("Data"u8, entries[i].Data.Span);
            json.WriteString("PartitionKey"u8, entries[i].PartitionKey);
            json.WriteEndObject();
        }

        json.WriteEndArray();
        json.WriteEndObject();
    }

    public static void CreateStream(IBufferWriter<byte> output, string streamName, int shardCount)
    {
        using var json = new Utf8JsonWriter(output);
        json.WriteStartObject();
        json.WriteString("StreamName"u8, streamName);
        json.WriteNumber("ShardCount"u8, shardCount);
        json.WriteEndObject();
    }

    public static void StreamNameOnly(IBufferWriter<byte> output, string streamName)
    {
        using var json = new Utf8JsonWriter(output);
        json.WriteStartObject();
        json.WriteString("StreamName"u8, streamName);
        json.WriteEndObject();
    }

    public static void DeleteStream(IBufferWriter<byte> output, string streamName)
    {
        using var json = new Utf8JsonWriter(output);
        json.WriteStartObject();
        json.WriteString("StreamName"u8, streamName);
        // Tests and demos delete streams they created; a leftover consumer must not keep them alive.
        json.WriteBoolean("EnforceConsumerDeletion"u8, true);
        json.WriteEndObject();
    }

    /// <summary>The first page names the stream; later pages send only NextToken (the API rejects both together).</summary>
    public static void ListShards(IBufferWriter<byte> output, string streamName, string? nextToken, int? maxResults)
    {
        using var json = new Utf8JsonWriter(output);
        json.WriteStartObject();
        if (nextToken is null)
        {
            json.WriteString("StreamName"u8, streamName);
        }
        else
        {
            json.WriteString("NextToken"u8, nextToken);
        }

        if (maxResults is { } max)
        {
            json.WriteNumber("MaxResults"u8, max);
        }

        json.WriteEndObject();
    }

    public static void GetShardIterator(
        IBufferWriter<byte> output, string streamName, string shardId, ShardIteratorType type,
        string? startingSequenceNumber, DateTimeOffset? timestamp)
    {
        using var json = new Utf8JsonWriter(output);
        json.WriteStartObject();
        json.WriteString("StreamName"u8, streamName);
        json.WriteString("ShardId"u8, shardId);
        json.WriteString("ShardIteratorType"u8, WireName(type));
        if (startingSequenceNumber is not null)
        {
            json.WriteString("StartingSequenceNumber"u8, startingSequenceNumber);
        }

        if (timestamp is { } at)
        {
            json.WriteNumber("Timestamp"u8, at.ToUnixTimeMilliseconds() / 1000m);
        }

        json.WriteEndObject();
    }

    public static void GetRecords(IBufferWriter<byte> output, string shardIterator, int? limit)
    {
        using var json = new Utf8JsonWriter(output);
        json.WriteStartObject();
        json.WriteString("ShardIterator"u8, shardIterator);
        if (limit is { } max)
        {
            json.WriteNumber("Limit"u8, max);
        }

        json.WriteEndObject();
    }

    public static string WireName(ShardIteratorType type) => type switch
    {
        ShardIteratorType.TrimHorizon => "TRIM_HORIZON",
        ShardIteratorType.Latest => "LATEST",
        ShardIteratorType.AtSequenceNumber => "AT_SEQUENCE_NUMBER",
        ShardIteratorType.AfterSequenceNumber => "AFTER_SEQUENCE_NUMBER",
        ShardIteratorType.AtTimestamp => "AT_TIMESTAMP",
        _ => throw new ArgumentOutOfRangeException(nameof(type), type, "Unknown shard iterator type."),
    };
}
