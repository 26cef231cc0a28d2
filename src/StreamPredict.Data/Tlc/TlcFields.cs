namespace StreamPredict.Data.Tlc;

/// <summary>The five fields the model and the course's filter need, as flags: which are present, which could be read.</summary>
[Flags]
public enum TlcFields : byte
{
    None = 0,
    Pickup = 1,
    Dropoff = 2,
    PickupLocation = 4,
    DropoffLocation = 8,
    Distance = 16,
    All = Pickup | Dropoff | PickupLocation | DropoffLocation | Distance,
}
