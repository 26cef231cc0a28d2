using ParquetSharp;
using ParquetSharp.Schema;

namespace StreamPredict.Data.Tlc;

/// <summary>
/// Writes trips as a TLC-shaped parquet file (the five columns the model needs, named for the taxi type, zone ids as
/// int64 like the 2023 files): for the batch benchmark's large inputs and for tests that need parquet from other data.
/// Snappy, like pandas; timestamps are TIMESTAMP(MICROS) not adjusted to UTC, the wall-clock times as read.
/// </summary>
public static class TlcParquetWriter
{
    /// <summary>pyarrow's default since version 15 (and what TLC-sized files hold per group).</summary>
    public const int DefaultRowGroupRows = 1 << 20;

    /// <summary>Rows handed to a column writer per call: a large row group is written without holding it all.</summary>
    private const int BatchRows = TlcParquetReader.ChunkRows;

    /// <summary>Writes <paramref name="rows"/> trips taken from <paramref name="trips"/> in order, repeating them as often as needed.</summary>
    public static Task WriteRepeatedAsync(string path, TlcTaxiType taxiType, IReadOnlyList<TlcTrip> trips, long rows, CancellationToken cancellationToken,
        int rowGroupRows = DefaultRowGroupRows)
    {
        ArgumentNullException.ThrowIfNull(trips);
        if (trips.Count == 0)
        {
            throw new ArgumentException("There are no trips to write.", nameof(trips));
        }

        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(rowGroupRows);
        using var schema = Schema(taxiType);
        using var builder = new WriterPropertiesBuilder();
        using var properties = builder.Compression(Compression.Snappy).Build();
        using var file = new ParquetFileWriter(path, schema, properties);
        var batch = new Batch();
        for (long start = 0; start < rows; start += rowGroupRows)
        {
            var groupRows = Math.Min(rowGroupRows, rows - start);
            using var group = file.AppendRowGroup();
            for (var column = 0; column < 5; column++)
            {
                using var writer = group.NextColumn();
                for (long done = 0; done < groupRows; done += BatchRows)
                {
                    cancellationToken.ThrowIfCancellationRequested();
                    var count = (int)Math.Min(BatchRows, groupRows - done);
                    batch.Write(writer, column, trips, start + done, count);
                }
            }

            group.Close();
        }

        file.Close();
        return Task.CompletedTask;
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

    private static GroupNode Schema(TlcTaxiType taxiType) => ParquetNodes.Root(
        ParquetNodes.Timestamp(taxiType.PickupColumn(), optional: true),
        ParquetNodes.Timestamp(taxiType.DropoffColumn(), optional: true),
        ParquetNodes.Int64(TlcColumns.PickupLocation, optional: true),
        ParquetNodes.Int64(TlcColumns.DropoffLocation, optional: true),
        ParquetNodes.Double(TlcColumns.Distance, optional: true));

    /// <summary>One batch of one column: definition levels (1 = a value, 0 = null) and the non-null values, packed.</summary>
    private sealed class Batch
    {
        private readonly short[] _levels = new short[BatchRows];
        private readonly long[] _longs = new long[BatchRows];
        private readonly double[] _doubles = new double[BatchRows];

        public void Write(ColumnWriter writer, int column, IReadOnlyList<TlcTrip> trips, long first, int count)
        {
            var values = 0;
            for (var i = 0; i < count; i++)
            {
                var trip = trips[(int)((first + i) % trips.Count)];
                var present = column switch
                {
                    0 => Micros(trip, TlcFields.Pickup, trip.Pickup, ref _longs[values]),
                    1 => Micros(trip, TlcFields.Dropoff, trip.Dropoff, ref _longs[values]),
                    2 => Id(trip, TlcFields.PickupLocation, trip.PickupLocationId, ref _longs[values]),
                    3 => Id(trip, TlcFields.DropoffLocation, trip.DropoffLocationId, ref _longs[values]),
                    _ => Distance(trip, ref _doubles[values]),
                };
                _levels[i] = present ? (short)1 : (short)0;
                values += present ? 1 : 0;
            }

            if (writer is ColumnWriter<double> distances)
            {
                distances.WriteBatch(count, _levels.AsSpan(0, count), default, _doubles.AsSpan(0, values));
            }
            else
            {
                ((ColumnWriter<long>)writer).WriteBatch(count, _levels.AsSpan(0, count), default, _longs.AsSpan(0, values));
            }
        }

        private static bool Micros(in TlcTrip trip, TlcFields field, DateTime value, ref long micros)
        {
            micros = ParquetNodes.Micros(value);
            return trip.Has(field);
        }

        private static bool Id(in TlcTrip trip, TlcFields field, double value, ref long id)
        {
            var whole = trip.Has(field) && value == Math.Floor(value) && value is >= long.MinValue and < long.MaxValue;
            id = whole ? (long)value : 0;
            return whole;
        }

        private static bool Distance(in TlcTrip trip, ref double distance)
        {
            distance = trip.TripDistance;
            return trip.Has(TlcFields.Distance);
        }
    }
}
