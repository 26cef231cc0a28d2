using System.Globalization;
using System.Text;

namespace StreamPredict.Batch;

/// <summary>
/// The course's deterministic ride id (2025 homework): <c>{YYYY}/{MM}_{row index}</c>, the row's 0-based position in the
/// input file. The same file always gives the same ids, so a re-run replaces rather than duplicates.
/// </summary>
public static class RideIds
{
    public static string Prefix(ScoringMonth month) => string.Create(CultureInfo.InvariantCulture, $"{month.Year:D4}/{month.Month:D2}_");

    /// <summary>The prefix as UTF-8 (ASCII), for <see cref="Format"/>.</summary>
    public static byte[] Utf8Prefix(ScoringMonth month) => Encoding.UTF8.GetBytes(Prefix(month));

    public static string For(ScoringMonth month, long rowIndex) => Prefix(month) + rowIndex.ToString(CultureInfo.InvariantCulture);

    /// <summary>
    /// Writes the id as UTF-8 into <paramref name="destination"/> (at least <see cref="MaxLength"/> bytes); returns the
    /// bytes written. The parquet writer takes these bytes as they are: no string per row.
    /// </summary>
    public static int Format(ReadOnlySpan<byte> utf8Prefix, long rowIndex, Span<byte> destination)
    {
        utf8Prefix.CopyTo(destination);
        if (!rowIndex.TryFormat(destination[utf8Prefix.Length..], out var digits, default, CultureInfo.InvariantCulture))
        {
            throw new ArgumentException($"A ride id needs up to {MaxLength} bytes; the buffer has {destination.Length}.", nameof(destination));
        }

        return utf8Prefix.Length + digits;
    }

    /// <summary>The longest id: the prefix and the 20 characters of a long (a minus sign and 19 digits).</summary>
    public const int MaxLength = 8 + 20;
}
