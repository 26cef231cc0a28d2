namespace StreamPredict.Data.Tlc;

/// <summary>The trips read from one TLC file, with counts of what was left out and why.</summary>
public sealed class TlcDataset
{
    public required string Source { get; init; }

    /// <summary>Trips kept: all five columns present and 1 &lt;= duration &lt;= 60 minutes.</summary>
    public required IReadOnlyList<TripRow> Rows { get; init; }

    /// <summary>Data lines in the file.</summary>
    public long RowsRead { get; init; }

    /// <summary>Lines with a blank location id, distance or timestamp (the raw 2023 files have some).</summary>
    public long SkippedMissingValues { get; init; }

    /// <summary>Lines whose duration falls outside 1..60 minutes, the course's filter.</summary>
    public long OutsideDurationRange { get; init; }
}
