namespace StreamPredict.IntegrationTests;

public class SkeletonTests
{
    [Fact]
    public void Ride_is_a_value()
    {
        Assert.Equal(new StreamPredict.Model.Ride(1, 2, 3), new StreamPredict.Model.Ride(1, 2, 3));
    }
}
