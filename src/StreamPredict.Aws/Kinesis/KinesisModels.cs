using System.Text.Json.Serialization;

namespace StreamPredict.Aws.Kinesis;

/// <summary>Where GetShardIterator starts reading.</summary>
public enum ShardIteratorType
{
    TrimHorizon,
    Latest,
    AtSequenceNumber,
    AfterSequenceNumber,
    AtTimestamp,
}

/// <summary>DescribeStreamSummary's answer; <see cref="StreamStatus"/> is CREATING, DELETING, ACTIVE or UPDATING.</summary>
public sealed record StreamSummary(
    string StreamName,
    [property: JsonPropertyName("StreamARN")] string StreamArn,
    string StreamStatus,
    int? OpenShardCount,
    int? RetentionPeriodHours)
{
    public bool IsActive => StreamStatus == "ACTIVE";
}

public sealed record HashKeyRange(string StartingHashKey, string EndingHashKey);

public sealed record SequenceNumberRange(string StartingSequenceNumber, string? EndingSequenceNumber);

public sealed record Shard(string ShardId, string? ParentShardId, HashKeyRange HashKeyRange, SequenceNumberRange SequenceNumberRange);

/// <summary>One record read back from a shard; <see cref="Data"/> is the exact bytes that were put.</summary>
public sealed record KinesisRecord(
    string SequenceNumber,
    [property: JsonConverter(typeof(EpochSecondsConverter))] DateTimeOffset ApproximateArrivalTimestamp,
    byte[] Data,
    string PartitionKey);

/// <summary>A GetRecords page. <see cref="NextShardIterator"/> is null once a closed shard has been read to its end.</summary>
public sealed record GetRecordsResult(IReadOnlyList<KinesisRecord> Records, string? NextShardIterator, long? MillisBehindLatest);
