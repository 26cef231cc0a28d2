using Parquet;
using Parquet.Schema;

namespace StreamPredict.Data.Tlc;

/// <summary>
/// Writes trips as a TLC-shaped parquet file (the five columns the model needs, named for the taxi type, zone ids as
/// int64 like the 2023 files): for the batch benchmark's large inputs and for tests that need parquet from other data.
/// </summary>
public static class TlcParquetWriter
{
    /// <summary>pyarrow's default since version 15 (and what TLC-sized files hold per group).</summary>
    public const int DefaultRowGroupRows = 1 << 20;

    /// <summary>Writes <paramref name="rows"/> trips taken from <paramref name="trips"/> in order, repeating them as often as needed.</summary>
    public static async Task WriteRepeatedAsync(string path, TlcTaxiType taxiType, IReadOnlyList<TlcTrip> trips, long rows, CancellationToken cancellationToken,
        int rowGroupRows = DefaultRowGroupRows)
    {
        ArgumentNullException.ThrowIfNull(trips);
        if (trips.Count == 0)
        {
            throw new ArgumentException("There are no trips to write.", nameof(trips));
        }

        var schema = new ParquetSchema(
            new DateTimeDataField(taxiType.PickupColumn(), DateTimeFormat.Timestamp, isAdjustedToUTC: false, unit: DateTimeTimeUnit.Micros, isNullable: true),
            new DateTimeDataField(taxiType.DropoffColumn(), DateTimeFormat.Timestamp, isAdjustedToUTC: false, unit: DateTimeTimeUnit.Micros, isNullable: true),
            new DataField<long>(TlcColumns.PickupLocation, nullable: true),
            new DataField<long>(TlcColumns.DropoffLocation, nullable: true),
            new DataField<double>(TlcColumns.Distance, nullable: true));
        var fields = schema.GetDataFields();
        var file = new FileStream(path, FileMode.Create, FileAccess.Write, FileShare.None, 1 << 16);
        await using (file.ConfigureAwait(false))
        {
            var writer = await ParquetWriter.CreateAsync(schema, file, cancellationToken: cancellationToken).ConfigureAwait(false);
            await using (writer.ConfigureAwait(false))
            {
                for (long start = 0; start < rows; start += rowGroupRows)
                {
                    var count = (int)Math.Min(rowGroupRows, rows - start);
                    var group = Enumerable.Range(0, count).Select(i => trips[(int)((start + i) % trips.Count)]).ToArray();
                    using var rowGroup = writer.CreateRowGroup();
                    await rowGroup.WriteAsync<DateTime>(fields[0], group.Select(t => t.Has(TlcFields.Pickup) ? t.Pickup : (DateTime?)null).ToArray(), cancellationToken: cancellationToken).ConfigureAwait(false);
                    await rowGroup.WriteAsync<DateTime>(fields[1], group.Select(t => t.Has(TlcFields.Dropoff) ? t.Dropoff : (DateTime?)null).ToArray(), cancellationToken: cancellationToken).ConfigureAwait(false);
                    await rowGroup.WriteAsync<long>(fields[2], group.Select(t => Id(t, TlcFields.PickupLocation, t.PickupLocationId)).ToArray(), cancellationToken: cancellationToken).ConfigureAwait(false);
                    await rowGroup.WriteAsync<long>(fields[3], group.Select(t => Id(t, TlcFields.DropoffLocation, t.DropoffLocationId)).ToArray(), cancellationToken: cancellationToken).ConfigureAwait(false);
                    await rowGroup.WriteAsync<double>(fields[4], group.Select(t => t.Has(TlcFields.Distance) ? t.TripDistance : (double?)null).ToArray(), cancellationToken: cancellationToken).ConfigureAwait(false);
                }
            }
        }
    }

    /// <summary>Every trip of a file, in order (for small files: it holds them all).</summary>
    public static async Task<(TlcTaxiType TaxiType, List<TlcTrip> Trips)> ReadAllAsync(string path, CancellationToken cancellationToken)
    {
        var trips = new List<TlcTrip>();
        var reader = await TlcTripReader.OpenFileAsync(path, cancellationToken).ConfigureAwait(false);
        await using (reader.ConfigureAwait(false))
        {
            while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false) is { } chunk)
            {
                using (chunk)
                {
                    trips.AddRange(chunk.Trips);
                }
            }

            return (reader.TaxiType, trips);
        }
    }

    private static long? Id(in TlcTrip trip, TlcFields field, double value) =>
        trip.Has(field) && value == Math.Floor(value) && value is >= long.MinValue and <= long.MaxValue ? (long)value : null;
}
