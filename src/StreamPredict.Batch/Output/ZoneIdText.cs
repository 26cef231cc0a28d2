using System.Globalization;
using System.Runtime.InteropServices;
using ParquetSharp;
using StreamPredict.Model;

namespace StreamPredict.Batch.Output;

/// <summary>
/// Zone ids as the course writes them (text), as UTF-8 made once in a pinned table that lives as long as the process:
/// a scored ride's zones are always 1..265, and a row's value is only an address into this table.
/// </summary>
internal static class ZoneIdText
{
    private static readonly int Width = RideValidator.MaxLocationId.ToString(CultureInfo.InvariantCulture).Length;

    // Held here so the GC never frees what the addresses below point into (pinned: it never moves either).
    private static readonly byte[] Table = GC.AllocateUninitializedArray<byte>((RideValidator.MaxLocationId + 1) * Width, pinned: true);

    private static readonly ByteArray[] Texts = [.. Enumerable.Range(0, RideValidator.MaxLocationId + 1).Select(Text)];

    public static ByteArray Of(int zone) => Texts[zone];

    private static ByteArray Text(int zone)
    {
        zone.TryFormat(Table.AsSpan(zone * Width, Width), out var length, default, CultureInfo.InvariantCulture);
        return new ByteArray(Marshal.UnsafeAddrOfPinnedArrayElement(Table, zone * Width), length);
    }
}
