using System.Globalization;
using System.Text.RegularExpressions;

namespace StreamPredict.Batch;

/// <summary>The month a run scores: the month the trips were made in (not the month the run happens in).</summary>
public readonly partial record struct ScoringMonth : IComparable<ScoringMonth>
{
    public ScoringMonth(int year, int month)
    {
        if (year is < 1900 or > 9999)
        {
            throw new ArgumentOutOfRangeException(nameof(year), year, "The year must be 1900..9999.");
        }

        if (month is < 1 or > 12)
        {
            throw new ArgumentOutOfRangeException(nameof(month), month, "The month must be 1..12.");
        }

        Year = year;
        Month = month;
    }

    public int Year { get; }

    public int Month { get; }

    public ScoringMonth Next => Month == 12 ? new(Year + 1, 1) : new(Year, Month + 1);

    /// <summary>What the course's score.py scores when run on <paramref name="runDate"/>: the month before it.</summary>
    public static ScoringMonth BeforeRunDate(DateTime runDate) => MonthBefore(runDate.Year, runDate.Month);

    /// <summary>"2021-02".</summary>
    public override string ToString() => string.Create(CultureInfo.InvariantCulture, $"{Year:D4}-{Month:D2}");

    public int CompareTo(ScoringMonth other) => (Year * 12 + Month).CompareTo(other.Year * 12 + other.Month);

    public static bool operator <(ScoringMonth left, ScoringMonth right) => left.CompareTo(right) < 0;

    public static bool operator >(ScoringMonth left, ScoringMonth right) => left.CompareTo(right) > 0;

    public static bool operator <=(ScoringMonth left, ScoringMonth right) => left.CompareTo(right) <= 0;

    public static bool operator >=(ScoringMonth left, ScoringMonth right) => left.CompareTo(right) >= 0;

    /// <summary>"YYYY-MM", as in --from/--to; the message names <paramref name="what"/>.</summary>
    public static ScoringMonth Parse(string text, string what)
    {
        var match = text is null ? null : ExactPattern().Match(text.Trim());
        return match is { Success: true } && TryCreate(match, out var month)
            ? month
            : throw new FormatException($"{what} '{text}' is not a month: use YYYY-MM, e.g. 2021-02.");
    }

    /// <summary>The YYYY-MM in a TLC file name such as green_tripdata_2023-03.parquet; null when it has none.</summary>
    public static ScoringMonth? FromFileName(string path)
    {
        var match = FileNamePattern().Match(Path.GetFileName(path ?? ""));
        return match.Success && TryCreate(match, out var month) ? month : null;
    }

    /// <summary>Every month from <paramref name="from"/> to <paramref name="to"/>, both included.</summary>
    public static IReadOnlyList<ScoringMonth> Range(ScoringMonth from, ScoringMonth to)
    {
        if (from > to)
        {
            throw new ArgumentException($"--from {from} is after --to {to}.", nameof(from));
        }

        var months = new List<ScoringMonth>();
        for (var month = from; month <= to; month = month.Next)
        {
            months.Add(month);
        }

        return months;
    }

    private static ScoringMonth MonthBefore(int year, int month) => month == 1 ? new(year - 1, 12) : new(year, month - 1);

    /// <summary>The month, or false when the constructor would refuse it (a year outside 1900..9999, a month outside 1..12).</summary>
    public static bool TryCreate(int year, int month, out ScoringMonth result)
    {
        var valid = year is >= 1900 and <= 9999 && month is >= 1 and <= 12;
        result = valid ? new ScoringMonth(year, month) : default;
        return valid;
    }

    private static bool TryCreate(Match match, out ScoringMonth month) =>
        TryCreate(int.Parse(match.Groups[1].ValueSpan, CultureInfo.InvariantCulture), int.Parse(match.Groups[2].ValueSpan, CultureInfo.InvariantCulture), out month);

    [GeneratedRegex(@"^(\d{4})-(\d{2})$")]
    private static partial Regex ExactPattern();

    [GeneratedRegex(@"(?<!\d)(\d{4})-(\d{2})(?!\d)")]
    private static partial Regex FileNamePattern();
}
