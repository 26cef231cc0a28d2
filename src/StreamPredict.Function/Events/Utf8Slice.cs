using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace StreamPredict.Function.Events;

/// <summary>
/// A JSON string value kept as a position in the event payload instead of a .NET string, so decoding a batch
/// allocates nothing per record. Valid only while the payload it was read from is alive, and only when the event was
/// deserialized from that payload as one span (token positions are then absolute).
/// </summary>
[JsonConverter(typeof(Utf8SliceConverter))]
internal readonly struct Utf8Slice
{
    private readonly int _start;
    private readonly int _lengthPlusOne; // 0 = the property was absent or null
    private readonly byte[]? _unescaped; // only for the rare value written with JSON escapes

    public Utf8Slice(int start, int length, byte[]? unescaped = null)
    {
        _start = start;
        _lengthPlusOne = length + 1;
        _unescaped = unescaped;
    }

    public bool IsPresent => _lengthPlusOne != 0;

    public int Length => IsPresent ? _lengthPlusOne - 1 : 0;

    public ReadOnlySpan<byte> Span(ReadOnlySpan<byte> payload)
        => _unescaped ?? (IsPresent ? payload.Slice(_start, _lengthPlusOne - 1) : default);

    public string ToString(ReadOnlySpan<byte> payload) => Encoding.UTF8.GetString(Span(payload));
}

internal sealed class Utf8SliceConverter : JsonConverter<Utf8Slice>
{
    public override Utf8Slice Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) => ReadSlice(ref reader);

    /// <summary>Reads the string token the reader is on (null gives an absent slice).</summary>
    public static Utf8Slice ReadSlice(ref Utf8JsonReader reader)
    {
        if (reader.TokenType == JsonTokenType.Null)
        {
            return default;
        }

        if (reader.TokenType != JsonTokenType.String)
        {
            throw new JsonException($"Expected a JSON string but found {reader.TokenType}.");
        }

        if (reader.ValueIsEscaped)
        {
            var unescaped = new byte[reader.ValueSpan.Length];
            var written = reader.CopyString(unescaped);
            return new Utf8Slice(0, written, unescaped.AsSpan(0, written).ToArray());
        }

        // TokenStartIndex is the opening quote.
        return new Utf8Slice(checked((int)reader.TokenStartIndex + 1), reader.ValueSpan.Length);
    }

    public override void Write(Utf8JsonWriter writer, Utf8Slice value, JsonSerializerOptions options)
        => throw new NotSupportedException("A Utf8Slice is read-only: it needs the payload it points into.");
}
