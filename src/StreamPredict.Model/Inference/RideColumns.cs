namespace StreamPredict.Model.Inference;

/// <summary>
/// One ride as the estimators see it: which one-hot columns it switches on (-1 for none) and its distance.
/// A ride switches on at most one column per group: its PU_DO pair, its pickup zone, its dropoff zone.
/// </summary>
/// <param name="PickupZone">The pickup zone id as an index into a categorical split's zone set: 0..265, or
/// <see cref="FeatureColumns.NoZone"/> for anything else, which no set contains.</param>
internal readonly record struct RideColumns(int Pair, int Pickup, int Dropoff, int PickupZone, int DropoffZone, double Distance);
