namespace StreamPredict.Function.Publishing;

/// <summary>
/// A record waiting to be published: its bytes in the invocation's output buffer, its partition key in
/// <see cref="PartitionKeys"/>, and the input record it answers.
/// </summary>
internal readonly record struct OutgoingRecord(int Offset, int Length, KeyText PartitionKey, int SourceIndex);
