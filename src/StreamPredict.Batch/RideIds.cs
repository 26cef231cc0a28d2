using System.Globalization;

namespace StreamPredict.Batch;

/// <summary>
/// The course's deterministic ride id (2025 homework): <c>{YYYY}/{MM}_{row index}</c>, the row's 0-based position in the
/// input file. The same file always gives the same ids, so a re-run replaces rather than duplicates.
/// </summary>
public static class RideIds
{
    public static string Prefix(ScoringMonth month) => string.Create(CultureInfo.InvariantCulture, $"{month.Year:D4}/{month.Month:D2}_");

    public static string For(ScoringMonth month, long rowIndex) => Prefix(month) + rowIndex.ToString(CultureInfo.InvariantCulture);

    /// <summary>Writes the id into <paramref name="destination"/>; returns the characters written.</summary>
    public static int Format(ReadOnlySpan<char> prefix, long rowIndex, Span<char> destination)
    {
        prefix.CopyTo(destination);
        rowIndex.TryFormat(destination[prefix.Length..], out var digits, default, CultureInfo.InvariantCulture);
        return prefix.Length + digits;
    }

    /// <summary>The longest id: the prefix and the 19 digits of a long.</summary>
    public const int MaxLength = 8 + 19;
}
