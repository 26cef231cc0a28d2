using System.Text;

namespace StreamPredict.Function.Events;

/// <summary>
/// A JSON value's text kept as a position in the event payload instead of a .NET string, so decoding a batch
/// allocates nothing per record. Valid only while the payload it was read from is alive.
/// </summary>
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
