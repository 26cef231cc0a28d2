using System.Text.Json.Serialization;

namespace StreamPredict.Function.Events;

/// <summary>Lambda's Kinesis event (what an event source mapping sends), read without per-record allocations.</summary>
internal sealed class KinesisEvent : IDisposable
{
    [JsonPropertyName("Records")]
    public KinesisRecordList? Records { get; set; }

    public void Dispose() => Records?.Dispose();
}

/// <summary>One element of Records. Read by <see cref="KinesisRecordListConverter"/>; the attributes name the wire fields.</summary>
internal struct KinesisEventRecord
{
    [JsonPropertyName("kinesis")]
    public KinesisRecordData Kinesis { get; set; }

    [JsonPropertyName("eventSource")]
    public Utf8Slice EventSource { get; set; }

    /// <summary>"{shardId}:{sequenceNumber}": the only place the event names the shard.</summary>
    [JsonPropertyName("eventID")]
    public Utf8Slice EventId { get; set; }

    [JsonPropertyName("eventSourceARN")]
    public Utf8Slice EventSourceArn { get; set; }

    [JsonPropertyName("awsRegion")]
    public Utf8Slice AwsRegion { get; set; }

    [JsonPropertyName("eventName")]
    public Utf8Slice EventName { get; set; }

    [JsonPropertyName("eventVersion")]
    public Utf8Slice EventVersion { get; set; }

    [JsonPropertyName("invokeIdentityArn")]
    public Utf8Slice InvokeIdentityArn { get; set; }
}

internal struct KinesisRecordData
{
    /// <summary>The producer's bytes, base64.</summary>
    [JsonPropertyName("data")]
    public Utf8Slice Data { get; set; }

    [JsonPropertyName("partitionKey")]
    public Utf8Slice PartitionKey { get; set; }

    [JsonPropertyName("sequenceNumber")]
    public Utf8Slice SequenceNumber { get; set; }

    /// <summary>Seconds since the Unix epoch, with millisecond decimals.</summary>
    [JsonPropertyName("approximateArrivalTimestamp")]
    public double ApproximateArrivalTimestamp { get; set; }

    [JsonPropertyName("kinesisSchemaVersion")]
    public Utf8Slice KinesisSchemaVersion { get; set; }

    [JsonPropertyName("encryptionType")]
    public Utf8Slice EncryptionType { get; set; }
}

[JsonSourceGenerationOptions(GenerationMode = JsonSourceGenerationMode.Metadata)]
[JsonSerializable(typeof(KinesisEvent))]
internal sealed partial class KinesisEventJsonContext : JsonSerializerContext;
