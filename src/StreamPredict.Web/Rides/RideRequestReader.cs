using System.Text;
using System.Text.Json;
using System.Text.Unicode;
using StreamPredict.Model;
using StreamPredict.Serving.Rides;
using StreamPredict.Web.Http;

namespace StreamPredict.Web.Rides;

/// <summary>
/// Reads the rides of a request with the function's own reader (<see cref="RideReader"/>): the same fields, types,
/// caps, validation, rejection kinds and reasons. A ride is the course's bare ride
/// <c>{"PULocationID", "DOLocationID", "trip_distance"}</c>, or a ride event as the stream carries it
/// (<c>{"ride": {...}, "ride_id"}</c>); an object holding none of the three fields is read as a ride event.
/// </summary>
internal static class RideRequestReader
{
    /// <summary>Containers may nest this deep around a ride (a ride inside dataframe_records is at depth 2).</summary>
    private static readonly JsonReaderOptions OuterOptions = new() { MaxDepth = 64 };

    /// <summary>One ride (a whole body, or one element of a batch).</summary>
    public static Problem? ReadOne(ReadOnlySpan<byte> json, out Ride ride, out RideIdText? rideId)
    {
        ride = default;
        rideId = null;
        if (json.Length > RideInputCaps.MaxRecordBytes)
        {
            return Rejected(RejectionKind.OverSizeCap, $"the ride is {json.Length} bytes, over the cap of {RideInputCaps.MaxRecordBytes} bytes per ride");
        }

        if (!Utf8.IsValid(json))
        {
            return Rejected(RejectionKind.NotUtf8, "the ride is not UTF-8 text");
        }

        var kind = RideReader.ReadBare(json, out ride, out var reason);
        if (kind is null)
        {
            return null;
        }

        var isEvent = kind == RejectionKind.NotAnObject
            || (kind is RejectionKind.LocationIdMissing or RejectionKind.DistanceMissing && !HasBareField(json));
        return isEvent ? ReadEvent(json, out ride, out rideId) : Rejected(kind.Value, reason!);
    }

    /// <summary>
    /// The elements of the array the reader is on (its StartArray), each read by <see cref="ReadOne"/> and added to
    /// <paramref name="rides"/>; a problem names the element's index. Leaves the reader on the EndArray.
    /// </summary>
    public static Problem? ReadElements(ReadOnlySpan<byte> json, ref Utf8JsonReader reader, int maxRides, RideList rides)
    {
        ArgumentNullException.ThrowIfNull(rides);
        var lastEnd = (int)reader.BytesConsumed;
        for (var index = 0; ; index++)
        {
            int start;
            try
            {
                if (!reader.Read())
                {
                    return Problem.BadRequest(RejectionKind.NotJson.Code(), "the array is not closed", index);
                }

                if (reader.TokenType == JsonTokenType.EndArray)
                {
                    return index == 0 ? Problem.BadRequest("empty_batch", "the batch is empty: send at least one ride") : null;
                }

                if (index == maxRides)
                {
                    return Problem.TooManyRides(maxRides);
                }

                start = (int)reader.TokenStartIndex;
                if (SkipElement(ref reader) is { } tooDeep)
                {
                    return tooDeep with { Index = index };
                }
            }
            catch (JsonException exception)
            {
                // Without a comma after the previous ride, what follows it is part of that ride's text.
                var blamed = index > 0 && json[lastEnd..].TrimStart(" \t\r\n"u8) is not [(byte)',', ..] ? index - 1 : index;
                return Rejected(RejectionKind.NotJson, $"the batch is not JSON at ride {blamed}: {exception.Message}") with { Index = blamed };
            }

            lastEnd = (int)reader.BytesConsumed;
            if (ReadOne(json[start..lastEnd], out var ride, out var rideId) is { } problem)
            {
                return problem with { Index = index };
            }

            rides.Add(ride, rideId);
        }
    }

    /// <summary>A body that is one ride, or a JSON array of rides.</summary>
    public static Problem? ReadBody(ReadOnlySpan<byte> json, int maxRides, RideList rides, out bool isBatch)
    {
        ArgumentNullException.ThrowIfNull(rides);
        isBatch = json.TrimStart(" \t\r\n"u8) is [(byte)'[', ..];
        if (!isBatch)
        {
            if (ReadOne(json, out var ride, out var rideId) is { } problem)
            {
                return problem;
            }

            rides.Add(ride, rideId);
            return null;
        }

        if (!Utf8.IsValid(json))
        {
            return Rejected(RejectionKind.NotUtf8, "the body is not UTF-8 text");
        }

        var reader = new Utf8JsonReader(json, OuterOptions);
        try
        {
            reader.Read();
            if (ReadElements(json, ref reader, maxRides, rides) is { } problem)
            {
                return problem;
            }

            return reader.Read() ? Rejected(RejectionKind.NotJson, "the body has content after the array") : null;
        }
        catch (JsonException exception)
        {
            return Rejected(RejectionKind.NotJson, $"the body is not JSON: {exception.Message}");
        }
    }

    /// <summary>A rejection as a 400 naming the field the reason is about.</summary>
    public static Problem Rejected(RejectionKind kind, string reason) =>
        Problem.BadRequest(kind.Code(), reason) with { Field = FieldOf(kind, reason) };

    /// <summary>The ride field a rejection is about: the reasons of <see cref="RideReader"/> start with the field's name.</summary>
    public static string? FieldOf(RejectionKind kind, string reason) => kind switch
    {
        RejectionKind.LocationIdMissing or RejectionKind.LocationIdWrongType or RejectionKind.InvalidLocationId =>
            reason.StartsWith("DOLocationID", StringComparison.Ordinal) ? "DOLocationID" : "PULocationID",
        RejectionKind.DistanceMissing or RejectionKind.DistanceWrongType or RejectionKind.InvalidDistance => "trip_distance",
        RejectionKind.RideMissing or RejectionKind.RideNotAnObject => "ride",
        RejectionKind.RideIdMissing or RejectionKind.RideIdWrongType or RejectionKind.DuplicateRideId => "ride_id",
        _ => null,
    };

    private static Problem? ReadEvent(ReadOnlySpan<byte> json, out Ride ride, out RideIdText? rideId)
    {
        rideId = null;
        RejectionKind? kind;
        string? reason;
        ReadOnlySpan<byte> idBytes;
        bool idIsNumber;
        try
        {
            kind = RideReader.Read(json, out ride, out idBytes, out idIsNumber, out reason);
        }
        catch (JsonException exception)
        {
            ride = default;
            return Rejected(RejectionKind.NotJson, $"the ride is not JSON: {exception.Message}");
        }

        if (kind is { } refused)
        {
            return Rejected(refused, refused == RejectionKind.RideMissing
                ? $"the ride is neither a ride {{\"PULocationID\", \"DOLocationID\", \"trip_distance\"}} nor a ride event {{\"ride\": {{...}}, \"ride_id\"}}: {reason}"
                : reason!);
        }

        rideId = new RideIdText(Encoding.UTF8.GetString(idBytes), idIsNumber);
        return null;
    }

    /// <summary>Moves past the value the reader is on; a problem when it nests deeper than the function's cap.</summary>
    private static Problem? SkipElement(ref Utf8JsonReader reader)
    {
        if (reader.TokenType is not (JsonTokenType.StartObject or JsonTokenType.StartArray))
        {
            return null;
        }

        var depth = reader.CurrentDepth;
        while (reader.Read() && reader.CurrentDepth > depth)
        {
            if (reader.TokenType is JsonTokenType.StartObject or JsonTokenType.StartArray && reader.CurrentDepth - depth + 1 > RideInputCaps.MaxJsonDepth)
            {
                return Rejected(RejectionKind.TooDeep, $"the ride nests JSON deeper than {RideInputCaps.MaxJsonDepth} levels");
            }
        }

        return null;
    }

    /// <summary>Whether the object has any of the bare ride's members at its top level.</summary>
    private static bool HasBareField(ReadOnlySpan<byte> json)
    {
        var reader = new Utf8JsonReader(json, OuterOptions);
        try
        {
            while (reader.Read())
            {
                if (reader.TokenType == JsonTokenType.PropertyName && reader.CurrentDepth == 1
                    && (reader.ValueTextEquals("PULocationID"u8) || reader.ValueTextEquals("DOLocationID"u8) || reader.ValueTextEquals("trip_distance"u8)))
                {
                    return true;
                }
            }
        }
        catch (JsonException)
        {
            // Malformed after the members read so far (trailing content, say): the event reader says why, as the function does.
            return false;
        }

        return false;
    }
}
