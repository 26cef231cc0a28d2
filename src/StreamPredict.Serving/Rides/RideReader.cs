using System.Text;
using System.Text.Json;
using System.Text.Unicode;
using StreamPredict.Model;

namespace StreamPredict.Serving.Rides;

/// <summary>
/// The one reader of the course's ride event, <c>{"ride": {"PULocationID", "DOLocationID", "trip_distance"}, "ride_id"}</c>,
/// for every mode: it reads, checks the caps and validates, and says why a record is refused as a
/// <see cref="RejectionKind"/> and a reason that names the field. Allocation-free on the plain path.
/// </summary>
public static class RideReader
{
    private static readonly JsonReaderOptions ReaderOptions = new() { MaxDepth = RideInputCaps.MaxJsonDepth + 1 };

    /// <summary>
    /// Reads and validates <c>{"ride": {"PULocationID", "DOLocationID", "trip_distance"}, "ride_id"}</c>; other members
    /// are skipped. <paramref name="rideId"/> is the ride_id's UTF-8 text: a number's digits as written, a string unescaped.
    /// </summary>
    public static RejectionKind? Read(ReadOnlySpan<byte> json, out Ride ride, out ReadOnlySpan<byte> rideId, out bool rideIdIsNumber, out string? reason)
    {
        // Nearly every record is in the producer's plain form: read it without the general reader.
        if (PlainRideReader.TryRead(json, out var plain))
        {
            rideId = json[plain.RideId];
            rideIdIsNumber = plain.RideIdIsNumber;
            return CheckRide(plain.Pickup, plain.Dropoff, plain.Distance, rideId, out ride, out reason);
        }

        // The plain path accepts ASCII only, so only the rest needs the UTF-8 check.
        if (!Utf8.IsValid(json))
        {
            (ride, rideIdIsNumber, reason) = (default, false, "the record is not UTF-8 text");
            rideId = default;
            return RejectionKind.NotUtf8;
        }

        return ReadGeneral(json, out ride, out rideId, out rideIdIsNumber, out reason);
    }

    /// <summary><see cref="Read"/> for any JSON, with Utf8JsonReader; internal for the test that compares both paths.</summary>
    public static RejectionKind? ReadGeneral(ReadOnlySpan<byte> json, out Ride ride, out ReadOnlySpan<byte> rideId, out bool rideIdIsNumber, out string? reason)
    {
        ride = default;
        rideId = default;
        rideIdIsNumber = false;
        var hasRideId = false;
        reason = null;
        var reader = new Utf8JsonReader(json, ReaderOptions);
        if (!reader.Read())
        {
            reason = "the record is empty";
            return RejectionKind.NotJson;
        }

        if (reader.TokenType != JsonTokenType.StartObject)
        {
            reason = $"the record is JSON {reader.TokenType}, not an object";
            return reader.TokenType == JsonTokenType.StartArray && !TrySkip(ref reader) ? TooDeep(out reason) : RejectionKind.NotAnObject;
        }

        var hasRide = false;
        var fields = new RideFields();
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            if (reader.ValueTextEquals("ride"u8))
            {
                reader.Read();
                if (reader.TokenType != JsonTokenType.StartObject)
                {
                    reason = $"\"ride\" is {reader.TokenType}, not an object";
                    return RejectionKind.RideNotAnObject;
                }

                hasRide = true;
                if (ReadRideMembers(ref reader, ref fields, out reason) is { } invalid)
                {
                    return invalid;
                }
            }
            else if (reader.ValueTextEquals("ride_id"u8))
            {
                reader.Read();
                switch (reader.TokenType)
                {
                    case JsonTokenType.Number:
                        rideId = reader.ValueSpan;
                        (rideIdIsNumber, hasRideId) = (true, true);
                        break;
                    case JsonTokenType.String:
                        rideId = reader.ValueIsEscaped ? Encoding.UTF8.GetBytes(reader.GetString()!) : reader.ValueSpan;
                        (rideIdIsNumber, hasRideId) = (false, true);
                        break;
                    case JsonTokenType.Null:
                        hasRideId = false;
                        break;
                    default:
                        reason = $"ride_id is {Describe(ref reader)}, not a number or a string";
                        return TrySkip(ref reader) ? RejectionKind.RideIdWrongType : TooDeep(out reason);
                }
            }
            else if (!reader.Read() || !TrySkip(ref reader))
            {
                return TooDeep(out reason);
            }
        }

        // Rejects trailing content after the object (Read throws JsonException on it).
        while (reader.Read())
        {
        }

        if (!hasRide)
        {
            reason = "\"ride\" is missing";
            return RejectionKind.RideMissing;
        }

        if (fields.Missing(out reason) is { } missing)
        {
            return missing;
        }

        if (!hasRideId)
        {
            reason = "ride_id is missing (or null)";
            return RejectionKind.RideIdMissing;
        }

        return CheckRide(fields.Pickup, fields.Dropoff, fields.Distance, rideId, out ride, out reason);
    }

    /// <summary>
    /// A bare ride, <c>{"PULocationID", "DOLocationID", "trip_distance"}</c>, as the course's web service takes it: the same
    /// fields, types and validation as inside a ride event, without a ride_id. Never throws on bad JSON: it is NotJson.
    /// </summary>
    public static RejectionKind? ReadBare(ReadOnlySpan<byte> json, out Ride ride, out string? reason)
    {
        ride = default;
        var reader = new Utf8JsonReader(json, ReaderOptions);
        try
        {
            if (!reader.Read())
            {
                reason = "the ride is empty";
                return RejectionKind.NotJson;
            }

            var kind = ReadBare(ref reader, out ride, out reason);
            while (kind is null && reader.Read())
            {
            }

            return kind;
        }
        catch (JsonException exception)
        {
            reason = $"the ride is not JSON: {exception.Message}";
            return RejectionKind.NotJson;
        }
    }

    /// <summary><see cref="ReadBare(ReadOnlySpan{byte}, out Ride, out string?)"/> for a reader on the ride's StartObject (one
    /// element of an array, say); leaves it on the EndObject. Throws JsonException on malformed JSON.</summary>
    public static RejectionKind? ReadBare(ref Utf8JsonReader reader, out Ride ride, out string? reason)
    {
        ride = default;
        if (reader.TokenType != JsonTokenType.StartObject)
        {
            reason = $"the ride is {Describe(ref reader)}, not an object";
            return RejectionKind.NotAnObject;
        }

        var fields = new RideFields();
        if ((ReadRideMembers(ref reader, ref fields, out reason) ?? fields.Missing(out reason)) is { } invalid)
        {
            return invalid;
        }

        ride = new Ride(fields.Pickup, fields.Dropoff, fields.Distance);
        return Validate(ride, fields.Distance, out reason);
    }

    /// <summary>Reads the members of a ride object up to its EndObject: the three fields, other members skipped.</summary>
    private static RejectionKind? ReadRideMembers(ref Utf8JsonReader reader, ref RideFields fields, out string? reason)
    {
        reason = null;
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            if (reader.ValueTextEquals("PULocationID"u8) || reader.ValueTextEquals("DOLocationID"u8))
            {
                var isPickup = reader.ValueTextEquals("PULocationID"u8);
                reader.Read();
                if (reader.TokenType != JsonTokenType.Number || !reader.TryGetInt32(out var id))
                {
                    reason = $"{(isPickup ? "PULocationID" : "DOLocationID")} is {Describe(ref reader)}, not an integer";
                    return RejectionKind.LocationIdWrongType;
                }

                if (isPickup)
                {
                    (fields.Pickup, fields.HasPickup) = (id, true);
                }
                else
                {
                    (fields.Dropoff, fields.HasDropoff) = (id, true);
                }
            }
            else if (reader.ValueTextEquals("trip_distance"u8))
            {
                reader.Read();
                if (reader.TokenType != JsonTokenType.Number || !reader.TryGetDouble(out var distance))
                {
                    reason = $"trip_distance is {Describe(ref reader)}, not a number";
                    return RejectionKind.DistanceWrongType;
                }

                (fields.Distance, fields.HasDistance) = (distance, true);
            }
            else if (!reader.Read() || !TrySkip(ref reader))
            {
                return TooDeep(out reason);
            }
        }

        return null;
    }

    /// <summary>What a ride object held, filled by <see cref="ReadRideMembers"/>.</summary>
    private struct RideFields
    {
        public int Pickup;
        public int Dropoff;
        public double Distance;
        public bool HasPickup;
        public bool HasDropoff;
        public bool HasDistance;

        public readonly RejectionKind? Missing(out string? reason)
        {
            if (!HasPickup || !HasDropoff)
            {
                reason = $"{(HasPickup ? "DOLocationID" : "PULocationID")} is missing from \"ride\"";
                return RejectionKind.LocationIdMissing;
            }

            if (!HasDistance)
            {
                reason = "trip_distance is missing from \"ride\"";
                return RejectionKind.DistanceMissing;
            }

            reason = null;
            return null;
        }
    }

    private static RejectionKind? CheckRide(int pickup, int dropoff, double distance, ReadOnlySpan<byte> rideId, out Ride ride, out string? reason)
    {
        ride = default;
        reason = null;

        // Kinesis counts a partition key in characters. UTF-8 never has more characters than bytes: only a long one needs counting.
        if (rideId.IsEmpty || (rideId.Length > RideInputCaps.MaxRideIdLength && Encoding.UTF8.GetCharCount(rideId) > RideInputCaps.MaxRideIdLength))
        {
            reason = $"ride_id must be 1..{RideInputCaps.MaxRideIdLength} characters (it becomes the Kinesis partition key), but has {Encoding.UTF8.GetCharCount(rideId)}";
            return RejectionKind.RideIdWrongType;
        }

        ride = new Ride(pickup, dropoff, distance);
        return Validate(ride, distance, out reason);
    }

    /// <summary>
    /// The model's own rules (<see cref="RideValidator"/>) as a rejection kind and reason, for rides that did not arrive as
    /// JSON (the batch job's rows), so that every mode refuses the same rides with the same words.
    /// </summary>
    public static RejectionKind? Validate(in Ride ride, out string? reason) => Validate(ride, ride.TripDistance, out reason);

    /// <summary>The model's own rules (<see cref="RideValidator"/>), as a rejection kind.</summary>
    private static RejectionKind? Validate(in Ride ride, double distance, out string? reason)
    {
        if (RideValidator.Validate(ride) is { } invalid)
        {
            reason = invalid;
            var distanceOk = double.IsFinite(distance) && distance is >= 0 and <= RideValidator.MaxTripDistanceMiles;
            return distanceOk ? RejectionKind.InvalidLocationId : RejectionKind.InvalidDistance;
        }

        reason = null;
        return null;
    }

    /// <summary>Skips the value the reader is on; false when it nests deeper than <see cref="RideInputCaps.MaxJsonDepth"/>.</summary>
    private static bool TrySkip(ref Utf8JsonReader reader)
    {
        if (reader.TokenType is not (JsonTokenType.StartObject or JsonTokenType.StartArray))
        {
            return true;
        }

        var depth = reader.CurrentDepth;
        do
        {
            if (reader.TokenType is JsonTokenType.StartObject or JsonTokenType.StartArray && reader.CurrentDepth + 1 > RideInputCaps.MaxJsonDepth)
            {
                return false;
            }
        }
        while (reader.Read() && reader.CurrentDepth > depth);

        return true;
    }

    private static RejectionKind TooDeep(out string reason)
    {
        reason = $"the record nests JSON deeper than {RideInputCaps.MaxJsonDepth} levels";
        return RejectionKind.TooDeep;
    }

    private static string Describe(ref Utf8JsonReader reader) => reader.TokenType switch
    {
        JsonTokenType.Number => $"the number {Encoding.UTF8.GetString(reader.ValueSpan)}",
        JsonTokenType.String => "a string",
        JsonTokenType.True or JsonTokenType.False => "a boolean",
        JsonTokenType.Null => "null",
        JsonTokenType.StartObject => "an object",
        JsonTokenType.StartArray => "an array",
        _ => reader.TokenType.ToString(),
    };
}
