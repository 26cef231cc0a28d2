namespace StreamPredict.Data.Tlc;

/// <summary>The trips of one TLC file that the course trains on (the <see cref="CourseFilter"/>), with counts of the rest.</summary>
public sealed class TlcDataset
{
    public required string Source { get; init; }

    /// <summary>Trips kept: all five fields present and readable, integral location ids, 1 &lt;= duration &lt;= 60 minutes.</summary>
    public required IReadOnlyList<TripRow> Rows { get; init; }

    /// <summary>Data rows in the file.</summary>
    public long RowsRead { get; init; }

    /// <summary>Rows with a missing or unreadable location id, distance or timestamp (the raw 2023 files have some).</summary>
    public long SkippedMissingValues { get; init; }

    /// <summary>Rows whose duration falls outside 1..60 minutes, the course's filter.</summary>
    public long OutsideDurationRange { get; init; }

    /// <summary>Reads a parquet, CSV or csv.gz file and keeps what the course trains on.</summary>
    public static TlcDataset ReadFile(string path) => ReadFileAsync(path, CancellationToken.None).GetAwaiter().GetResult();

    public static async Task<TlcDataset> ReadFileAsync(string path, CancellationToken cancellationToken)
    {
        var reader = await TlcTripReader.OpenFileAsync(path, cancellationToken).ConfigureAwait(false);
        await using (reader.ConfigureAwait(false))
        {
            return await ReadAsync(reader, cancellationToken).ConfigureAwait(false);
        }
    }

    public static async Task<TlcDataset> ReadAsync(TlcTripReader reader, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(reader);
        var rows = new List<TripRow>(reader.RowCount is { } known ? (int)Math.Min(known, int.MaxValue) : 0);
        long read = 0, missing = 0, outside = 0;
        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false) is { } chunk)
        {
            using (chunk)
            {
                read += chunk.Count;
                foreach (ref readonly var trip in chunk.Trips)
                {
                    if (!IsUsable(trip))
                    {
                        missing++;
                    }
                    else if (!CourseFilter.Keeps(trip.DurationMinutes))
                    {
                        outside++;
                    }
                    else
                    {
                        rows.Add(new TripRow((int)trip.PickupLocationId, (int)trip.DropoffLocationId, trip.TripDistance, trip.DurationMinutes));
                    }
                }
            }
        }

        return new TlcDataset { Source = reader.Source, Rows = rows, RowsRead = read, SkippedMissingValues = missing, OutsideDurationRange = outside };
    }

    /// <summary>
    /// Whether <see cref="ReadAsync"/> keeps this row as a trip: all five fields readable, integral location ids, and the
    /// course's 1..60-minute filter. Public so that whoever needs a kept trip's row in the file can count rows the same way.
    /// </summary>
    public static bool Keeps(in TlcTrip trip) => IsUsable(trip) && CourseFilter.Keeps(trip.DurationMinutes);

    private static bool IsUsable(in TlcTrip trip) =>
        trip.IsComplete && IsWholeId(trip.PickupLocationId) && IsWholeId(trip.DropoffLocationId) && double.IsFinite(trip.TripDistance);

    /// <summary>Whether a location id as read (int, long, double or text) is a whole number that fits an int; the batch job's rule too.</summary>
    public static bool IsWholeId(double value) => value == Math.Floor(value) && value is >= int.MinValue and <= int.MaxValue;
}
