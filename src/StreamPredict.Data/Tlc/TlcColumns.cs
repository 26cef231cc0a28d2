namespace StreamPredict.Data.Tlc;

/// <summary>The columns read from a TLC file, found by name in its header or schema.</summary>
public static class TlcColumns
{
    public const string PickupLocation = "PULocationID";
    public const string DropoffLocation = "DOLocationID";
    public const string Distance = "trip_distance";

    /// <summary>Green or yellow, from which pickup column the file has; the message lists the columns when neither is there.</summary>
    public static TlcTaxiType DetectTaxiType(IReadOnlyCollection<string> columns, string source)
    {
        ArgumentNullException.ThrowIfNull(columns);
        var green = columns.Contains(TlcTaxiType.Green.PickupColumn());
        var yellow = columns.Contains(TlcTaxiType.Yellow.PickupColumn());
        if (green == yellow)
        {
            var what = green ? "both lpep_pickup_datetime and tpep_pickup_datetime" : "no lpep_pickup_datetime (green) or tpep_pickup_datetime (yellow) column";
            throw new InvalidDataException($"{source} has {what}; its columns are: {string.Join(", ", columns)}");
        }

        var type = green ? TlcTaxiType.Green : TlcTaxiType.Yellow;
        foreach (var required in Required(type))
        {
            if (!columns.Contains(required))
            {
                throw new InvalidDataException($"{source} has no \"{required}\" column; its columns are: {string.Join(", ", columns)}");
            }
        }

        return type;
    }

    /// <summary>In the order of <see cref="TlcFields"/>: pickup, dropoff, PU, DO, distance.</summary>
    public static string[] Required(TlcTaxiType type) => [type.PickupColumn(), type.DropoffColumn(), PickupLocation, DropoffLocation, Distance];
}
