namespace StreamPredict.Model;

/// <summary>Rejects rides the model must never turn into a number.</summary>
public static class RideValidator
{
    /// <summary>
    /// TLC taxi zones are numbered 1..263; 264 ("Unknown") and 265 ("Outside of NYC") appear in the trip records too.
    /// Anything else (0 included, which is what a missing id parses to) is not a zone.
    /// </summary>
    public const int MinLocationId = 1;

    /// <inheritdoc cref="MinLocationId"/>
    public const int MaxLocationId = 265;

    /// <summary>
    /// The model only knows rides of 1..60 minutes; no taxi covers 500 miles in an hour, and the TLC records' meter faults
    /// sit far above that (thousands of miles), so the cap rejects faults without touching any real trip.
    /// </summary>
    public const double MaxTripDistanceMiles = 500;

    /// <summary>Null when the ride is valid; otherwise a reason a person can read.</summary>
    public static string? Validate(in Ride ride)
    {
        if (ride.PickupLocationId is < MinLocationId or > MaxLocationId)
        {
            return $"PULocationID {ride.PickupLocationId} is missing or outside the TLC taxi zones {MinLocationId}..{MaxLocationId}";
        }

        if (ride.DropoffLocationId is < MinLocationId or > MaxLocationId)
        {
            return $"DOLocationID {ride.DropoffLocationId} is missing or outside the TLC taxi zones {MinLocationId}..{MaxLocationId}";
        }

        double distance = ride.TripDistance;
        if (!double.IsFinite(distance))
        {
            return $"trip_distance {distance} is not a finite number";
        }

        if (distance < 0)
        {
            return $"trip_distance {distance} is negative";
        }

        if (distance > MaxTripDistanceMiles)
        {
            return $"trip_distance {distance} exceeds the plausible maximum of {MaxTripDistanceMiles} miles";
        }

        return null;
    }
}
