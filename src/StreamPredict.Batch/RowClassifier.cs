using System.Globalization;
using System.Runtime.CompilerServices;
using StreamPredict.Data.Tlc;
using StreamPredict.Model;
using StreamPredict.Serving.Rides;

namespace StreamPredict.Batch;

/// <summary>
/// Sorts one row into scored, filtered or rejected. The order follows the course: the duration filter comes first (a
/// 3-hour ride is filtered whatever else is wrong with it), except that a row whose timestamps are missing or unusable has
/// no duration and is rejected. Zones and distance are then checked by the same rules as every other mode
/// (<see cref="RideReader.Validate"/>), so a bad row gets the reason the function or the web service would give.
/// </summary>
public static class RowClassifier
{
    public const string TimestampMissing = "timestamp_missing";
    public const string TimestampUnreadable = "timestamp_unreadable";
    public const string TimestampNegative = "timestamp_negative";

    /// <summary>The first instant a TLC timestamp can hold; anything earlier is a negative epoch value, i.e. corrupt.</summary>
    private static readonly DateTime Epoch = DateTime.UnixEpoch;

    /// <param name="ride">The model's input, when scored.</param>
    /// <param name="code">The rejection's stable code (e.g. invalid_location_id), when rejected.</param>
    /// <param name="reason">A sentence naming the field and the value, when rejected.</param>
    // Optimised at its first call, like the batch's other per-row loops (see ParquetColumnDecoder.Read).
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static RowOutcome Classify(in TlcTrip trip, TlcTaxiType taxiType, out Ride ride, out string? code, out string? reason)
    {
        ride = default;
        if (CheckTimestamp(trip, TlcFields.Pickup, trip.Pickup, taxiType.PickupColumn(), out code, out reason)
            || CheckTimestamp(trip, TlcFields.Dropoff, trip.Dropoff, taxiType.DropoffColumn(), out code, out reason))
        {
            return RowOutcome.Rejected;
        }

        if (!CourseFilter.Keeps(trip.DurationMinutes))
        {
            return RowOutcome.Filtered;
        }

        if (CheckLocation(trip, TlcFields.PickupLocation, trip.PickupLocationId, TlcColumns.PickupLocation, out code, out reason)
            || CheckLocation(trip, TlcFields.DropoffLocation, trip.DropoffLocationId, TlcColumns.DropoffLocation, out code, out reason))
        {
            return RowOutcome.Rejected;
        }

        if ((trip.Present & TlcFields.Distance) == 0)
        {
            (code, reason) = (RejectionKind.DistanceMissing.Code(), $"{TlcColumns.Distance} is missing");
            return RowOutcome.Rejected;
        }

        if ((trip.Unreadable & TlcFields.Distance) != 0)
        {
            (code, reason) = (RejectionKind.InvalidDistance.Code(), $"{TlcColumns.Distance} is not a number");
            return RowOutcome.Rejected;
        }

        ride = new Ride((int)trip.PickupLocationId, (int)trip.DropoffLocationId, trip.TripDistance);
        if (RideReader.Validate(ride, out reason) is { } kind)
        {
            code = kind.Code();
            return RowOutcome.Rejected;
        }

        return RowOutcome.Scored;
    }

    private static bool CheckTimestamp(in TlcTrip trip, TlcFields field, DateTime value, string column, out string? code, out string? reason)
    {
        (code, reason) = (trip.Present & field) == 0 ? (TimestampMissing, $"{column} is missing")
            : (trip.Unreadable & field) != 0 ? (TimestampUnreadable, $"{column} is not a timestamp")
            : value < Epoch ? (TimestampNegative, $"{column} {value:yyyy-MM-dd HH:mm:ss} is before 1970-01-01 (a negative epoch time)")
            : ((string?)null, (string?)null);
        return code is not null;
    }

    /// <summary>Missing, unreadable and fractional ids are caught here; the zone range is <see cref="RideValidator"/>'s rule.</summary>
    private static bool CheckLocation(in TlcTrip trip, TlcFields field, double value, string column, out string? code, out string? reason)
    {
        (code, reason) = (trip.Present & field) == 0 ? (RejectionKind.LocationIdMissing.Code(), $"{column} is missing")
            : (trip.Unreadable & field) != 0 ? (RejectionKind.InvalidLocationId.Code(), $"{column} is not a number")
            : !TlcDataset.IsWholeId(value)
                ? (RejectionKind.InvalidLocationId.Code(), string.Create(CultureInfo.InvariantCulture, $"{column} {value} is not a whole zone id"))
            : ((string?)null, (string?)null);
        return code is not null;
    }
}
