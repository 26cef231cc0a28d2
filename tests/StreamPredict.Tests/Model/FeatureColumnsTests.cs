using StreamPredict.Model.Inference;

namespace StreamPredict.Tests.Model;

/// <summary>The (PU, DO) → column lookup answers the same from its table (zone ids 0..265) and its dictionary (the rest).</summary>
public sealed class FeatureColumnsTests
{
    private static readonly FeatureColumns Columns = FeatureColumns.Compile(
        ["PU_DO=1_2", "trip_distance", "PU_DO=265_265", "PU_DO=0_7", "PU_DO=300_5", "PU_DO=5_2147483647"]);

    [Theory]
    [InlineData(1, 2, 0)]
    [InlineData(265, 265, 2)]
    [InlineData(0, 7, 3)]
    [InlineData(300, 5, 4)]
    [InlineData(5, int.MaxValue, 5)]
    [InlineData(2, 1, -1)]
    [InlineData(266, 1, -1)]
    [InlineData(-1, 2, -1)]
    [InlineData(1, -2, -1)]
    [InlineData(0, 0, -1)]
    public void Each_pair_finds_its_column_or_none(int pickup, int dropoff, int expected)
    {
        Assert.Equal(expected, Columns.CategoryColumn(pickup, dropoff));
        Assert.Equal(1, Columns.DistanceColumnIndex);
    }
}
