using System.Security.Cryptography;
using System.Text;

namespace StreamPredict.Aws.Kinesis.Aggregation;

/// <summary>
/// Packs user records into one KPL aggregated record (<see cref="KplFormat"/>): a partition key table without repeats,
/// the records in the order added, and the MD5 trailer. As the KPL does, the Kinesis record carries the first user
/// record's partition key (<see cref="PartitionKey"/>). For producers, tests and the demo.
/// </summary>
public sealed class AggregatedRecordBuilder
{
    /// <summary>The KPL's default AggregationMaxSize: 50 KiB per aggregated record.</summary>
    public const int DefaultMaxBytes = 51_200;

    private readonly int _maxBytes;
    private readonly Dictionary<string, int> _keyIndex = new(StringComparer.Ordinal);
    private readonly List<byte[]> _keys = [];
    private readonly List<(int KeyIndex, ReadOnlyMemory<byte> Data)> _records = [];
    private int _protobufBytes;

    /// <param name="maxBytes">Largest aggregated record (magic, protobuf, MD5) to build, at most a Kinesis record's 1 MiB.</param>
    public AggregatedRecordBuilder(int maxBytes = DefaultMaxBytes)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(maxBytes, KplFormat.Magic.Length + KplFormat.Md5Length + 16);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(maxBytes, PutRecordsLimits.MaxRecordBytes);
        _maxBytes = maxBytes;
    }

    /// <summary>User records added since the last <see cref="Build"/>.</summary>
    public int Count => _records.Count;

    /// <summary>The aggregated record's size if built now.</summary>
    public int Size => KplFormat.Magic.Length + _protobufBytes + KplFormat.Md5Length;

    /// <summary>The Kinesis partition key for the aggregated record: the first user record's; null while empty.</summary>
    public string? PartitionKey { get; private set; }

    /// <summary>
    /// Adds a user record unless it would take the aggregate past the size limit (then false, nothing added). A first
    /// record is always taken, so a record larger than the limit travels alone.
    /// </summary>
    public bool TryAdd(string partitionKey, ReadOnlyMemory<byte> data)
    {
        ArgumentException.ThrowIfNullOrEmpty(partitionKey);
        var isNewKey = !_keyIndex.TryGetValue(partitionKey, out var keyIndex);
        var keyBytes = isNewKey ? Encoding.UTF8.GetBytes(partitionKey) : null;
        if (isNewKey)
        {
            keyIndex = _keys.Count;
        }

        var added = (isNewKey ? ProtobufWire.LengthDelimitedSize(keyBytes!.Length) : 0) + ProtobufWire.LengthDelimitedSize(RecordLength(keyIndex, data.Length));
        if (_records.Count > 0 && Size + added > _maxBytes)
        {
            return false;
        }

        if (isNewKey)
        {
            _keyIndex.Add(partitionKey, keyIndex);
            _keys.Add(keyBytes!);
        }

        _records.Add((keyIndex, data));
        _protobufBytes += added;
        PartitionKey ??= partitionKey;
        return true;
    }

    /// <summary>The aggregated record of everything added; the builder is then empty again.</summary>
    public byte[] Build()
    {
        if (_records.Count == 0)
        {
            throw new InvalidOperationException("An aggregated record needs at least one user record.");
        }

        var output = new byte[Size];
        KplFormat.Magic.CopyTo(output);
        var position = KplFormat.Magic.Length;
        foreach (var key in _keys)
        {
            position += WriteLengthDelimited(output.AsSpan(position), KplFormat.PartitionKeyTableField, key);
        }

        foreach (var (keyIndex, data) in _records)
        {
            var span = output.AsSpan(position);
            var n = ProtobufWire.WriteKey(span, KplFormat.RecordsField, ProtobufWire.LengthDelimited);
            n += ProtobufWire.WriteVarint(span[n..], (ulong)RecordLength(keyIndex, data.Length));
            n += ProtobufWire.WriteKey(span[n..], KplFormat.PartitionKeyIndexField, ProtobufWire.Varint);
            n += ProtobufWire.WriteVarint(span[n..], (ulong)keyIndex);
            n += WriteLengthDelimited(span[n..], KplFormat.DataField, data.Span);
            position += n;
        }

#pragma warning disable CA5351 // The format's integrity check is MD5; it guards against corruption, not forgery.
        MD5.HashData(output.AsSpan(KplFormat.Magic.Length, _protobufBytes), output.AsSpan(position));
#pragma warning restore CA5351
        Clear();
        return output;
    }

    public void Clear()
    {
        _keyIndex.Clear();
        _keys.Clear();
        _records.Clear();
        _protobufBytes = 0;
        PartitionKey = null;
    }

    /// <summary>A Record message's length: partition_key_index (key + varint) and data (key + length + bytes).</summary>
    private static int RecordLength(int keyIndex, int dataLength) => 1 + ProtobufWire.VarintLength((ulong)keyIndex) + ProtobufWire.LengthDelimitedSize(dataLength);

    private static int WriteLengthDelimited(Span<byte> destination, int field, ReadOnlySpan<byte> content)
    {
        var n = ProtobufWire.WriteKey(destination, field, ProtobufWire.LengthDelimited);
        n += ProtobufWire.WriteVarint(destination[n..], (ulong)content.Length);
        content.CopyTo(destination[n..]);
        return n + content.Length;
    }
}
