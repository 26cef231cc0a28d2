namespace StreamPredict.Aws.Lambda.Events;

// Fields, not properties: the event reader fills each record in place through a ref, 10,000 times per batch.
#pragma warning disable CA1051

/// <summary>
/// One element of Lambda's Kinesis event (what an event source mapping sends), read by <see cref="KinesisEventReader"/>
/// without per-record allocations: every value is a position in the payload. The comments name the wire fields.
/// </summary>
public struct KinesisEventRecord
{
    /// <summary>"kinesis"</summary>
    public KinesisRecordData Kinesis;

    /// <summary>"eventSource": "aws:kinesis"</summary>
    public Utf8Slice EventSource;

    /// <summary>"eventID": "{shardId}:{sequenceNumber}", the only place the event names the shard.</summary>
    public Utf8Slice EventId;

    /// <summary>"eventSourceARN"</summary>
    public Utf8Slice EventSourceArn;

    /// <summary>"awsRegion"</summary>
    public Utf8Slice AwsRegion;

    /// <summary>"eventName"</summary>
    public Utf8Slice EventName;

    /// <summary>"eventVersion"</summary>
    public Utf8Slice EventVersion;

    /// <summary>"invokeIdentityArn"</summary>
    public Utf8Slice InvokeIdentityArn;
}

public struct KinesisRecordData
{
    /// <summary>"data": the producer's bytes, base64.</summary>
    public Utf8Slice Data;

    /// <summary>"partitionKey"</summary>
    public Utf8Slice PartitionKey;

    /// <summary>"sequenceNumber"</summary>
    public Utf8Slice SequenceNumber;

    /// <summary>
    /// "approximateArrivalTimestamp": seconds since the Unix epoch with millisecond decimals, kept as the number's JSON
    /// text. It is only ever copied into the output, so it is neither parsed nor formatted again.
    /// </summary>
    public Utf8Slice ApproximateArrivalTimestamp;

    /// <summary>"kinesisSchemaVersion"</summary>
    public Utf8Slice KinesisSchemaVersion;

    /// <summary>"encryptionType"</summary>
    public Utf8Slice EncryptionType;
}
