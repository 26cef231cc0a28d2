using System.Text;
using StreamPredict.Data.Tlc;
using StreamPredict.Training.Linear;

namespace StreamPredict.Tests.Model;

public class TlcCsvReaderTests
{
    private const string Header = "VendorID,lpep_pickup_datetime,lpep_dropoff_datetime,PULocationID,DOLocationID,trip_distance\n";

    private static TlcDataset Read(string csv) => TlcCsvReader.Read(new MemoryStream(Encoding.UTF8.GetBytes(csv)), "test.csv");

    [Fact]
    public void Keeps_rides_of_1_to_60_minutes_and_counts_the_rest()
    {
        TlcDataset data = Read(Header
            + "2,2021-01-01 00:15:56,2021-01-01 00:19:52,43,151,1.01\n"
            + "2,2021-01-01 00:00:00,2021-01-01 00:00:59,43,151,0.1\n"
            + "2,2021-01-01 00:00:00,2021-01-01 01:00:00,1,2,20\n"
            + "2,2021-01-01 00:00:00,2021-01-01 01:00:01,1,2,20\n"
            + "2,2021-01-01 00:00:00,2021-01-01 00:10:00,,2,1\n"
            + "2,2021-01-01 00:00:00,2021-01-01 00:10:00,7.0,\"8\",1\n");

        Assert.Equal(
            [new TripRow(43, 151, 1.01, 236 / 60.0), new TripRow(1, 2, 20, 60), new TripRow(7, 8, 1, 10)],
            data.Rows);
        Assert.Equal(6, data.RowsRead);
        Assert.Equal(1, data.SkippedMissingValues);
        Assert.Equal(2, data.OutsideDurationRange);
        Assert.Equal("test.csv", data.Source);
    }

    [Fact]
    public void Reads_gzip_by_its_content()
    {
        TlcDataset data = TlcDataset.ReadFile(ModelTestFiles.TestData("tlc/green_tripdata_2021-01.sample.csv.gz"));

        Assert.True(data.Rows.Count > 3000);
        Assert.Equal(data.RowsRead, data.Rows.Count);
        Assert.All(data.Rows, row => Assert.InRange(row.DurationMinutes, 1, 60));
    }

    [Fact]
    public void Missing_column_is_named()
    {
        var error = Assert.Throws<InvalidDataException>(() => Read("lpep_pickup_datetime,lpep_dropoff_datetime,PULocationID,trip_distance\n"));
        Assert.Contains("no \"DOLocationID\" column", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("2,2021-01-01 00:00:00,2021-01-01 00:10:00,abc,2,1", "test.csv line 2: PULocationID \"abc\" is not a finite number")]
    [InlineData("2,2021-01-01 00:00:00,2021-01-01 00:10:00,1.5,2,1", "PULocationID \"1.5\" is not an integer location id")]
    [InlineData("2,01/01/2021 00:00,2021-01-01 00:10:00,1,2,1", "lpep_pickup_datetime \"01/01/2021 00:00\" is not a timestamp")]
    [InlineData("2,2021-01-01 00:00:00,2021-01-01 00:10:00,1,2,far", "trip_distance \"far\" is not a finite number")]
    [InlineData("2,2021-01-01 00:00:00", "2 fields, but the header needs at least 6")]
    public void Malformed_values_are_reported_with_line_and_column(string line, string expected)
    {
        var error = Assert.Throws<InvalidDataException>(() => Read(Header + line + "\n"));
        Assert.Contains(expected, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Empty_file_is_refused() =>
        Assert.Contains("is empty", Assert.Throws<InvalidDataException>(() => Read("")).Message, StringComparison.Ordinal);
}
