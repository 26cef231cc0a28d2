using System.Globalization;

namespace StreamPredict.Data.Tlc;

/// <summary>Values written as text (CSV, or parquet columns stored as strings).</summary>
internal static class TlcText
{
    // The TLC's own form first; the others are what pandas and spreadsheets write when they re-save a file.
    private static readonly string[] TimestampFormats =
        ["yyyy-MM-dd HH:mm:ss", "yyyy-MM-dd HH:mm:ss.FFFFFFF", "yyyy-MM-ddTHH:mm:ss", "yyyy-MM-ddTHH:mm:ss.FFFFFFF", "yyyy-MM-dd HH:mm"];

    public static bool TryParseTimestamp(ReadOnlySpan<char> text, out DateTime value) =>
        DateTime.TryParseExact(text.Trim(), TimestampFormats, CultureInfo.InvariantCulture, DateTimeStyles.None, out value);

    public static bool TryParseNumber(ReadOnlySpan<char> text, out double value) =>
        double.TryParse(text.Trim(), NumberStyles.Float, CultureInfo.InvariantCulture, out value);
}
