using System.Text;

namespace StreamPredict.Aws.Lambda.Events;

/// <summary>
/// A JSON value's text kept as a position in <see cref="KinesisRecordList.Text"/> instead of a .NET string, so decoding
/// a batch allocates nothing per record. It holds no reference, so storing 10,000 records costs no GC write barriers.
/// </summary>
public readonly struct Utf8Slice
{
    private readonly int _start;
    private readonly int _lengthPlusOne; // 0 = the property was absent or null

    public Utf8Slice(int start, int length)
    {
        _start = start;
        _lengthPlusOne = length + 1;
    }

    public bool IsPresent => _lengthPlusOne != 0;

    public int Length => IsPresent ? _lengthPlusOne - 1 : 0;

    /// <summary>The value's text in <paramref name="text"/>, which must be the list's <see cref="KinesisRecordList.Text"/>.</summary>
    public ReadOnlySpan<byte> Span(ReadOnlySpan<byte> text) => IsPresent ? text.Slice(_start, _lengthPlusOne - 1) : default;

    public string ToString(ReadOnlySpan<byte> text) => Encoding.UTF8.GetString(Span(text));
}
