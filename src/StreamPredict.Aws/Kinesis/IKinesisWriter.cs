namespace StreamPredict.Aws.Kinesis;

/// <summary>The one Kinesis call the function's hot path needs; a seam for in-memory fakes in unit tests.</summary>
public interface IKinesisWriter
{
    /// <summary>One PutRecords call (≤ 500 entries, ≤ 5 MiB). Returns per-entry results in request order.</summary>
    Task<PutRecordsResult> PutRecordsAsync(string streamName, IReadOnlyList<PutRecordsEntry> entries, CancellationToken cancellationToken);
}

public readonly record struct PutRecordsEntry(ReadOnlyMemory<byte> Data, string PartitionKey);

/// <summary>Entry i of <see cref="Records"/> answers entry i of the request.</summary>
public sealed record PutRecordsResult(int FailedRecordCount, IReadOnlyList<PutRecordsResultEntry> Records);

public readonly record struct PutRecordsResultEntry(string? SequenceNumber, string? ShardId, string? ErrorCode, string? ErrorMessage)
{
    public bool Succeeded => ErrorCode is null;

    /// <summary>Failed in a way a retry cannot fix (e.g. a KMS key problem); throttling and InternalFailure are retryable.</summary>
    public bool FailedPermanently => ErrorCode is not null && KinesisErrorClassifier.IsPermanent(ErrorCode, 200);
}
