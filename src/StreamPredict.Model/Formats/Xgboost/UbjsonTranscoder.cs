using System.Buffers;
using System.Buffers.Binary;
using System.Text;
using System.Text.Json;

namespace StreamPredict.Model.Formats.Xgboost;

/// <summary>
/// Rewrites a UBJSON document (what XGBoost writes for save_model("x.ubj"), and by default from 2.0 on) as JSON, so
/// one reader serves both. Covers the spec's value types and the optimized containers ($ type, # count) that XGBoost
/// uses for its arrays; numbers are big-endian. float32 values are written as float32 so they read back exactly.
/// </summary>
internal sealed class UbjsonTranscoder
{
    private const int MaxDepth = 64;

    private static readonly UTF8Encoding StrictUtf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    private readonly ReadOnlyMemory<byte> _data;
    private readonly Utf8JsonWriter _writer;
    private int _position;

    private UbjsonTranscoder(ReadOnlyMemory<byte> data, Utf8JsonWriter writer)
    {
        _data = data;
        _writer = writer;
    }

    public static byte[] ToJson(ReadOnlyMemory<byte> ubjson)
    {
        var buffer = new ArrayBufferWriter<byte>(ubjson.Length * 2);
        using (var writer = new Utf8JsonWriter(buffer, new JsonWriterOptions { SkipValidation = true }))
        {
            var transcoder = new UbjsonTranscoder(ubjson, writer);
            transcoder.Value(transcoder.Marker(), 0);
            if (transcoder._position != ubjson.Length)
            {
                throw transcoder.Error("unexpected bytes after the document's end");
            }
        }

        return buffer.WrittenSpan.ToArray();
    }

    private void Value(byte marker, int depth)
    {
        switch (marker)
        {
            case (byte)'{':
                Container(isObject: true, depth + 1);
                break;
            case (byte)'[':
                Container(isObject: false, depth + 1);
                break;
            case (byte)'S' or (byte)'H':
                _writer.WriteStringValue(Text());
                break;
            case (byte)'C':
                _writer.WriteStringValue(Text(1));
                break;
            default:
                Scalar(marker);
                break;
        }
    }

    private void Scalar(byte marker)
    {
        switch (marker)
        {
            case (byte)'Z':
                _writer.WriteNullValue();
                break;
            case (byte)'T':
                _writer.WriteBooleanValue(true);
                break;
            case (byte)'F':
                _writer.WriteBooleanValue(false);
                break;
            case (byte)'d':
                _writer.WriteNumberValue(BinaryPrimitives.ReadSingleBigEndian(Take(4)));
                break;
            case (byte)'D':
                _writer.WriteNumberValue(BinaryPrimitives.ReadDoubleBigEndian(Take(8)));
                break;
            case (byte)'i' or (byte)'U' or (byte)'I' or (byte)'l' or (byte)'L':
                _writer.WriteNumberValue(Integer(marker));
                break;
            default:
                throw Error($"'{(char)marker}' is not a UBJSON value type");
        }
    }

    private void Container(bool isObject, int depth)
    {
        if (depth > MaxDepth)
        {
            throw Error($"nested deeper than {MaxDepth} levels");
        }

        byte? type = null;
        long count = -1;
        if (Peek() == '$')
        {
            _position++;
            type = Marker();
            if (type is (byte)'Z' or (byte)'T' or (byte)'F')
            {
                // Elements of these types have no payload, so a count could make output out of nothing.
                throw Error($"optimized containers of '{(char)type}' are not supported");
            }

            if (Peek() != '#')
            {
                throw Error("an optimized container's type ($) must be followed by its count (#)");
            }
        }

        if (Peek() == '#')
        {
            _position++;
            count = Integer(Marker());
            if (count < 0 || count > _data.Length - _position)
            {
                throw Error($"container count {count} is more than the bytes left");
            }
        }

        if (isObject)
        {
            _writer.WriteStartObject();
        }
        else
        {
            _writer.WriteStartArray();
        }

        for (long i = 0; count < 0 || i < count; i++)
        {
            if (count < 0 && Peek() == (isObject ? '}' : ']'))
            {
                _position++;
                break;
            }

            if (isObject)
            {
                _writer.WritePropertyName(Text());
            }

            Value(type ?? Marker(), depth);
        }

        if (isObject)
        {
            _writer.WriteEndObject();
        }
        else
        {
            _writer.WriteEndArray();
        }
    }

    private long Integer(byte marker) => marker switch
    {
        (byte)'i' => (sbyte)Take(1)[0],
        (byte)'U' => Take(1)[0],
        (byte)'I' => BinaryPrimitives.ReadInt16BigEndian(Take(2)),
        (byte)'l' => BinaryPrimitives.ReadInt32BigEndian(Take(4)),
        (byte)'L' => BinaryPrimitives.ReadInt64BigEndian(Take(8)),
        _ => throw Error($"'{(char)marker}' is not a UBJSON integer type"),
    };

    private string Text() => Text(Integer(Marker()));

    private string Text(long length)
    {
        if (length < 0 || length > _data.Length - _position)
        {
            throw Error($"a string of {length} bytes does not fit in the {_data.Length - _position} left");
        }

        try
        {
            return StrictUtf8.GetString(Take((int)length));
        }
        catch (DecoderFallbackException)
        {
            throw Error("a string is not valid UTF-8");
        }
    }

    private byte Marker()
    {
        byte marker;
        do
        {
            marker = Take(1)[0];
        }
        while (marker == 'N'); // no-op padding

        return marker;
    }

    private byte Peek() => _position < _data.Length ? _data.Span[_position] : throw Error("truncated");

    private ReadOnlySpan<byte> Take(int count)
    {
        if (count > _data.Length - _position)
        {
            throw Error($"needs {count} bytes but only {_data.Length - _position} remain (truncated)");
        }

        ReadOnlySpan<byte> span = _data.Span.Slice(_position, count);
        _position += count;
        return span;
    }

    private ModelLoadException Error(string message) => new($"XGBoost UBJSON model: at byte {_position}: {message}");
}
