namespace StreamPredict.Serving.Predictions;

/// <summary>
/// Where a prediction's ride came from, as UTF-8 text: the input record's sequence number and shard, its arrival time as
/// the JSON number Lambda wrote (empty when unknown), and when the prediction was made (ISO 8601); for a user record of a
/// KPL aggregate, also its subsequence number and its own partition key.
/// </summary>
public readonly ref struct PredictionSource(
    ReadOnlySpan<byte> sequenceNumber, ReadOnlySpan<byte> shardId, ReadOnlySpan<byte> arrivalTimestamp, ReadOnlySpan<byte> predictedAt)
{
    public ReadOnlySpan<byte> SequenceNumber { get; } = sequenceNumber;

    public ReadOnlySpan<byte> ShardId { get; } = shardId;

    /// <summary>Seconds since the epoch as JSON number text; empty writes null.</summary>
    public ReadOnlySpan<byte> ArrivalTimestamp { get; } = arrivalTimestamp;

    public ReadOnlySpan<byte> PredictedAt { get; } = predictedAt;

    /// <summary>For a user record of a KPL aggregate, its place in the aggregate; -1 for a plain record.</summary>
    public int SubsequenceNumber { get; init; } = -1;

    /// <summary>For a user record of a KPL aggregate, its partition key from the aggregate's table.</summary>
    public ReadOnlySpan<byte> PartitionKey { get; init; }
}
