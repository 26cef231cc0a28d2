using System.Globalization;
using System.Security.Cryptography;
using System.Text.Unicode;

namespace StreamPredict.Aws.Kinesis.Aggregation;

/// <summary>Where one user record of an aggregate is: offsets into the aggregated record's bytes, and its table indices.</summary>
public readonly record struct UserRecordSlice(int DataOffset, int DataLength, int PartitionKeyIndex, int ExplicitHashKeyIndex);

/// <summary>
/// Reads a KPL aggregated record (<see cref="KplFormat"/>) in place: the MD5 trailer is checked, the protobuf is walked
/// once, and each user record and table key is kept as a position in the given bytes, so decoding allocates nothing
/// per record. One decoder is reused record after record; after <see cref="TryDecode"/> succeeds, <see cref="Count"/>,
/// <see cref="Record"/>, <see cref="Data"/> and <see cref="PartitionKey"/> describe that record until the next call.
/// </summary>
/// <remarks>
/// Refused, with a reason naming the problem: a record too short for the magic and the trailer, an MD5 that does not
/// match, malformed protobuf (a varint or length running past the end, an unknown wire type, a known field with the
/// wrong wire type), a record without partition_key_index or data, a table index out of range, a partition key that
/// is not UTF-8, and an aggregate with no records (it would leave nothing to account for). Unknown fields are skipped,
/// as protobuf readers do. Not thread-safe.
/// </remarks>
public sealed class AggregatedRecordDecoder
{
    private readonly List<(int Offset, int Length)> _partitionKeys = [];
    private readonly List<(int Offset, int Length)> _recordMessages = [];
    private readonly List<UserRecordSlice> _records = [];
    private int _explicitHashKeys;

    /// <summary>User records in the last aggregate decoded.</summary>
    public int Count => _records.Count;

    public UserRecordSlice Record(int index) => _records[index];

    /// <summary>User record <paramref name="index"/>'s data, a slice of <paramref name="aggregate"/> (the bytes last decoded).</summary>
    public ReadOnlySpan<byte> Data(ReadOnlySpan<byte> aggregate, int index)
    {
        var record = _records[index];
        return aggregate.Slice(record.DataOffset, record.DataLength);
    }

    /// <summary>User record <paramref name="index"/>'s partition key from the table, as UTF-8 bytes in <paramref name="aggregate"/>.</summary>
    public ReadOnlySpan<byte> PartitionKey(ReadOnlySpan<byte> aggregate, int index)
    {
        var (offset, length) = PartitionKeyPosition(index);
        return aggregate.Slice(offset, length);
    }

    /// <summary>Where user record <paramref name="index"/>'s partition key is in the aggregate's bytes.</summary>
    public (int Offset, int Length) PartitionKeyPosition(int index) => _partitionKeys[_records[index].PartitionKeyIndex];

    /// <summary>Decodes <paramref name="aggregate"/> (magic, protobuf, MD5). Null on success; otherwise why it is not a valid aggregate.</summary>
    public string? TryDecode(ReadOnlySpan<byte> aggregate)
    {
        _partitionKeys.Clear();
        _recordMessages.Clear();
        _records.Clear();
        _explicitHashKeys = 0;
        if (!KplFormat.IsAggregated(aggregate))
        {
            return "the record does not start with the KPL magic F3 89 9A C2";
        }

        if (aggregate.Length < KplFormat.Magic.Length + KplFormat.Md5Length)
        {
            return Invariant($"the aggregated record has {aggregate.Length} bytes, too few for the magic and the 16-byte MD5 trailer");
        }

        var start = KplFormat.Magic.Length;
        var message = aggregate[start..^KplFormat.Md5Length];
        Span<byte> md5 = stackalloc byte[KplFormat.Md5Length];
#pragma warning disable CA5351 // The format's integrity check is MD5; it guards against corruption, not forgery.
        MD5.HashData(message, md5);
#pragma warning restore CA5351
        if (!md5.SequenceEqual(aggregate[^KplFormat.Md5Length..]))
        {
            return "the MD5 trailer does not match the aggregated record's protobuf bytes (corrupt or truncated)";
        }

        var problem = ReadAggregate(message, start) ?? ReadRecords(aggregate);
        if (problem is not null)
        {
            _records.Clear();
            return "the aggregated record's protobuf is broken: " + problem;
        }

        return _records.Count == 0 ? "the aggregated record holds no user records" : null;
    }

    /// <summary>The top level: the tables and where each Record message is (offsets relative to the whole aggregate).</summary>
    private string? ReadAggregate(ReadOnlySpan<byte> message, int baseOffset)
    {
        var position = 0;
        while (position < message.Length)
        {
            var keyAt = position;
            if (!ProtobufWire.TryReadKey(message, ref position, out var field, out var wireType))
            {
                return Invariant($"a field key at byte {baseOffset + keyAt} is malformed");
            }

            if (field is KplFormat.PartitionKeyTableField or KplFormat.ExplicitHashKeyTableField or KplFormat.RecordsField)
            {
                if (wireType != ProtobufWire.LengthDelimited)
                {
                    return Invariant($"field {field} at byte {baseOffset + keyAt} has wire type {wireType}, not length-delimited");
                }

                if (!ProtobufWire.TryReadLengthDelimited(message, ref position, out var valueStart, out var length))
                {
                    return Invariant($"field {field} at byte {baseOffset + keyAt} runs past the end of the record");
                }

                if (field == KplFormat.PartitionKeyTableField)
                {
                    if (!Utf8.IsValid(message.Slice(valueStart, length)))
                    {
                        return Invariant($"partition key {_partitionKeys.Count} is not UTF-8");
                    }

                    _partitionKeys.Add((baseOffset + valueStart, length));
                }
                else if (field == KplFormat.ExplicitHashKeyTableField)
                {
                    _explicitHashKeys++;
                }
                else
                {
                    _recordMessages.Add((baseOffset + valueStart, length));
                }
            }
            else if (!ProtobufWire.TrySkip(message, ref position, wireType))
            {
                return Invariant($"unknown field {field} at byte {baseOffset + keyAt} runs past the end of the record");
            }
        }

        return null;
    }

    private string? ReadRecords(ReadOnlySpan<byte> aggregate)
    {
        for (var r = 0; r < _recordMessages.Count; r++)
        {
            var (offset, length) = _recordMessages[r];
            var record = aggregate.Slice(offset, length);
            var position = 0;
            ulong? partitionKeyIndex = null;
            ulong? explicitHashKeyIndex = null;
            (int Start, int Length)? data = null;
            while (position < record.Length)
            {
                if (!ProtobufWire.TryReadKey(record, ref position, out var field, out var wireType))
                {
                    return Invariant($"record {r} has a malformed field key");
                }

                var expected = field switch
                {
                    KplFormat.PartitionKeyIndexField or KplFormat.ExplicitHashKeyIndexField => ProtobufWire.Varint,
                    KplFormat.DataField or KplFormat.TagsField => ProtobufWire.LengthDelimited,
                    _ => wireType,
                };
                if (wireType != expected)
                {
                    return Invariant($"record {r} field {field} has wire type {wireType}, expected {expected}");
                }

                switch (field)
                {
                    case KplFormat.PartitionKeyIndexField or KplFormat.ExplicitHashKeyIndexField:
                        if (!ProtobufWire.TryReadVarint(record, ref position, out var index))
                        {
                            return Invariant($"record {r} field {field} is a malformed varint");
                        }

                        if (field == KplFormat.PartitionKeyIndexField)
                        {
                            partitionKeyIndex = index;
                        }
                        else
                        {
                            explicitHashKeyIndex = index;
                        }

                        break;
                    case KplFormat.DataField:
                        if (!ProtobufWire.TryReadLengthDelimited(record, ref position, out var start, out var dataLength))
                        {
                            return Invariant($"record {r}'s data runs past the end of the record");
                        }

                        data = (offset + start, dataLength);
                        break;
                    default:
                        // Tags (and fields newer than this reader) carry nothing the function uses.
                        if (!ProtobufWire.TrySkip(record, ref position, wireType))
                        {
                            return Invariant($"record {r} field {field} runs past the end of the record");
                        }

                        break;
                }
            }

            if (partitionKeyIndex is not { } keyIndex)
            {
                return Invariant($"record {r} has no partition_key_index");
            }

            if (keyIndex >= (ulong)_partitionKeys.Count)
            {
                return Invariant($"record {r} has partition_key_index {keyIndex}, but the table has {_partitionKeys.Count} key(s)");
            }

            if (explicitHashKeyIndex is { } hashIndex && hashIndex >= (ulong)_explicitHashKeys)
            {
                return Invariant($"record {r} has explicit_hash_key_index {hashIndex}, but the table has {_explicitHashKeys} key(s)");
            }

            if (data is not { } slice)
            {
                return Invariant($"record {r} has no data");
            }

            _records.Add(new UserRecordSlice(slice.Start, slice.Length, (int)keyIndex, explicitHashKeyIndex is { } h ? (int)h : -1));
        }

        return null;
    }

    private static string Invariant(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);
}
