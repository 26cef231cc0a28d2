using System.Text;

namespace StreamPredict.Aws.Kinesis;

/// <summary>Kinesis' PutRecords limits, defined here once for the client, the batcher, the producer and the function.</summary>
public static class PutRecordsLimits
{
    /// <summary>Entries in one PutRecords call.</summary>
    public const int MaxEntriesPerCall = 500;

    /// <summary>One call's size, counting every entry's data and partition key.</summary>
    public const int MaxBytesPerCall = 5 * 1024 * 1024;

    /// <summary>One record's size: its data and its partition key.</summary>
    public const int MaxRecordBytes = 1024 * 1024;

    /// <summary>A partition key is 1 to 256 Unicode characters.</summary>
    public const int MaxPartitionKeyLength = 256;

    /// <summary>What an entry counts against <see cref="MaxBytesPerCall"/> and <see cref="MaxRecordBytes"/>: data plus the key's UTF-8 bytes.</summary>
    public static int EntryBytes(in PutRecordsEntry entry) => entry.Data.Length + Encoding.UTF8.GetByteCount(entry.PartitionKey);
}
