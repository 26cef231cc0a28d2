using StreamPredict.Model;

namespace StreamPredict.Tests.Model;

public class RideValidatorTests
{
    [Theory]
    [InlineData(130, 205, 3.66)]
    [InlineData(1, 265, 0)]
    [InlineData(265, 1, 500)]
    public void Plausible_rides_pass(int pickup, int dropoff, double distance) =>
        Assert.Null(RideValidator.Validate(new Ride(pickup, dropoff, distance)));

    [Theory]
    [InlineData(0, 205, 3.0, "PULocationID 0 is missing or outside")]
    [InlineData(266, 205, 3.0, "PULocationID 266")]
    [InlineData(130, -1, 3.0, "DOLocationID -1")]
    [InlineData(130, 205, double.NaN, "not a finite number")]
    [InlineData(130, 205, double.PositiveInfinity, "not a finite number")]
    [InlineData(130, 205, -0.1, "negative")]
    [InlineData(130, 205, 500.01, "exceeds the plausible maximum of 500 miles")]
    public void Implausible_rides_are_rejected_with_the_reason(int pickup, int dropoff, double distance, string expected)
    {
        string? reason = RideValidator.Validate(new Ride(pickup, dropoff, distance));

        Assert.NotNull(reason);
        Assert.Contains(expected, reason, StringComparison.Ordinal);
    }
}
