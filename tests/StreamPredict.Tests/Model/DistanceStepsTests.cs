using StreamPredict.Model.Artifact;
using StreamPredict.Model.Inference;

namespace StreamPredict.Tests.Model;

/// <summary>The step tables give the tree walk's prediction bit for bit, at and around every threshold.</summary>
public class DistanceStepsTests
{
    [Fact]
    public async Task The_course_forest_predicts_from_step_tables_exactly_as_its_trees_do()
    {
        var artifact = ModelDocumentReader.Read(File.ReadAllBytes(ModelTestFiles.CourseForestArtifact));
        var columns = FeatureColumns.Compile(artifact.Features!.Columns!);
        var forest = TreeEnsembleEstimator.Compile(artifact.Estimator!, columns);
        await forest.StepTablesBuilt;
        Assert.True(forest.UsesDistanceSteps);

        var thresholds = artifact.Estimator!.Trees!.SelectMany(t => t!.Feature!.Zip(t.Threshold!))
            .Where(pair => pair.First == columns.DistanceColumnIndex).Select(pair => pair.Second).Distinct().ToList();
        var random = new Random(2021);
        var distances = thresholds
            .SelectMany(t => new[] { t, (double)(float)t, MathF.BitDecrement((float)t), MathF.BitIncrement((float)t), t - 1e-9, t + 1e-9 })
            .Concat(Enumerable.Range(0, 300).Select(_ => random.NextDouble() * 60))
            .Concat([0, 500, -1, double.NaN, double.PositiveInfinity, 1e-30])
            .ToList();

        var compared = 0;
        // Every one-hot column, and -1 (an unseen pair); the distance column is never a ride's category column.
        foreach (var column in Enumerable.Range(-1, columns.Count + 1).Where(c => c != columns.DistanceColumnIndex))
        {
            foreach (var distance in distances)
            {
                var (walked, stepped) = (forest.Walk(column, distance), forest.Predict(new RideColumns(column, -1, -1, FeatureColumns.NoZone, FeatureColumns.NoZone, distance)));
                Assert.True(BitConverter.DoubleToInt64Bits(walked) == BitConverter.DoubleToInt64Bits(stepped),
                    $"column {column}, distance {distance:R}: walk {walked:R}, steps {stepped:R}");
                compared++;
            }
        }

        Assert.True(compared > 100_000, $"compared {compared}");
    }

    [Fact]
    public async Task Before_its_step_tables_exist_the_forest_walks_and_predicts_the_same()
    {
        var artifact = ModelDocumentReader.Read(File.ReadAllBytes(ModelTestFiles.CourseForestArtifact));
        var columns = FeatureColumns.Compile(artifact.Features!.Columns!);
        var forest = TreeEnsembleEstimator.Compile(artifact.Estimator!, columns);
        var ride = new RideColumns(columns.CategoryColumn(130, 205), -1, -1, FeatureColumns.NoZone, FeatureColumns.NoZone, 3.66);

        // Whichever path this first prediction takes, it is the walk's value; after the build it comes from the tables.
        var first = forest.Predict(ride);
        await forest.StepTablesBuilt;

        Assert.True(forest.UsesDistanceSteps);
        Assert.Equal(BitConverter.DoubleToInt64Bits(forest.Walk(ride.Pair, ride.Distance)), BitConverter.DoubleToInt64Bits(first));
        Assert.Equal(BitConverter.DoubleToInt64Bits(first), BitConverter.DoubleToInt64Bits(forest.Predict(ride)));
    }
}
