using System.Text;
using StreamPredict.Serving.Rides;
using StreamPredict.Web.Rides;

namespace StreamPredict.Tests.Web;

public sealed class RideRequestReaderTests
{
    [Theory]
    [InlineData("""{"PULocationID": 130, "DOLocationID": 205, "trip_distance": 3.66}""", null)]
    [InlineData("""{"ride": {"PULocationID": 130, "DOLocationID": 205, "trip_distance": 3.66}, "ride_id": 256}""", "256")]
    [InlineData("""{"ride": {"PULocationID": 130, "DOLocationID": 205, "trip_distance": 3.66}, "ride_id": "a\u00e9"}""", "a\u00e9")]
    public void A_bare_ride_and_a_ride_event_read_the_same_ride(string json, string? rideId)
    {
        Assert.Null(RideRequestReader.ReadOne(Encoding.UTF8.GetBytes(json), out var ride, out var id));

        Assert.Equal(new StreamPredict.Model.Ride(130, 205, 3.66), ride);
        Assert.Equal(rideId, id?.Text);
    }

    [Theory]
    [InlineData("""{"PULocationID": 130, "trip_distance": 3.66}""", "location_id_missing", "DOLocationID")]
    [InlineData("""{"PULocationID": "130", "DOLocationID": 205, "trip_distance": 3.66}""", "location_id_wrong_type", "PULocationID")]
    [InlineData("""{"PULocationID": 130, "DOLocationID": 266, "trip_distance": 3.66}""", "invalid_location_id", "DOLocationID")]
    [InlineData("""{"PULocationID": 130, "DOLocationID": 205}""", "distance_missing", "trip_distance")]
    [InlineData("""{"PULocationID": 130, "DOLocationID": 205, "trip_distance": -1}""", "invalid_distance", "trip_distance")]
    [InlineData("""{"PULocationID": 130, "DOLocationID": 205, "trip_distance": 1e999}""", "invalid_distance", "trip_distance")]
    [InlineData("""{"ride": {"PULocationID": 130, "DOLocationID": 205, "trip_distance": 3.66}}""", "ride_id_missing", "ride_id")]
    [InlineData("""{"ride": [], "ride_id": 1}""", "ride_not_an_object", "ride")]
    [InlineData("""{}""", "ride_missing", "ride")]
    [InlineData("""{"PULocationID": 130, "DOLocationID": 205, "trip_distance": 3.66} x""", "not_json", null)]
    [InlineData("""{"ride": {"PULocationID": 130, "DOLocationID": 205, "trip_distance": 3.66}, "ride_id": 1} x""", "not_json", null)]
    [InlineData("""[1]""", "not_an_object", null)]
    [InlineData("""{"a": [[[[[[[[[1]]]]]]]]]}""", "too_deep", null)]
    public void Each_refusal_has_the_function_s_kind_and_names_the_field(string json, string kind, string? field)
    {
        var problem = RideRequestReader.ReadOne(Encoding.UTF8.GetBytes(json), out _, out _);

        Assert.NotNull(problem);
        Assert.Equal(400, problem.Status);
        Assert.Equal(kind, problem.Code);
        Assert.Equal(field, problem.Field);
        Assert.False(string.IsNullOrWhiteSpace(problem.Detail));
    }

    [Fact]
    public void Invalid_UTF8_and_a_ride_over_the_cap_are_refused_as_the_function_refuses_them()
    {
        Assert.Equal("not_utf8", RideRequestReader.ReadOne([0x7B, 0xC3, 0x28, 0x7D], out _, out _)?.Code);
        var big = Encoding.UTF8.GetBytes("{\"PULocationID\": 1, \"DOLocationID\": 2, \"trip_distance\": 1, \"x\": \"" + new string('x', RideInputCaps.MaxRecordBytes) + "\"}");
        Assert.Equal("over_size_cap", RideRequestReader.ReadOne(big, out _, out _)?.Code);
    }

    [Theory]
    [InlineData("""[{"PULocationID": 1, "DOLocationID": 2, "trip_distance": 1}, {"PULocationID": 1, "DOLocationID": 2, "trip_distance": 1}""", "not_json", 1)]
    [InlineData("""[{"PULocationID": 1, "DOLocationID": 2, "trip_distance": 1}, {"PULocationID": 1, "DOLocationID": 2, "trip_distance": 1} 7]""", "not_json", 1)]
    [InlineData("""[{"PULocationID": 1, "DOLocationID": 2, "trip_distance": 1}, NaN]""", "not_json", 1)]
    [InlineData("""[{"PULocationID": 1, "DOLocationID": 2, "trip_distance": 1}] x""", "not_json", null)]
    [InlineData("""[{"PULocationID": 1, "DOLocationID": 2, "trip_distance": 1}, 5]""", "not_an_object", 1)]
    [InlineData("""[]""", "empty_batch", null)]
    public void A_batch_names_the_ride_at_fault(string json, string kind, int? index)
    {
        using var rides = new RideList();

        var problem = RideRequestReader.ReadBody(Encoding.UTF8.GetBytes(json), 10, rides, out var isBatch);

        Assert.True(isBatch);
        Assert.Equal(kind, problem?.Code);
        Assert.Equal(index, problem?.Index);
    }

    [Fact]
    public void A_batch_over_the_ride_cap_is_413_and_a_good_batch_keeps_its_order()
    {
        var rides = string.Join(",", Enumerable.Range(1, 5).Select(i => $$"""{"PULocationID": {{i}}, "DOLocationID": 2, "trip_distance": {{i}}.5}"""));
        using var list = new RideList();
        Assert.Null(RideRequestReader.ReadBody(Encoding.UTF8.GetBytes($"[{rides}]"), 5, list, out _));
        Assert.Equal([1, 2, 3, 4, 5], list.Rides.ToArray().Select(r => r.PickupLocationId));

        using var tooMany = new RideList();
        var problem = RideRequestReader.ReadBody(Encoding.UTF8.GetBytes($"[{rides}]"), 4, tooMany, out _);
        Assert.Equal((413, "batch_over_cap"), (problem?.Status, problem?.Code));
    }

    [Fact]
    public void Every_rejection_kind_a_ride_can_have_maps_to_its_field()
    {
        foreach (var kind in Enum.GetValues<RejectionKind>())
        {
            var field = RideRequestReader.FieldOf(kind, "DOLocationID is missing");
            Assert.True(kind.Code() switch
            {
                "location_id_missing" or "location_id_wrong_type" or "invalid_location_id" => field == "DOLocationID",
                "distance_missing" or "distance_wrong_type" or "invalid_distance" => field == "trip_distance",
                "ride_missing" or "ride_not_an_object" => field == "ride",
                "ride_id_missing" or "ride_id_wrong_type" or "duplicate_ride_id" => field == "ride_id",
                _ => field is null,
            }, $"{kind}: {field}");
        }
    }
}
