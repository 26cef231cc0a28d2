namespace StreamPredict.Aws.Kinesis.Aggregation;

/// <summary>
/// The Kinesis Producer Library's aggregated record, as published with the KPL (aws/amazon-kinesis-producer,
/// aggregation-format.md): the magic <c>F3 89 9A C2</c>, then a protobuf <c>AggregatedRecord</c>, then the 16-byte MD5
/// of those protobuf bytes.
/// <code>
/// message AggregatedRecord { repeated string partition_key_table = 1; repeated string explicit_hash_key_table = 2; repeated Record records = 3; }
/// message Record { required uint64 partition_key_index = 1; optional uint64 explicit_hash_key_index = 2; required bytes data = 3; repeated Tag tags = 4; }
/// message Tag { required string key = 1; optional string value = 2; }
/// </code>
/// </summary>
public static class KplFormat
{
    public const int Md5Length = 16;

    // Field numbers of AggregatedRecord and Record.
    internal const int PartitionKeyTableField = 1;
    internal const int ExplicitHashKeyTableField = 2;
    internal const int RecordsField = 3;
    internal const int PartitionKeyIndexField = 1;
    internal const int ExplicitHashKeyIndexField = 2;
    internal const int DataField = 3;
    internal const int TagsField = 4;

    /// <summary>The four bytes an aggregated record starts with.</summary>
    public static ReadOnlySpan<byte> Magic => [0xF3, 0x89, 0x9A, 0xC2];

    /// <summary>
    /// The first four characters of the base64 text of any aggregated record: "84ma" encodes F3 89 9A. A record whose
    /// base64 does not start so is not aggregated, which the hot path can tell without decoding anything.
    /// </summary>
    public static ReadOnlySpan<byte> Base64Prefix => "84ma"u8;

    /// <summary>True when <paramref name="data"/> starts with the magic (it may still be corrupt).</summary>
    public static bool IsAggregated(ReadOnlySpan<byte> data) => data.StartsWith(Magic);
}
