namespace StreamPredict.Serving.Rides;

/// <summary>Why a record is poison. Poison is never retried: it goes to the dead-letter stream (if set), the log and the Rejected metric.</summary>
public enum RejectionKind
{
    MissingData,
    NotBase64,
    OverSizeCap,
    NotUtf8,
    NotJson,
    NotAnObject,
    TooDeep,
    RideMissing,
    RideNotAnObject,
    LocationIdMissing,
    LocationIdWrongType,
    InvalidLocationId,
    DistanceMissing,
    DistanceWrongType,
    InvalidDistance,
    RideIdMissing,
    RideIdWrongType,
    DuplicateRideId,
    InvalidAggregate,
}

public static class RejectionKinds
{
    /// <summary>The stable error_kind code written to dead letters and logs.</summary>
    public static string Code(this RejectionKind kind) => kind switch
    {
        RejectionKind.MissingData => "missing_data",
        RejectionKind.NotBase64 => "not_base64",
        RejectionKind.OverSizeCap => "over_size_cap",
        RejectionKind.NotUtf8 => "not_utf8",
        RejectionKind.NotJson => "not_json",
        RejectionKind.NotAnObject => "not_an_object",
        RejectionKind.TooDeep => "too_deep",
        RejectionKind.RideMissing => "ride_missing",
        RejectionKind.RideNotAnObject => "ride_not_an_object",
        RejectionKind.LocationIdMissing => "location_id_missing",
        RejectionKind.LocationIdWrongType => "location_id_wrong_type",
        RejectionKind.InvalidLocationId => "invalid_location_id",
        RejectionKind.DistanceMissing => "distance_missing",
        RejectionKind.DistanceWrongType => "distance_wrong_type",
        RejectionKind.InvalidDistance => "invalid_distance",
        RejectionKind.RideIdMissing => "ride_id_missing",
        RejectionKind.RideIdWrongType => "ride_id_wrong_type",
        RejectionKind.DuplicateRideId => "duplicate_ride_id",
        RejectionKind.InvalidAggregate => "invalid_aggregate",
        _ => throw new ArgumentOutOfRangeException(nameof(kind), kind, "Unknown rejection kind."),
    };
}
