namespace StreamPredict.Aws.Kinesis.Aggregation;

/// <summary>The protobuf wire format's pieces the KPL format uses: varints, keys and length-delimited fields.</summary>
internal static class ProtobufWire
{
    public const int Varint = 0;
    public const int Fixed64 = 1;
    public const int LengthDelimited = 2;
    public const int Fixed32 = 5;

    /// <summary>Reads a varint at <paramref name="position"/> (at most 10 bytes); false when it runs past the end or is too long.</summary>
    public static bool TryReadVarint(ReadOnlySpan<byte> buffer, ref int position, out ulong value)
    {
        value = 0;
        for (var shift = 0; shift < 64; shift += 7)
        {
            if (position >= buffer.Length)
            {
                return false;
            }

            var b = buffer[position++];
            value |= (ulong)(b & 0x7F) << shift;
            if (b < 0x80)
            {
                return shift < 63 || b <= 1;
            }
        }

        return false;
    }

    /// <summary>Reads a field's key; false at a malformed key (bad varint, field number 0, a group or unknown wire type).</summary>
    public static bool TryReadKey(ReadOnlySpan<byte> buffer, ref int position, out int field, out int wireType)
    {
        field = 0;
        wireType = 0;
        if (!TryReadVarint(buffer, ref position, out var key) || key >> 3 is 0 or > int.MaxValue)
        {
            return false;
        }

        field = (int)(key >> 3);
        wireType = (int)(key & 7);
        return wireType is Varint or Fixed64 or LengthDelimited or Fixed32;
    }

    /// <summary>Reads a length prefix and returns the field's bytes as (start, length); false when they run past the end.</summary>
    public static bool TryReadLengthDelimited(ReadOnlySpan<byte> buffer, ref int position, out int start, out int length)
    {
        start = length = 0;
        if (!TryReadVarint(buffer, ref position, out var size) || size > (ulong)(buffer.Length - position))
        {
            return false;
        }

        start = position;
        length = (int)size;
        position += length;
        return true;
    }

    /// <summary>Skips a field of <paramref name="wireType"/> whose key was just read.</summary>
    public static bool TrySkip(ReadOnlySpan<byte> buffer, ref int position, int wireType)
    {
        switch (wireType)
        {
            case Varint:
                return TryReadVarint(buffer, ref position, out _);
            case LengthDelimited:
                return TryReadLengthDelimited(buffer, ref position, out _, out _);
            case Fixed64 or Fixed32:
                var size = wireType == Fixed64 ? 8 : 4;
                if (buffer.Length - position < size)
                {
                    return false;
                }

                position += size;
                return true;
            default:
                return false;
        }
    }

    public static int VarintLength(ulong value)
    {
        var length = 1;
        while (value >= 0x80)
        {
            value >>= 7;
            length++;
        }

        return length;
    }

    public static int WriteVarint(Span<byte> destination, ulong value)
    {
        var i = 0;
        while (value >= 0x80)
        {
            destination[i++] = (byte)(value | 0x80);
            value >>= 7;
        }

        destination[i++] = (byte)value;
        return i;
    }

    /// <summary>Bytes a length-delimited field takes in all: key, length prefix, content (field numbers below 16 have one-byte keys).</summary>
    public static int LengthDelimitedSize(int contentLength) => 1 + VarintLength((ulong)contentLength) + contentLength;

    public static int WriteKey(Span<byte> destination, int field, int wireType) => WriteVarint(destination, (ulong)((field << 3) | wireType));
}
