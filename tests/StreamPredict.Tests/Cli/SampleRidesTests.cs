using StreamPredict.Cli.Demo;

namespace StreamPredict.Tests.Cli;

/// <summary>The demo names one trip two ways: by its place among the kept trips (streaming, web) and by its row (batch).</summary>
public sealed class SampleRidesTests : IDisposable
{
    private readonly DirectoryInfo _folder = Directory.CreateTempSubdirectory("sample-rides-");

    public void Dispose() => _folder.Delete(recursive: true);

    [Fact]
    public async Task Each_ride_maps_to_the_row_batch_names_it_by_skipping_the_rows_the_course_drops()
    {
        var path = Path.Combine(_folder.FullName, "green_tripdata_2021-02.csv");
        await File.WriteAllLinesAsync(path,
        [
            "VendorID,lpep_pickup_datetime,lpep_dropoff_datetime,PULocationID,DOLocationID,trip_distance",
            "2,2021-02-01 00:00:00,2021-02-01 03:00:00,1,2,9.0",   // row 0: 180 minutes, filtered
            "2,2021-02-01 00:00:00,2021-02-01 00:10:00,130,205,3.66", // row 1: ride 0
            "2,2021-02-01 00:00:00,,1,2,1.0",                      // row 2: no dropoff
            "2,2021-02-01 00:00:00,2021-02-01 00:20:00,152,244,1.1",  // row 3: ride 1
        ]);

        var rides = await SampleRides.ReadAsync(path, "demo-abc", CancellationToken.None);

        Assert.Equal("demo-abc-0000000", rides.RideId(0));
        Assert.Equal("2021/02_1", rides.BatchRideId(0));
        Assert.Equal("2021/02_3", rides.BatchRideId(1));
        Assert.Equal(130, rides.Event(0).Ride.PickupLocationId);
        Assert.Equal(1.1, rides.Event(1).Ride.TripDistance);
        // More rides than trips: the trips repeat, as `produce` repeats them.
        Assert.Equal("2021/02_1", rides.BatchRideId(2));
        Assert.Equal(205, rides.Event(2).Ride.DropoffLocationId);
        Assert.Equal(5, rides.Number("demo-abc-0000005"));
        Assert.Throws<InvalidDataException>(() => rides.Number("ride-xyz-0000005"));
    }

    [Fact]
    public void Spread_picks_distinct_rides_across_the_range()
    {
        Assert.Equal([0L, 600, 1200, 1800, 2400], SampleRides.Spread(3000, 5));
        Assert.Equal([0L, 1], SampleRides.Spread(2, 5));
    }
}
