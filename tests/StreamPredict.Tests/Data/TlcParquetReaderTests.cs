using ParquetSharp;
using Parquet.Schema;
using StreamPredict.Data.Tlc;

namespace StreamPredict.Tests.Data;

/// <summary>The parquet reader's own promises: bounded chunks, every stored timestamp and decimal form, clear refusals.</summary>
public sealed class TlcParquetReaderTests : IDisposable
{
    private static readonly DateTime T0 = new(2021, 2, 1, 0, 34, 3);

    private readonly string _work = Directory.CreateTempSubdirectory("streampredict-tlcpq-").FullName;

    public void Dispose() => Directory.Delete(_work, recursive: true);

    private static async Task<(List<TlcTrip> Trips, List<(long First, int Count)> Chunks)> ReadAllAsync(TlcTripReader reader)
    {
        var trips = new List<TlcTrip>();
        var chunks = new List<(long, int)>();
        await using (reader)
        {
            while (await reader.ReadAsync(CancellationToken.None) is { } chunk)
            {
                using (chunk)
                {
                    chunks.Add((chunk.FirstRowIndex, chunk.Count));
                    trips.AddRange(chunk.Trips);
                }
            }
        }

        return (trips, chunks);
    }

    private static Task<(List<TlcTrip> Trips, List<(long First, int Count)> Chunks)> ReadFileAsync(string path) =>
        TlcTripReader.OpenFileAsync(path, CancellationToken.None).ContinueWith(t => ReadAllAsync(t.Result), TaskScheduler.Default).Unwrap();

    private static T?[] Rows<T>(int rows, Func<int, T?> value) where T : struct => Enumerable.Range(0, rows).Select(value).ToArray();

    [Fact]
    public async Task A_large_row_group_comes_in_chunks_of_at_most_the_bound_with_their_file_positions()
    {
        const int rows = 200_000;
        var path = Path.Combine(_work, "one-group.parquet");
        await TlcParquetFile.WriteAsync(path, rows, rows,
            TlcParquetFile.Timestamps("lpep_pickup_datetime", DateTimeFormat.Timestamp, Rows(rows, i => i % 1000 == 0 ? null : (DateTime?)T0.AddSeconds(i))),
            TlcParquetFile.Timestamps("lpep_dropoff_datetime", DateTimeFormat.Timestamp, Rows(rows, i => (DateTime?)T0.AddSeconds(i + 600))),
            TlcParquetFile.Of("PULocationID", Rows(rows, i => i % 7 == 0 ? null : (long?)(i % 265))),
            TlcParquetFile.Of("DOLocationID", Rows(rows, i => (int?)(i % 263))),
            TlcParquetFile.Of("trip_distance", Rows(rows, i => i % 11 == 0 ? null : (double?)(i / 100.0))));

        var reader = await TlcTripReader.OpenFileAsync(path, CancellationToken.None);
        Assert.Equal(rows, reader.RowCount);
        var (trips, chunks) = await ReadAllAsync(reader);

        const int bound = TlcParquetReader.ChunkRows;
        Assert.Equal([(0L, bound), (bound, bound), (2L * bound, bound), (3L * bound, rows - (3 * bound))], chunks);
        Assert.Equal(rows, trips.Count);
        for (var i = 0; i < rows; i++)
        {
            var trip = trips[i];
            Assert.Equal(i % 1000 != 0, trip.Has(TlcFields.Pickup));
            Assert.Equal(i % 7 != 0, trip.Has(TlcFields.PickupLocation));
            Assert.Equal(i % 11 != 0, trip.Has(TlcFields.Distance));
            Assert.Equal(T0.AddSeconds(i + 600), trip.Dropoff);
            Assert.Equal(i % 263, trip.DropoffLocationId);
            if (trip.Has(TlcFields.Pickup))
            {
                Assert.Equal(T0.AddSeconds(i), trip.Pickup);
            }

            if (trip.Has(TlcFields.PickupLocation))
            {
                Assert.Equal(i % 265, trip.PickupLocationId);
            }

            if (trip.Has(TlcFields.Distance))
            {
                Assert.Equal(i / 100.0, trip.TripDistance);
            }
        }
    }

    [Fact]
    public async Task The_writer_repeats_the_trips_in_row_groups_of_the_size_asked_as_snappy_micros_timestamps()
    {
        TlcTrip[] source =
        [
            Trip(T0, T0.AddMinutes(12), 43, 151, 1.01),
            Trip(T0.AddTicks(10), T0.AddMinutes(3), 7, 8, 0.5) with { Present = TlcFields.All & ~TlcFields.DropoffLocation },
            Trip(T0.AddHours(1), T0.AddHours(2), 130.5, 1, 20),
        ];
        var path = Path.Combine(_work, "written.parquet");
        await TlcParquetWriter.WriteRepeatedAsync(path, TlcTaxiType.Yellow, source, 200_000, CancellationToken.None, rowGroupRows: 150_000);

        using (var file = new ParquetFileReader(path))
        {
            Assert.Equal(2, file.FileMetaData.NumRowGroups);
            using var group = file.RowGroup(0);
            Assert.Equal(Compression.Snappy, group.MetaData.GetColumnChunkMetaData(0).Compression);
            var pickup = file.FileMetaData.Schema.Column(0);
            using var stamp = pickup.LogicalType;
            Assert.Equal(("tpep_pickup_datetime", PhysicalType.Int64), (pickup.Name, pickup.PhysicalType));
            Assert.Equal((TimeUnit.Micros, false), (((TimestampLogicalType)stamp).TimeUnit, ((TimestampLogicalType)stamp).IsAdjustedToUtc));
        }

        var (trips, chunks) = await ReadFileAsync(path);

        Assert.Equal([0L, 65_536, 131_072, 150_000], chunks.Select(c => c.First));
        Assert.Equal(200_000, trips.Count);
        Assert.Equal(Trip(T0, T0.AddMinutes(12), 43, 151, 1.01), trips[0]);
        Assert.Equal(TlcFields.All & ~TlcFields.DropoffLocation, trips[1].Present);
        Assert.Equal((T0.AddTicks(10), 7.0), (trips[1].Pickup, trips[1].PickupLocationId));
        // A zone id that is not whole cannot be an INT64: it is written as null, as the old writer did.
        Assert.Equal(TlcFields.All & ~TlcFields.PickupLocation, trips[2].Present);
        Assert.Equal(trips[0], trips[150_000]);
        Assert.Equal(trips[199_998], trips[0]);
    }

    private static TlcTrip Trip(DateTime pickup, DateTime dropoff, double from, double to, double distance) => new()
    {
        Pickup = pickup, Dropoff = dropoff, PickupLocationId = from, DropoffLocationId = to, TripDistance = distance, Present = TlcFields.All,
    };

    /// <summary>A one-row green file with the usual column types, except those given.</summary>
    private async Task<string> OneRowAsync(string name, TlcParquetFile.Column? pickup = null, TlcParquetFile.Column? dropoff = null,
        TlcParquetFile.Column? pickupZone = null, TlcParquetFile.Column? distance = null)
    {
        var path = Path.Combine(_work, name);
        await TlcParquetFile.WriteAsync(path, 1, 1,
            pickup ?? TlcParquetFile.Timestamps("lpep_pickup_datetime", DateTimeFormat.Timestamp, T0),
            dropoff ?? TlcParquetFile.Timestamps("lpep_dropoff_datetime", DateTimeFormat.Timestamp, T0.AddMinutes(5)),
            pickupZone ?? TlcParquetFile.Of<long>("PULocationID", 1),
            TlcParquetFile.Of<long>("DOLocationID", 2),
            distance ?? TlcParquetFile.Of<double>("trip_distance", 1.5));
        return path;
    }

    private async Task<TlcTrip> ReadOneAsync(TlcParquetFile.Column pickup, TlcParquetFile.Column dropoff) =>
        Assert.Single((await ReadFileAsync(await OneRowAsync("one.parquet", pickup, dropoff))).Trips);

    [Theory]
    [InlineData(DateTimeTimeUnit.Millis, false)]
    [InlineData(DateTimeTimeUnit.Micros, true)]
    [InlineData(DateTimeTimeUnit.Nanos, false)]
    [InlineData(DateTimeTimeUnit.Nanos, true)]
    public async Task Int64_timestamps_of_every_unit_are_read_as_wall_clock_times(DateTimeTimeUnit unit, bool adjustedToUtc)
    {
        var pickup = T0.AddMilliseconds(123);
        var trip = await ReadOneAsync(
            TlcParquetFile.Timestamps("lpep_pickup_datetime", unit, adjustedToUtc, pickup),
            TlcParquetFile.Timestamps("lpep_dropoff_datetime", unit, adjustedToUtc, pickup.AddMinutes(7)));

        Assert.Equal((pickup, DateTimeKind.Unspecified), (trip.Pickup, trip.Pickup.Kind));
        Assert.Equal(7, trip.DurationMinutes, 9);
    }

    [Fact]
    public async Task Int96_timestamps_keep_the_time_of_day_below_the_second()
    {
        var pickup = T0.AddTicks(1_234_567);
        var trip = await ReadOneAsync(
            TlcParquetFile.Timestamps("lpep_pickup_datetime", DateTimeFormat.Impala, pickup),
            TlcParquetFile.Timestamps("lpep_dropoff_datetime", DateTimeFormat.Impala, new DateTime(1969, 12, 31, 23, 59, 59)));

        Assert.Equal((pickup, DateTimeKind.Unspecified), (trip.Pickup, trip.Pickup.Kind));
        Assert.Equal(new DateTime(1969, 12, 31, 23, 59, 59), trip.Dropoff);
    }

    [Theory]
    [InlineData(5, 2, false, PhysicalType.Int32)]
    [InlineData(12, 3, false, PhysicalType.Int64)]
    [InlineData(20, 4, false, PhysicalType.FixedLenByteArray)]
    [InlineData(5, 2, true, PhysicalType.FixedLenByteArray)]
    public async Task Decimal_distances_are_the_unscaled_value_over_ten_to_the_scale(int precision, int scale, bool asBytes, PhysicalType stored)
    {
        var path = Path.Combine(_work, "decimal.parquet");
        await TlcParquetFile.WriteAsync(path, 3, 3,
            TlcParquetFile.Timestamps("lpep_pickup_datetime", DateTimeFormat.Timestamp, T0, T0, T0),
            TlcParquetFile.Timestamps("lpep_dropoff_datetime", DateTimeFormat.Timestamp, T0, T0, T0),
            TlcParquetFile.Of<long>("PULocationID", 1, 1, 1),
            TlcParquetFile.Decimals("DOLocationID", precision, scale, asBytes, 130m, 7m, 1m),
            TlcParquetFile.Decimals("trip_distance", precision, scale, asBytes, 3.66m, null, -1.25m));
        using (var file = new ParquetFileReader(path))
        {
            Assert.Equal(stored, file.FileMetaData.Schema.Column(4).PhysicalType);
        }

        var (trips, _) = await ReadFileAsync(path);

        Assert.Equal((130.0, 3.66), (trips[0].DropoffLocationId, trips[0].TripDistance));
        Assert.False(trips[1].Has(TlcFields.Distance));
        Assert.Equal(-1.25, trips[2].TripDistance);
        Assert.Equal(TlcFields.None, trips[0].Unreadable | trips[1].Unreadable | trips[2].Unreadable);
    }

    [Theory]
    [InlineData(new byte[] { 0x01, 0x6E }, 2, 3.66)]
    [InlineData(new byte[] { 0xFF, 0x83 }, 2, -1.25)]
    [InlineData(new byte[] { 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x82 }, 0, 130.0)]
    [InlineData(new byte[] { 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF }, 1, -0.1)]
    public void Byte_decimals_are_big_endian_twos_complement(byte[] bytes, int scale, double expected)
    {
        var trip = default(TlcTrip);
        BigEndianDecimal.Set(ref trip, TlcFields.Distance, bytes, BigEndianDecimal.Divisor(scale));
        Assert.True(trip.Has(TlcFields.Distance));
        Assert.Equal(expected, trip.TripDistance);
    }

    [Fact]
    public void A_byte_decimal_longer_than_16_bytes_is_unreadable()
    {
        var trip = default(TlcTrip);
        BigEndianDecimal.Set(ref trip, TlcFields.Distance, new byte[17], 1);
        Assert.Equal(TlcFields.Distance, trip.Unreadable);
    }

    [Fact]
    public async Task A_column_of_a_type_that_cannot_be_read_is_named_with_its_type()
    {
        var path = await OneRowAsync("bool.parquet", pickupZone: TlcParquetFile.Of<bool>("PULocationID", true));

        var error = await Assert.ThrowsAsync<InvalidDataException>(() => TlcTripReader.OpenFileAsync(path, CancellationToken.None));
        Assert.Equal("bool.parquet: column PULocationID is Boolean with logical type None, which is not read as numbers", error.Message);
    }

    [Fact]
    public async Task Numbers_where_timestamps_belong_are_refused_by_name()
    {
        var path = await OneRowAsync("numbers.parquet", pickup: TlcParquetFile.Of<double>("lpep_pickup_datetime", 1.0));

        var error = await Assert.ThrowsAsync<InvalidDataException>(() => TlcTripReader.OpenFileAsync(path, CancellationToken.None));
        Assert.Contains("column lpep_pickup_datetime is Double", error.Message, StringComparison.Ordinal);
        Assert.Contains("not read as timestamps", error.Message, StringComparison.Ordinal);
    }

    private async Task<byte[]> SmallFileAsync()
    {
        var path = Path.Combine(_work, "small.parquet");
        await TlcParquetFile.WriteAsync(path, 1000, 1000,
            TlcParquetFile.Timestamps("lpep_pickup_datetime", DateTimeFormat.Timestamp, Rows(1000, i => (DateTime?)T0.AddSeconds(i))),
            TlcParquetFile.Timestamps("lpep_dropoff_datetime", DateTimeFormat.Timestamp, Rows(1000, i => (DateTime?)T0.AddSeconds(i * 2))),
            TlcParquetFile.Of("PULocationID", Rows(1000, i => (long?)i)),
            TlcParquetFile.Of("DOLocationID", Rows(1000, i => (long?)(i * 3))),
            TlcParquetFile.Of("trip_distance", Rows(1000, i => (double?)(i * 0.37))));
        return await File.ReadAllBytesAsync(path);
    }

    [Fact]
    public async Task A_truncated_file_is_not_a_readable_parquet_file()
    {
        var bytes = await SmallFileAsync();
        var path = Path.Combine(_work, "cut.parquet");
        await File.WriteAllBytesAsync(path, bytes.AsMemory(0, bytes.Length / 2));

        var error = await Assert.ThrowsAsync<InvalidDataException>(() => TlcTripReader.OpenFileAsync(path, CancellationToken.None));
        Assert.StartsWith("cut.parquet is not a readable parquet file: ", error.Message, StringComparison.Ordinal);
        // Arrow's sentence, without ParquetSharp's wrapping (the C++ exception's mangled type name and "(message: '…')").
        Assert.Contains("magic bytes not found in footer", error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("(message:", error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("N7parquet", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Garbled_pages_behind_an_intact_footer_are_reported_while_reading()
    {
        var bytes = await SmallFileAsync();
        // The footer (its length in the 4 bytes before the closing PAR1) stays whole; everything before it is overwritten.
        var footer = BitConverter.ToInt32(bytes, bytes.Length - 8) + 8;
        bytes.AsSpan(4, bytes.Length - footer - 4).Fill(0xA5);
        var path = Path.Combine(_work, "garbled.parquet");
        await File.WriteAllBytesAsync(path, bytes);

        var error = await Assert.ThrowsAsync<InvalidDataException>(() => ReadFileAsync(path));
        Assert.StartsWith("garbled.parquet is not a readable parquet file: ", error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("(message:", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_stream_that_cannot_seek_reads_like_the_file()
    {
        var bytes = await SmallFileAsync();
        var fromFile = await ReadFileAsync(Path.Combine(_work, "small.parquet"));

        var fromStream = await ReadAllAsync(await TlcTripReader.OpenAsync(new ForwardOnlyStream(bytes), "download", CancellationToken.None));

        Assert.Equal(1000, fromFile.Trips.Count);
        Assert.Equal(fromFile.Trips, fromStream.Trips);
        Assert.Equal(999 * 0.37, fromStream.Trips[999].TripDistance);
    }

    /// <summary>A download's body: readable once, front to back.</summary>
    private sealed class ForwardOnlyStream(byte[] bytes) : MemoryStream(bytes)
    {
        public override bool CanSeek => false;
    }
}
