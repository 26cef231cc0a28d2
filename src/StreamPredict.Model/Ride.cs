namespace StreamPredict.Model;

/// <summary>The model's input: the course's ride fields, already parsed.</summary>
public readonly record struct Ride(int PickupLocationId, int DropoffLocationId, double TripDistance);
