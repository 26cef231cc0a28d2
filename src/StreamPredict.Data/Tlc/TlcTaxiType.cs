namespace StreamPredict.Data.Tlc;

/// <summary>The TLC trip-record families this reader knows; they differ only in the timestamp columns' prefix.</summary>
public enum TlcTaxiType
{
    /// <summary>Green taxis: <c>lpep_pickup_datetime</c>, <c>lpep_dropoff_datetime</c>.</summary>
    Green,

    /// <summary>Yellow taxis: <c>tpep_pickup_datetime</c>, <c>tpep_dropoff_datetime</c>.</summary>
    Yellow,
}

public static class TlcTaxiTypes
{
    /// <summary>"green" or "yellow", as in the TLC's file names and the course's <c>taxi_type=</c> folders.</summary>
    public static string Name(this TlcTaxiType type) => type switch
    {
        TlcTaxiType.Green => "green",
        TlcTaxiType.Yellow => "yellow",
        _ => throw new ArgumentOutOfRangeException(nameof(type), type, "Unknown taxi type."),
    };

    public static string PickupColumn(this TlcTaxiType type) => type == TlcTaxiType.Green ? "lpep_pickup_datetime" : "tpep_pickup_datetime";

    public static string DropoffColumn(this TlcTaxiType type) => type == TlcTaxiType.Green ? "lpep_dropoff_datetime" : "tpep_dropoff_datetime";

    public static bool TryParse(string? text, out TlcTaxiType type)
    {
        switch (text?.Trim().ToUpperInvariant())
        {
            case "GREEN":
                type = TlcTaxiType.Green;
                return true;
            case "YELLOW":
                type = TlcTaxiType.Yellow;
                return true;
            default:
                type = default;
                return false;
        }
    }
}
