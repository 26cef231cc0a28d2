using StreamPredict.Model;

namespace StreamPredict.Data.Tlc;

/// <summary>One usable TLC trip: the model's inputs and the target, duration in minutes.</summary>
public readonly record struct TripRow(int PickupLocationId, int DropoffLocationId, double TripDistance, double DurationMinutes)
{
    public Ride Ride => new(PickupLocationId, DropoffLocationId, TripDistance);
}
