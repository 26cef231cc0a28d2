using System.Runtime.InteropServices;
using Encoding = System.Text.Encoding;
using ParquetSharp;

namespace StreamPredict.Batch.Output;

/// <summary>
/// The values of one text column for one row group: UTF-8 bytes laid end to end in a single pinned buffer, and per row a
/// <see cref="ByteArray"/> (address and length) into it, which is what the native writer reads. Pinned (on the
/// pinned-object heap) because the native side holds raw addresses; reused from chunk to chunk, grown only by
/// <see cref="Start"/>, never while values point into it.
/// </summary>
internal sealed class PinnedText
{
    private byte[] _bytes = GC.AllocateUninitializedArray<byte>(1, pinned: true);
    private ByteArray[] _values = [];
    private int _used;
    private int _count;

    /// <summary>Forgets the last chunk's values and makes room for <paramref name="rows"/> values of <paramref name="bytes"/> in all.</summary>
    public void Start(int rows, int bytes)
    {
        if (_bytes.Length < bytes)
        {
            _bytes = GC.AllocateUninitializedArray<byte>(Math.Max(bytes, _bytes.Length * 2), pinned: true);
        }

        if (_values.Length < rows)
        {
            _values = new ByteArray[Math.Max(rows, _values.Length * 2)];
        }

        _used = 0;
        _count = 0;
    }

    /// <summary>The free part of the buffer: write the next value's bytes here, then <see cref="Commit"/> their length.</summary>
    public Span<byte> Free => _bytes.AsSpan(_used);

    public void Commit(int length)
    {
        _values[_count++] = new ByteArray(Marshal.UnsafeAddrOfPinnedArrayElement(_bytes, _used), length);
        _used += length;
    }

    public void Add(string text) => Commit(Encoding.UTF8.GetBytes(text, Free));

    public ReadOnlySpan<ByteArray> Values => _values.AsSpan(0, _count);

    /// <summary>Room for <paramref name="texts"/> as UTF-8 (exact byte counts: the rejected rows' few strings).</summary>
    public static int BytesFor(IEnumerable<string> texts) => texts.Sum(Encoding.UTF8.GetByteCount);
}
