using StreamPredict.Cli.Bench;

namespace StreamPredict.Tests.Bench;

public class PercentilesTests
{
    [Fact]
    public void Median_of_an_odd_count_is_the_middle_value_whatever_the_order()
    {
        Assert.Equal(3.0, Percentiles.Median([5.0, 1.0, 3.0, 4.0, 2.0]));
    }

    [Fact]
    public void Median_of_an_even_count_is_the_lower_middle_value_nearest_rank()
    {
        Assert.Equal(2.0, Percentiles.Median([4.0, 1.0, 3.0, 2.0]));
    }

    [Theory]
    [InlineData(90, 9.0)]
    [InlineData(99, 10.0)]
    [InlineData(100, 10.0)]
    [InlineData(10, 1.0)]
    [InlineData(11, 2.0)]
    public void Nearest_rank_percentiles_of_one_to_ten(double percent, double expected)
    {
        double[] samples = [10, 9, 8, 7, 6, 5, 4, 3, 2, 1];
        Assert.Equal(expected, Percentiles.Of(samples, percent));
    }

    [Fact]
    public void A_single_sample_is_every_percentile()
    {
        Assert.Equal(42.0, Percentiles.Of([42.0], 1));
        Assert.Equal(42.0, Percentiles.Of([42.0], 99));
    }

    [Fact]
    public void No_samples_is_refused_with_a_reason()
    {
        var error = Assert.Throws<ArgumentException>(() => Percentiles.Median([]));
        Assert.Contains("no samples", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(-5)]
    [InlineData(100.5)]
    [InlineData(double.NaN)]
    public void Percent_outside_zero_to_hundred_is_refused(double percent)
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => Percentiles.Of([1.0, 2.0], percent));
    }
}
