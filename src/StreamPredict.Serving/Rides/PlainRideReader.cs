using System.Buffers.Text;
using StreamPredict.Aws.Lambda.Events;

namespace StreamPredict.Serving.Rides;

/// <summary>A ride record read on the plain path; <see cref="RideId"/> is the ride_id's text within the record.</summary>
public readonly record struct PlainRide(int Pickup, int Dropoff, double Distance, Range RideId, bool RideIdIsNumber);

/// <summary>
/// The plain path for a ride record as producers write it:
/// <c>{"ride": {"PULocationID": 130, "DOLocationID": 205, "trip_distance": 3.66}, "ride_id": 256}</c>, members in any
/// order, other scalar members ignored. False on anything else (a missing or repeated member, a wrong type, escapes,
/// nesting): the handler then reads the record with Utf8JsonReader, which gives the same values or names what is wrong.
/// Numbers convert exactly as Utf8JsonReader's TryGetInt32 and TryGetDouble do.
/// </summary>
public static class PlainRideReader
{
    public static bool TryRead(ReadOnlySpan<byte> json, out PlainRide ride)
    {
        ride = default;
        var cursor = new PlainJsonCursor(json);
        int pickup = 0, dropoff = 0, idStart = 0, idLength = 0;
        double distance = 0;
        bool hasRide = false, hasId = false, idIsNumber = false;
        if (!cursor.TryConsume((byte)'{'))
        {
            return false;
        }

        do
        {
            // Producers write "ride" first, then "ride_id".
            if (!cursor.TryReadName(hasRide ? "\"ride_id\""u8 : "\"ride\""u8, out var name))
            {
                return false;
            }

            if (name.SequenceEqual("ride"u8))
            {
                if (hasRide || !TryReadRide(ref cursor, out pickup, out dropoff, out distance))
                {
                    return false;
                }

                hasRide = true;
            }
            else if (name.SequenceEqual("ride_id"u8))
            {
                idIsNumber = !cursor.Peek((byte)'"');
                if (hasId || !(idIsNumber ? cursor.TryReadNumber(out idStart, out idLength) : cursor.TryReadString(out idStart, out idLength)))
                {
                    return false;
                }

                hasId = true;
            }
            else if (!PlainJsonCursor.IsPlain(name) || !cursor.TrySkipScalar())
            {
                return false;
            }
        }
        while (cursor.TryConsume((byte)','));

        if (!cursor.TryConsume((byte)'}') || !cursor.AtEnd() || !hasRide || !hasId)
        {
            return false;
        }

        ride = new PlainRide(pickup, dropoff, distance, new Range(idStart, idStart + idLength), idIsNumber);
        return true;
    }

    private static bool TryReadRide(ref PlainJsonCursor cursor, out int pickup, out int dropoff, out double distance)
    {
        pickup = dropoff = 0;
        distance = 0;
        bool hasPickup = false, hasDropoff = false, hasDistance = false;
        if (!cursor.TryConsume((byte)'{'))
        {
            return false;
        }

        do
        {
            var expected = !hasPickup ? "\"PULocationID\""u8 : !hasDropoff ? "\"DOLocationID\""u8 : "\"trip_distance\""u8;
            if (!cursor.TryReadName(expected, out var name))
            {
                return false;
            }

            bool ok;
            if (name.SequenceEqual("PULocationID"u8))
            {
                ok = !hasPickup && TryReadInt32(ref cursor, out pickup);
                hasPickup = true;
            }
            else if (name.SequenceEqual("DOLocationID"u8))
            {
                ok = !hasDropoff && TryReadInt32(ref cursor, out dropoff);
                hasDropoff = true;
            }
            else if (name.SequenceEqual("trip_distance"u8))
            {
                ok = !hasDistance && TryReadDouble(ref cursor, out distance);
                hasDistance = true;
            }
            else
            {
                ok = PlainJsonCursor.IsPlain(name) && cursor.TrySkipScalar();
            }

            if (!ok)
            {
                return false;
            }
        }
        while (cursor.TryConsume((byte)','));

        return cursor.TryConsume((byte)'}') && hasPickup && hasDropoff && hasDistance;
    }

    private static bool TryReadInt32(ref PlainJsonCursor cursor, out int value)
    {
        value = 0;
        return cursor.TryReadNumber(out var start, out var length)
            && Utf8Parser.TryParse(cursor.Json.Slice(start, length), out value, out var consumed) && consumed == length;
    }

    private static bool TryReadDouble(ref PlainJsonCursor cursor, out double value)
    {
        value = 0;
        return cursor.TryReadNumber(out var start, out var length)
            && Utf8Parser.TryParse(cursor.Json.Slice(start, length), out value, out var consumed) && consumed == length && double.IsFinite(value);
    }
}
