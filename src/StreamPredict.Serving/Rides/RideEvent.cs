using System.Text.Json;
using StreamPredict.Model;

namespace StreamPredict.Serving.Rides;

/// <summary>The course's ride-started event: <c>{"ride":{"PULocationID":..,"DOLocationID":..,"trip_distance":..},"ride_id":..}</c>.</summary>
public readonly record struct RideEvent(string RideId, Ride Ride)
{
    /// <summary>UTF-8 JSON, exactly the shape the function reads; ride_id is also the partition key.</summary>
    public byte[] ToUtf8Json()
    {
        using var buffer = new MemoryStream(128);
        using (var writer = new Utf8JsonWriter(buffer))
        {
            writer.WriteStartObject();
            writer.WriteStartObject("ride");
            writer.WriteNumber("PULocationID", Ride.PickupLocationId);
            writer.WriteNumber("DOLocationID", Ride.DropoffLocationId);
            writer.WriteNumber("trip_distance", Ride.TripDistance);
            writer.WriteEndObject();
            writer.WriteString("ride_id", RideId);
            writer.WriteEndObject();
        }

        return buffer.ToArray();
    }
}
