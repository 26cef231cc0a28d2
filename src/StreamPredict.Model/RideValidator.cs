namespace StreamPredict.Model;

/// <summary>Rejects rides the model must never turn into a number.</summary>
public static class RideValidator
{
    /// <summary>Null when the ride is valid; otherwise a reason a person can read.</summary>
    public static string? Validate(in Ride ride) => throw new NotImplementedException();
}
