using System.Buffers.Binary;
using System.Runtime.InteropServices;
using System.Text;

namespace StreamPredict.Model.Formats.Pickle;

/// <summary>Reads the pickle's bytes, turning every overrun into an error that names the offset and what was expected.</summary>
internal sealed class PickleInput
{
    private static readonly UTF8Encoding StrictUtf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    private readonly ReadOnlyMemory<byte> _data;

    // The bytes behind _data, indexed directly: ReadOnlyMemory.Span costs a type check per call, and a pickle is
    // read one or two bytes at a time.
    private readonly byte[] _array;
    private readonly int _offset;

    public PickleInput(ReadOnlyMemory<byte> data)
    {
        if (MemoryMarshal.TryGetArray(data, out ArraySegment<byte> segment))
        {
            _data = data;
            _array = segment.Array!;
            _offset = segment.Offset;
        }
        else
        {
            _array = data.ToArray();
            _data = _array;
            _offset = 0;
        }
    }

    public int Position { get; private set; }

    public int Remaining => _data.Length - Position;

    /// <summary>Where the opcode being executed starts, and its name: every error names both.</summary>
    public int OpcodeStart { get; private set; }

    public string OpcodeName { get; private set; } = "start";

    public void BeginOpcode(string name, int start)
    {
        OpcodeName = name;
        OpcodeStart = start;
    }

    public byte ReadByte(string what)
    {
        Need(1, what);
        return _array[_offset + Position++];
    }

    public ReadOnlySpan<byte> ReadSpan(long count, string what)
    {
        if (count < 0)
        {
            throw Error($"{what}: negative length {count}");
        }

        Need(count, what);
        var span = new ReadOnlySpan<byte>(_array, _offset + Position, (int)count);
        Position += (int)count;
        return span;
    }

    /// <summary>A slice of the input, not a copy: numpy payloads stay where they are until converted.</summary>
    public ReadOnlyMemory<byte> ReadMemory(long count, string what)
    {
        if (count < 0)
        {
            throw Error($"{what}: negative length {count}");
        }

        Need(count, what);
        ReadOnlyMemory<byte> slice = _data.Slice(Position, (int)count);
        Position += (int)count;
        return slice;
    }

    public ushort ReadUInt16(string what) => BinaryPrimitives.ReadUInt16LittleEndian(ReadSpan(2, what));

    public int ReadInt32(string what) => BinaryPrimitives.ReadInt32LittleEndian(ReadSpan(4, what));

    public uint ReadUInt32(string what) => BinaryPrimitives.ReadUInt32LittleEndian(ReadSpan(4, what));

    public long ReadLength64(string what)
    {
        ulong length = BinaryPrimitives.ReadUInt64LittleEndian(ReadSpan(8, what));
        if (length > (ulong)Remaining)
        {
            throw Error($"{what} says {length} bytes follow but only {Remaining} remain (truncated or corrupt)");
        }

        return (long)length;
    }

    public double ReadDoubleBigEndian(string what) => BinaryPrimitives.ReadDoubleBigEndian(ReadSpan(8, what));

    /// <summary>A newline-terminated line (GLOBAL's module and name), without the newline.</summary>
    public string ReadLine(string what)
    {
        var rest = new ReadOnlySpan<byte>(_array, _offset + Position, Remaining);
        int end = rest.IndexOf((byte)'\n');
        if (end < 0)
        {
            throw Error($"{what}: no newline before the end of the pickle (truncated)");
        }

        string line = Decode(rest[..end], what);
        Position += end + 1;
        return line;
    }

    public string ReadUtf8(long count, string what) => Decode(ReadSpan(count, what), what);

    private string Decode(ReadOnlySpan<byte> bytes, string what)
    {
        try
        {
            return StrictUtf8.GetString(bytes);
        }
        catch (DecoderFallbackException)
        {
            throw Error($"{what} is not valid UTF-8");
        }
    }

    private void Need(long count, string what)
    {
        if (count > Remaining)
        {
            throw Error($"{what} needs {count} bytes but only {Remaining} remain (truncated)");
        }
    }

    public ModelLoadException Error(string message) => new($"pickle: {OpcodeName} at byte {OpcodeStart}: {message}");
}
