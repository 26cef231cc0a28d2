namespace StreamPredict.Serving.Rides;

/// <summary>The limits on one ride record, the same in every mode. A record over any of them is refused, never truncated.</summary>
public static class RideInputCaps
{
    /// <summary>A decoded record above this size is poison. A ride event is ~100 bytes; 16 KiB leaves room for extra fields.</summary>
    public const int MaxRecordBytes = 16 * 1024;

    /// <summary>Deepest JSON nesting accepted in a record. A ride event needs 2 ({ "ride": { } }).</summary>
    public const int MaxJsonDepth = 8;

    /// <summary>Kinesis partition keys are 1..256 Unicode characters; ride_id becomes the partition key.</summary>
    public const int MaxRideIdLength = 256;
}
