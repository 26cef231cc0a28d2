using System.Buffers;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace StreamPredict.Function.Events;

/// <summary>The Records array, held in a pooled array so that a 10,000-record batch does not grow a List.</summary>
[JsonConverter(typeof(KinesisRecordListConverter))]
internal sealed class KinesisRecordList : IDisposable
{
    private KinesisEventRecord[] _items = [];

    public int Count { get; private set; }

    public ref readonly KinesisEventRecord this[int index]
    {
        get
        {
            ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual((uint)index, (uint)Count, nameof(index));
            return ref _items[index];
        }
    }

    public void Add(in KinesisEventRecord record)
    {
        if (Count == _items.Length)
        {
            var larger = ArrayPool<KinesisEventRecord>.Shared.Rent(Math.Max(64, _items.Length * 2));
            _items.AsSpan(0, Count).CopyTo(larger);
            Return();
            _items = larger;
        }

        _items[Count++] = record;
    }

    public void Dispose()
    {
        Return();
        _items = [];
        Count = 0;
    }

    private void Return()
    {
        if (_items.Length > 0)
        {
            ArrayPool<KinesisEventRecord>.Shared.Return(_items, clearArray: true);
        }
    }
}

/// <summary>
/// Reads Records element by element with the serializer's own reader. The elements are read by hand rather than
/// through a nested JsonSerializer call: that call boxes each struct and scopes a new reader per element, which cost
/// ~800 bytes and most of the decode time per record. Reading here also keeps token positions absolute in the payload.
/// </summary>
internal sealed class KinesisRecordListConverter : JsonConverter<KinesisRecordList>
{
    public override KinesisRecordList? Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
    {
        if (reader.TokenType == JsonTokenType.Null)
        {
            return null;
        }

        Expect(ref reader, JsonTokenType.StartArray, "Records", -1);
        var list = new KinesisRecordList();
        try
        {
            while (reader.Read() && reader.TokenType != JsonTokenType.EndArray)
            {
                list.Add(ReadRecord(ref reader, list.Count));
            }
        }
        catch
        {
            list.Dispose();
            throw;
        }

        return list;
    }

    public override void Write(Utf8JsonWriter writer, KinesisRecordList value, JsonSerializerOptions options)
        => throw new NotSupportedException("The event is only ever read.");

    private static KinesisEventRecord ReadRecord(ref Utf8JsonReader reader, int index)
    {
        Expect(ref reader, JsonTokenType.StartObject, "", index);
        var record = default(KinesisEventRecord);
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            var name = Field(ref reader);
            reader.Read();
            switch (name)
            {
                case Member.Kinesis: record.Kinesis = ReadKinesis(ref reader, index); break;
                case Member.EventSource: record.EventSource = Utf8SliceConverter.ReadSlice(ref reader); break;
                case Member.EventId: record.EventId = Utf8SliceConverter.ReadSlice(ref reader); break;
                case Member.EventSourceArn: record.EventSourceArn = Utf8SliceConverter.ReadSlice(ref reader); break;
                case Member.AwsRegion: record.AwsRegion = Utf8SliceConverter.ReadSlice(ref reader); break;
                case Member.EventName: record.EventName = Utf8SliceConverter.ReadSlice(ref reader); break;
                case Member.EventVersion: record.EventVersion = Utf8SliceConverter.ReadSlice(ref reader); break;
                case Member.InvokeIdentityArn: record.InvokeIdentityArn = Utf8SliceConverter.ReadSlice(ref reader); break;
                default: reader.Skip(); break;
            }
        }

        return record;
    }

    private static KinesisRecordData ReadKinesis(ref Utf8JsonReader reader, int index)
    {
        Expect(ref reader, JsonTokenType.StartObject, ".kinesis", index);
        var data = default(KinesisRecordData);
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            var name = Field(ref reader);
            reader.Read();
            switch (name)
            {
                case Member.Data: data.Data = Utf8SliceConverter.ReadSlice(ref reader); break;
                case Member.PartitionKey: data.PartitionKey = Utf8SliceConverter.ReadSlice(ref reader); break;
                case Member.SequenceNumber: data.SequenceNumber = Utf8SliceConverter.ReadSlice(ref reader); break;
                case Member.KinesisSchemaVersion: data.KinesisSchemaVersion = Utf8SliceConverter.ReadSlice(ref reader); break;
                case Member.EncryptionType: data.EncryptionType = Utf8SliceConverter.ReadSlice(ref reader); break;
                case Member.ApproximateArrivalTimestamp:
                    Expect(ref reader, JsonTokenType.Number, ".kinesis.approximateArrivalTimestamp", index);
                    data.ApproximateArrivalTimestamp = reader.GetDouble();
                    break;
                default: reader.Skip(); break;
            }
        }

        return data;
    }

    private enum Member
    {
        Other, Kinesis, EventSource, EventId, EventSourceArn, AwsRegion, EventName, EventVersion, InvokeIdentityArn,
        Data, PartitionKey, SequenceNumber, KinesisSchemaVersion, EncryptionType, ApproximateArrivalTimestamp,
    }

    /// <summary>Names the property the reader is on. Dispatches on length first: this runs ~13 times per record.</summary>
    private static Member Field(ref Utf8JsonReader reader)
    {
        Span<byte> unescaped = stackalloc byte[32];
        scoped ReadOnlySpan<byte> name = reader.ValueSpan;
        if (reader.ValueIsEscaped)
        {
            if (name.Length > unescaped.Length)
            {
                return Member.Other;
            }

            name = unescaped[..reader.CopyString(unescaped)];
        }

        return name.Length switch
        {
            4 when name.SequenceEqual("data"u8) => Member.Data,
            7 when name.SequenceEqual("eventID"u8) => Member.EventId,
            7 when name.SequenceEqual("kinesis"u8) => Member.Kinesis,
            9 when name.SequenceEqual("eventName"u8) => Member.EventName,
            9 when name.SequenceEqual("awsRegion"u8) => Member.AwsRegion,
            11 when name.SequenceEqual("eventSource"u8) => Member.EventSource,
            12 when name.SequenceEqual("partitionKey"u8) => Member.PartitionKey,
            12 when name.SequenceEqual("eventVersion"u8) => Member.EventVersion,
            14 when name.SequenceEqual("sequenceNumber"u8) => Member.SequenceNumber,
            14 when name.SequenceEqual("eventSourceARN"u8) => Member.EventSourceArn,
            14 when name.SequenceEqual("encryptionType"u8) => Member.EncryptionType,
            17 when name.SequenceEqual("invokeIdentityArn"u8) => Member.InvokeIdentityArn,
            20 when name.SequenceEqual("kinesisSchemaVersion"u8) => Member.KinesisSchemaVersion,
            27 when name.SequenceEqual("approximateArrivalTimestamp"u8) => Member.ApproximateArrivalTimestamp,
            _ => Member.Other,
        };
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
}
