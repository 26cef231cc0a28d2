using System.Globalization;
using StreamPredict.Model;

namespace StreamPredict.Batch.Output;

/// <summary>Zone ids as the course writes them (text), made once: a scored ride's zones are always 1..265.</summary>
internal static class ZoneIdText
{
    private static readonly ReadOnlyMemory<char>[] Texts = [.. Enumerable.Range(0, RideValidator.MaxLocationId + 1)
        .Select(id => id.ToString(CultureInfo.InvariantCulture).AsMemory())];

    public static ReadOnlyMemory<char> Of(int zone) => Texts[zone];
}
