using System.Text.Json;

namespace StreamPredict.Aws.Lambda.Events;

/// <summary>
/// Reads Lambda's Kinesis event, <c>{"Records": [{"kinesis": {…}, "eventSource": …}, …]}</c>, into positions in the payload.
/// Events as Lambda writes them take the plain path (<see cref="PlainJsonCursor"/>); anything else — escapes, nested
/// extras, malformed JSON — is read again by Utf8JsonReader, which accepts every valid form and names what is wrong.
/// Both paths give identical records (a test compares them on generated events).
/// </summary>
public static class KinesisEventReader
{
    /// <summary>The event's records; null when it has no "Records" member (or it is null).</summary>
    /// <exception cref="JsonException">The payload is not JSON or not shaped like a Kinesis event; the message says where.</exception>
    public static KinesisRecordList? Read(ReadOnlyMemory<byte> payload)
        => TryReadPlain(payload, out var records) ? records : ReadGeneral(payload);

    // ---- The plain path: false, with nothing kept, on the first thing it does not expect. ----

    internal static bool TryReadPlain(ReadOnlyMemory<byte> payload, out KinesisRecordList? records)
    {
        var cursor = new PlainJsonCursor(payload.Span);
        var list = new KinesisRecordList { Text = payload };
        records = null;
        var hasRecords = false;
        var ok = cursor.TryConsume((byte)'{');
        if (ok && !cursor.TryConsume((byte)'}'))
        {
            do
            {
                ok = cursor.TryReadName(out var name);
                if (ok && name.SequenceEqual("Records"u8))
                {
                    // A repeated "Records" is left to the general path.
                    ok = !hasRecords && ReadPlainRecords(ref cursor, list);
                    hasRecords = true;
                }
                else
                {
                    ok = ok && PlainJsonCursor.IsPlain(name) && cursor.TrySkipScalar();
                }
            }
            while (ok && cursor.TryConsume((byte)','));

            ok = ok && cursor.TryConsume((byte)'}');
        }

        if (ok && hasRecords && cursor.AtEnd())
        {
            records = list;
            return true;
        }

        list.Dispose();
        return false;
    }

    private static bool ReadPlainRecords(ref PlainJsonCursor cursor, KinesisRecordList list)
    {
        if (!cursor.TryConsume((byte)'['))
        {
            return false;
        }

        if (cursor.TryConsume((byte)']'))
        {
            return true;
        }

        do
        {
            var record = default(KinesisEventRecord);
            if (!ReadPlainObject(ref cursor, ref record, inKinesis: false))
            {
                return false;
            }

            list.Add(record);
        }
        while (cursor.TryConsume((byte)','));

        return cursor.TryConsume((byte)']');
    }

    /// <summary>A record object, or (<paramref name="inKinesis"/>) its "kinesis" object, whose members go to <paramref name="record"/>.Kinesis.</summary>
    private static bool ReadPlainObject(ref PlainJsonCursor cursor, ref KinesisEventRecord record, bool inKinesis)
    {
        if (!cursor.TryConsume((byte)'{'))
        {
            return false;
        }

        if (cursor.TryConsume((byte)'}'))
        {
            return true;
        }

        var order = inKinesis ? KinesisMemberOrder : RecordMemberOrder;
        var next = 0;
        do
        {
            Member member;
            if (next < order.Length && cursor.TryConsumeName(order[next].QuotedName))
            {
                member = order[next++].Member;
                if (!cursor.TryConsume((byte)':'))
                {
                    return false;
                }
            }
            else if (cursor.TryReadName(out var name) && ((member = Field(name, inKinesis)) != Member.Other || PlainJsonCursor.IsPlain(name)))
            {
                next = order.Length; // out of Lambda's order: stop guessing
            }
            else
            {
                return false;
            }

            if (member == Member.Kinesis)
            {
                record.Kinesis = default; // a repeated "kinesis" replaces the first, as in the general path
                if (!ReadPlainObject(ref cursor, ref record, inKinesis: true))
                {
                    return false;
                }
            }
            else if (member == Member.ApproximateArrivalTimestamp)
            {
                if (!cursor.TryReadNumber(out var start, out var length))
                {
                    return false;
                }

                record.Kinesis.ApproximateArrivalTimestamp = new Utf8Slice(start, length);
            }
            else if (member == Member.Other)
            {
                if (!cursor.TrySkipScalar())
                {
                    return false;
                }
            }
            else
            {
                if (!cursor.TryReadString(out var start, out var length))
                {
                    return false;
                }

                Set(ref record, member, new Utf8Slice(start, length));
            }
        }
        while (cursor.TryConsume((byte)','));

        return cursor.TryConsume((byte)'}');
    }

    /// <summary>
    /// Every member we read, in the order Lambda writes them (encryptionType, for encrypted streams, assumed last). Trying the expected name first is one comparison instead of searching for
    /// the closing quote and then dispatching on the name, 13 times per record (7% of the hot path).
    /// </summary>
    private static readonly (byte[] QuotedName, Member Member)[] RecordMemberOrder =
    [
        ("\"kinesis\""u8.ToArray(), Member.Kinesis), ("\"eventSource\""u8.ToArray(), Member.EventSource),
        ("\"eventVersion\""u8.ToArray(), Member.EventVersion), ("\"eventID\""u8.ToArray(), Member.EventId),
        ("\"eventName\""u8.ToArray(), Member.EventName), ("\"invokeIdentityArn\""u8.ToArray(), Member.InvokeIdentityArn),
        ("\"awsRegion\""u8.ToArray(), Member.AwsRegion), ("\"eventSourceARN\""u8.ToArray(), Member.EventSourceArn),
    ];

    private static readonly (byte[] QuotedName, Member Member)[] KinesisMemberOrder =
    [
        ("\"kinesisSchemaVersion\""u8.ToArray(), Member.KinesisSchemaVersion), ("\"partitionKey\""u8.ToArray(), Member.PartitionKey),
        ("\"sequenceNumber\""u8.ToArray(), Member.SequenceNumber), ("\"data\""u8.ToArray(), Member.Data),
        ("\"approximateArrivalTimestamp\""u8.ToArray(), Member.ApproximateArrivalTimestamp), ("\"encryptionType\""u8.ToArray(), Member.EncryptionType),
    ];

    // ---- The general path: any valid JSON; JsonException naming the member on anything else. ----

    internal static KinesisRecordList? ReadGeneral(ReadOnlyMemory<byte> payload)
    {
        var reader = new Utf8JsonReader(payload.Span);
        var text = new UnescapedText(payload);
        KinesisRecordList? records = null;
        try
        {
            reader.Read();
            Expect(ref reader, JsonTokenType.StartObject, "the event", -1);
            while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
            {
                var isRecords = reader.ValueTextEquals("Records"u8);
                reader.Read();
                if (!isRecords)
                {
                    reader.Skip();
                    continue;
                }

                records?.Dispose(); // the last "Records" wins, as with any JSON object read into a type
                records = reader.TokenType == JsonTokenType.Null ? null : ReadGeneralRecords(ref reader, text);
            }

            // Rejects trailing content after the object (Read throws on it).
            while (reader.Read())
            {
            }

            records?.Text = text.Result;
            return records;
        }
        catch
        {
            records?.Dispose();
            throw;
        }
    }

    private static KinesisRecordList ReadGeneralRecords(ref Utf8JsonReader reader, UnescapedText text)
    {
        Expect(ref reader, JsonTokenType.StartArray, "Records", -1);
        var list = new KinesisRecordList();
        try
        {
            while (reader.Read() && reader.TokenType != JsonTokenType.EndArray)
            {
                var record = default(KinesisEventRecord);
                ReadGeneralObject(ref reader, ref record, list.Count, inKinesis: false, text);
                list.Add(record);
            }
        }
        catch
        {
            list.Dispose();
            throw;
        }

        return list;
    }

    private static void ReadGeneralObject(ref Utf8JsonReader reader, ref KinesisEventRecord record, int index, bool inKinesis, UnescapedText text)
    {
        Expect(ref reader, JsonTokenType.StartObject, inKinesis ? ".kinesis" : "", index);
        Span<byte> unescaped = stackalloc byte[32];
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            // Member names are short; a longer escaped one cannot be a member we read.
            scoped var name = reader.ValueSpan;
            if (reader.ValueIsEscaped)
            {
                name = name.Length > unescaped.Length ? default : unescaped[..reader.CopyString(unescaped)];
            }

            var member = Field(name, inKinesis);
            reader.Read();
            switch (member)
            {
                case Member.Kinesis:
                    record.Kinesis = default;
                    ReadGeneralObject(ref reader, ref record, index, inKinesis: true, text);
                    break;
                case Member.ApproximateArrivalTimestamp:
                    Expect(ref reader, JsonTokenType.Number, ".kinesis.approximateArrivalTimestamp", index);
                    record.Kinesis.ApproximateArrivalTimestamp = new Utf8Slice(checked((int)reader.TokenStartIndex), reader.ValueSpan.Length);
                    break;
                case Member.Other:
                    reader.Skip();
                    break;
                default:
                    Set(ref record, member, ReadString(ref reader, text));
                    break;
            }
        }
    }

    /// <summary>The string token the reader is on (null gives an absent slice).</summary>
    private static Utf8Slice ReadString(ref Utf8JsonReader reader, UnescapedText text)
    {
        if (reader.TokenType == JsonTokenType.Null)
        {
            return default;
        }

        if (reader.TokenType != JsonTokenType.String)
        {
            throw new JsonException($"Expected a JSON string but found {reader.TokenType}.");
        }

        // TokenStartIndex is the opening quote.
        return reader.ValueIsEscaped
            ? text.Append(ref reader)
            : new Utf8Slice(checked((int)reader.TokenStartIndex + 1), reader.ValueSpan.Length);
    }

    /// <summary>
    /// Where the general path puts values written with escapes: after a copy of the payload, so that every slice,
    /// escaped or not, points into one buffer. Most events have none, and then the payload itself is the text.
    /// </summary>
    private sealed class UnescapedText(ReadOnlyMemory<byte> payload)
    {
        private byte[]? _buffer;
        private int _length;

        public ReadOnlyMemory<byte> Result => _buffer is null ? payload : _buffer.AsMemory(0, _length);

        public Utf8Slice Append(ref Utf8JsonReader reader)
        {
            if (_buffer is null)
            {
                _buffer = new byte[payload.Length + reader.ValueSpan.Length];
                payload.Span.CopyTo(_buffer);
                _length = payload.Length;
            }

            // Unescaped text is never longer than its escaped form.
            if (_length + reader.ValueSpan.Length > _buffer.Length)
            {
                Array.Resize(ref _buffer, Math.Max(_buffer.Length * 2, _length + reader.ValueSpan.Length));
            }

            var written = reader.CopyString(_buffer.AsSpan(_length));
            var slice = new Utf8Slice(_length, written);
            _length += written;
            return slice;
        }
    }

    /// <summary>The message is only formatted on failure: this runs several times per record.</summary>
    private static void Expect(ref Utf8JsonReader reader, JsonTokenType expected, string member, int index)
    {
        if (reader.TokenType != expected)
        {
            var where = index < 0 ? member : $"Records[{index}]{member}";
            throw new JsonException($"{where} must be {expected} but is {reader.TokenType}.");
        }
    }

    // ---- Member names, shared by both paths. ----

    private enum Member
    {
        Other, Kinesis, EventSource, EventId, EventSourceArn, AwsRegion, EventName, EventVersion, InvokeIdentityArn,
        Data, PartitionKey, SequenceNumber, KinesisSchemaVersion, EncryptionType, ApproximateArrivalTimestamp,
    }

    /// <summary>Names a member of a record or (<paramref name="inKinesis"/>) of its "kinesis" object.</summary>
    private static Member Field(ReadOnlySpan<byte> name, bool inKinesis)
    {
        foreach (var (quotedName, member) in inKinesis ? KinesisMemberOrder : RecordMemberOrder)
        {
            if (name.SequenceEqual(quotedName.AsSpan(1, quotedName.Length - 2)))
            {
                return member;
            }
        }

        return Member.Other;
    }

    private static void Set(ref KinesisEventRecord record, Member member, Utf8Slice value)
    {
        switch (member)
        {
            case Member.EventSource: record.EventSource = value; break;
            case Member.EventId: record.EventId = value; break;
            case Member.EventSourceArn: record.EventSourceArn = value; break;
            case Member.AwsRegion: record.AwsRegion = value; break;
            case Member.EventName: record.EventName = value; break;
            case Member.EventVersion: record.EventVersion = value; break;
            case Member.InvokeIdentityArn: record.InvokeIdentityArn = value; break;
            case Member.Data: record.Kinesis.Data = value; break;
            case Member.PartitionKey: record.Kinesis.PartitionKey = value; break;
            case Member.SequenceNumber: record.Kinesis.SequenceNumber = value; break;
            case Member.KinesisSchemaVersion: record.Kinesis.KinesisSchemaVersion = value; break;
            case Member.EncryptionType: record.Kinesis.EncryptionType = value; break;
            default: throw new ArgumentOutOfRangeException(nameof(member), member, "not a string member");
        }
    }
}
