using System.Text;
using Parquet.Schema;
using StreamPredict.Data.Tlc;

namespace StreamPredict.Tests.Data;

public sealed class TlcReaderTests : IDisposable
{
    private const string Header = "VendorID,lpep_pickup_datetime,lpep_dropoff_datetime,PULocationID,DOLocationID,trip_distance\n";

    private static readonly DateTime T0 = new(2021, 2, 1, 0, 34, 3);

    private readonly string _work = Directory.CreateTempSubdirectory("streampredict-tlc-").FullName;

    public void Dispose() => Directory.Delete(_work, recursive: true);

    private static async Task<(TlcTaxiType Type, List<TlcTrip> Trips, List<long> ChunkStarts)> ReadAllAsync(TlcTripReader reader)
    {
        var trips = new List<TlcTrip>();
        var starts = new List<long>();
        await using (reader)
        {
            while (await reader.ReadAsync(CancellationToken.None) is { } chunk)
            {
                using (chunk)
                {
                    starts.Add(chunk.FirstRowIndex);
                    Assert.Equal(trips.Count, chunk.FirstRowIndex);
                    foreach (var trip in chunk.Trips)
                    {
                        trips.Add(trip);
                    }
                }
            }

            return (reader.TaxiType, trips, starts);
        }
    }

    private static Task<TlcTripReader> Csv(string text) =>
        TlcTripReader.OpenAsync(new MemoryStream(Encoding.UTF8.GetBytes(text)), "test.csv", CancellationToken.None);

    [Fact]
    public async Task Csv_keeps_every_row_and_marks_missing_and_unreadable_fields()
    {
        var (type, trips, _) = await ReadAllAsync(await Csv(Header
            + "2,2021-01-01 00:15:56,2021-01-01 00:19:52,43,151,1.01\n"
            + "2,2021-01-01 00:00:00,2021-01-01 03:00:00,1,2,20\n"
            + "2,2021-01-01 00:00:00,2021-01-01 00:10:00,,2,1\n"
            + "2,01/01/2021 00:00,2021-01-01 00:10:00,abc,\"8\",far\n"
            + "2,2021-01-01 00:00:00\n"));

        Assert.Equal(TlcTaxiType.Green, type);
        Assert.Equal(5, trips.Count);
        Assert.True(trips[0].IsComplete);
        Assert.Equal((43.0, 151.0, 1.01, 236 / 60.0), (trips[0].PickupLocationId, trips[0].DropoffLocationId, trips[0].TripDistance, trips[0].DurationMinutes));
        Assert.Equal(180, trips[1].DurationMinutes);
        Assert.Equal(TlcFields.All & ~TlcFields.PickupLocation, trips[2].Present);
        Assert.Equal(TlcFields.Pickup | TlcFields.PickupLocation | TlcFields.Distance, trips[3].Unreadable);
        Assert.Equal(8, trips[3].DropoffLocationId);
        Assert.Equal(TlcFields.Pickup, trips[4].Present);
    }

    [Fact]
    public async Task Yellow_files_are_told_by_their_tpep_columns()
    {
        var (type, trips, _) = await ReadAllAsync(await Csv(
            "VendorID,tpep_pickup_datetime,tpep_dropoff_datetime,passenger_count,trip_distance,PULocationID,DOLocationID\n"
            + "1,2023-01-01 00:32:10,2023-01-01 00:40:36,1.0,0.97,161,141\n"));

        Assert.Equal(TlcTaxiType.Yellow, type);
        Assert.Equal((161.0, 141.0, 0.97), (trips[0].PickupLocationId, trips[0].DropoffLocationId, trips[0].TripDistance));
    }

    [Theory]
    [InlineData("lpep_pickup_datetime,lpep_dropoff_datetime,PULocationID,trip_distance\n", "no \"DOLocationID\" column")]
    [InlineData("pickup,dropoff,PULocationID,DOLocationID,trip_distance\n", "no lpep_pickup_datetime (green) or tpep_pickup_datetime (yellow) column")]
    [InlineData("lpep_pickup_datetime,tpep_pickup_datetime\n", "both lpep_pickup_datetime and tpep_pickup_datetime")]
    public async Task A_file_without_the_needed_columns_is_refused_with_its_columns(string header, string expected)
    {
        var error = await Assert.ThrowsAsync<InvalidDataException>(() => Csv(header));
        Assert.Contains(expected, error.Message, StringComparison.Ordinal);
        Assert.Contains("test.csv", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_empty_file_is_refused() =>
        Assert.Contains("is empty", (await Assert.ThrowsAsync<InvalidDataException>(() => Csv(""))).Message, StringComparison.Ordinal);

    [Fact]
    public void The_trainer_keeps_rides_of_1_to_60_minutes_and_counts_the_rest()
    {
        var path = Path.Combine(_work, "trips.csv");
        File.WriteAllText(path, Header
            + "2,2021-01-01 00:15:56,2021-01-01 00:19:52,43,151,1.01\n"
            + "2,2021-01-01 00:00:00,2021-01-01 00:00:59,43,151,0.1\n"
            + "2,2021-01-01 00:00:00,2021-01-01 01:00:00,1,2,20\n"
            + "2,2021-01-01 00:00:00,2021-01-01 01:00:01,1,2,20\n"
            + "2,2021-01-01 00:00:00,2021-01-01 00:10:00,,2,1\n"
            + "2,2021-01-01 00:00:00,2021-01-01 00:10:00,1.5,2,1\n"
            + "2,2021-01-01 00:00:00,2021-01-01 00:10:00,7.0,\"8\",1\n");

        var data = TlcDataset.ReadFile(path);

        Assert.Equal([new TripRow(43, 151, 1.01, 236 / 60.0), new TripRow(1, 2, 20, 60), new TripRow(7, 8, 1, 10)], data.Rows);
        Assert.Equal(7, data.RowsRead);
        Assert.Equal(2, data.SkippedMissingValues);
        Assert.Equal(2, data.OutsideDurationRange);
        Assert.Equal("trips.csv", data.Source);
    }

    [Fact]
    public void The_committed_gzip_sample_reads_as_training_rows()
    {
        var gz = TlcDataset.ReadFile(RepositoryPaths.TestData("tlc/green_tripdata_2021-01.sample.csv.gz"));

        Assert.True(gz.Rows.Count > 3000);
        Assert.Equal(gz.RowsRead, gz.Rows.Count);
        Assert.All(gz.Rows, row => Assert.InRange(row.DurationMinutes, 1, 60));
    }

    public static TheoryData<string, TlcParquetFile.Column, TlcParquetFile.Column> IdColumns => new()
    {
        { "int32 (2023-02)", TlcParquetFile.Of<int>("PULocationID", 130, null, 7), TlcParquetFile.Of<int>("DOLocationID", 205, 1, 8) },
        { "int64 (2023-01)", TlcParquetFile.Of<long>("PULocationID", 130, null, 7), TlcParquetFile.Of<long>("DOLocationID", 205, 1, 8) },
        { "double (pandas with nulls)", TlcParquetFile.Of<double>("PULocationID", 130.0, null, 7.0), TlcParquetFile.Of<double>("DOLocationID", 205.0, 1.0, 8.0) },
        { "string (2021 filtered)", TlcParquetFile.Text("PULocationID", "130", null, "7"), TlcParquetFile.Text("DOLocationID", "205", "1", "8") },
        { "required int32", TlcParquetFile.Of<int>("PULocationID", 130, null, 7), TlcParquetFile.Required("DOLocationID", 205, 1, 8) },
    };

    [Theory]
    [MemberData(nameof(IdColumns))]
    public async Task Parquet_zone_ids_are_read_whatever_their_type_and_nulls_stay_missing(string drift, TlcParquetFile.Column pickup, TlcParquetFile.Column dropoff)
    {
        var path = Path.Combine(_work, "drift.parquet");
        await TlcParquetFile.WriteAsync(path, 3, 2,
            TlcParquetFile.Of<long>("VendorID", 2, 2, 2),
            TlcParquetFile.Timestamps("lpep_pickup_datetime", DateTimeFormat.Timestamp, T0, T0, null),
            TlcParquetFile.Timestamps("lpep_dropoff_datetime", DateTimeFormat.Timestamp, T0.AddMinutes(21), T0.AddMinutes(5), T0),
            pickup, dropoff,
            TlcParquetFile.Of<double>("trip_distance", 3.66, null, 1.0),
            TlcParquetFile.Of<double>("duration", 21, 5, 0),
            TlcParquetFile.Of<long>("__index_level_0__", 10, 11, 12));

        var (type, trips, starts) = await ReadAllAsync(await TlcTripReader.OpenFileAsync(path, CancellationToken.None));

        Assert.Equal(TlcTaxiType.Green, type);
        Assert.Equal([0L, 2L], starts);
        Assert.True(trips[0].IsComplete, drift);
        Assert.Equal((130.0, 205.0, 3.66, 21.0), (trips[0].PickupLocationId, trips[0].DropoffLocationId, trips[0].TripDistance, trips[0].DurationMinutes));
        Assert.Equal(TlcFields.All & ~(TlcFields.PickupLocation | TlcFields.Distance), trips[1].Present);
        Assert.Equal(TlcFields.All & ~TlcFields.Pickup, trips[2].Present);
        Assert.Equal(TlcFields.None, trips[0].Unreadable | trips[1].Unreadable | trips[2].Unreadable);
    }

    [Theory]
    [InlineData(DateTimeFormat.Timestamp)]
    [InlineData(DateTimeFormat.DateAndTime)]
    [InlineData(DateTimeFormat.Impala)]
    public async Task Parquet_timestamps_are_read_in_every_physical_form(DateTimeFormat format)
    {
        var path = Path.Combine(_work, "times.parquet");
        await TlcParquetFile.WriteAsync(path, 1, 1,
            TlcParquetFile.Timestamps("tpep_pickup_datetime", format, T0),
            TlcParquetFile.Timestamps("tpep_dropoff_datetime", format, T0.AddMinutes(10)),
            TlcParquetFile.Of<float>("PULocationID", 1f),
            TlcParquetFile.Of<short>("DOLocationID", (short)2),
            TlcParquetFile.Text("trip_distance", "2.5"));

        var (type, trips, _) = await ReadAllAsync(await TlcTripReader.OpenFileAsync(path, CancellationToken.None));

        Assert.Equal(TlcTaxiType.Yellow, type);
        Assert.Equal(T0, trips[0].Pickup);
        Assert.Equal(10, trips[0].DurationMinutes, 9);
        // Zone-less wall-clock times: Parquet.Net reads them as Local, and its writer would shift Local values to UTC by the
        // machine's zone (the batch output's pickup column was 5 hours off under TZ=America/New_York).
        Assert.Equal((DateTimeKind.Unspecified, DateTimeKind.Unspecified), (trips[0].Pickup.Kind, trips[0].Dropoff.Kind));
        Assert.Equal((1.0, 2.0, 2.5), (trips[0].PickupLocationId, trips[0].DropoffLocationId, trips[0].TripDistance));
    }

    [Fact]
    public async Task Text_that_is_not_a_number_in_a_parquet_column_is_unreadable_not_missing()
    {
        var path = Path.Combine(_work, "text.parquet");
        await TlcParquetFile.WriteAsync(path, 2, 2,
            TlcParquetFile.Text("lpep_pickup_datetime", "2021-02-01 00:34:03", "yesterday"),
            TlcParquetFile.Timestamps("lpep_dropoff_datetime", DateTimeFormat.Timestamp, T0, T0),
            TlcParquetFile.Text("PULocationID", "N/A", " "),
            TlcParquetFile.Of<long>("DOLocationID", 1, 1),
            TlcParquetFile.Of<double>("trip_distance", double.NaN, 1));

        var (_, trips, _) = await ReadAllAsync(await TlcTripReader.OpenFileAsync(path, CancellationToken.None));

        Assert.Equal(T0, trips[0].Pickup);
        Assert.Equal(TlcFields.PickupLocation, trips[0].Unreadable);
        Assert.True(double.IsNaN(trips[0].TripDistance));
        Assert.Equal(TlcFields.Pickup, trips[1].Unreadable);
        Assert.Equal(TlcFields.None, trips[1].Present & TlcFields.PickupLocation);
    }

    [Fact]
    public async Task A_parquet_file_without_a_needed_column_names_it()
    {
        var path = Path.Combine(_work, "short.parquet");
        await TlcParquetFile.WriteAsync(path, 1, 1,
            TlcParquetFile.Timestamps("lpep_pickup_datetime", DateTimeFormat.Timestamp, T0),
            TlcParquetFile.Timestamps("lpep_dropoff_datetime", DateTimeFormat.Timestamp, T0),
            TlcParquetFile.Of<long>("PULocationID", 1));

        var error = await Assert.ThrowsAsync<InvalidDataException>(() => TlcTripReader.OpenFileAsync(path, CancellationToken.None));
        Assert.Contains("short.parquet has no \"DOLocationID\" column", error.Message, StringComparison.Ordinal);
    }

    [TlcDataFact]
    public async Task The_shared_parquet_months_read_like_their_csv_copies()
    {
        foreach (var month in new[] { "green_tripdata_2021-02.filtered", "green_tripdata_2023-01" })
        {
            var (_, parquet, _) = await ReadAllAsync(await TlcTripReader.OpenFileAsync(TlcData.File(month + ".parquet"), CancellationToken.None));
            var (_, csv, _) = await ReadAllAsync(await TlcTripReader.OpenFileAsync(TlcData.File(month + ".csv.gz"), CancellationToken.None));

            Assert.Equal(csv.Count, parquet.Count);
            Assert.Equal(csv, parquet);
        }
    }
}
