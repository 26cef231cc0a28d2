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

internal sealed class KinesisRecordListConverter : JsonConverter<KinesisRecordList>
{
    public override KinesisRecordList? Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
    {
        if (reader.TokenType == JsonTokenType.Null)
        {
            return null;
        }

        if (reader.TokenType != JsonTokenType.StartArray)
        {
            throw new JsonException($"\"Records\" must be an array but is {reader.TokenType}.");
        }

        var list = new KinesisRecordList();
        while (reader.Read() && reader.TokenType != JsonTokenType.EndArray)
        {
            list.Add(JsonSerializer.Deserialize(ref reader, KinesisEventJsonContext.Default.KinesisEventRecord));
        }

        return list;
    }

    public override void Write(Utf8JsonWriter writer, KinesisRecordList value, JsonSerializerOptions options)
        => throw new NotSupportedException("The event is only ever read.");
}
