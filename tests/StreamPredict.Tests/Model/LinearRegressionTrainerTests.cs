using StreamPredict.Model;
using StreamPredict.Model.Artifact;
using StreamPredict.Data.Tlc;
using StreamPredict.Training.Linear;

namespace StreamPredict.Tests.Model;

public class LinearRegressionTrainerTests
{
    private static readonly TlcDataset Sample = TlcDataset.ReadFile(ModelTestFiles.TestData("tlc/green_tripdata_2021-01.sample.csv.gz"));
    private static readonly TlcDataset Holdout = TlcDataset.ReadFile(ModelTestFiles.TestData("tlc/green_tripdata_2021-02.sample.csv.gz"));

    private static TlcDataset Dataset(params TripRow[] rows) => new() { Source = "hand", Rows = rows, RowsRead = rows.Length };

    [Fact]
    public void Small_problem_gets_the_minimum_norm_solution()
    {
        // Pair (1,1): y = 2d; pair (2,2): y = 2d + 1. Shared slope 2; pair effects 0 and 1; minimum norm splits them
        // around the intercept 0.5, so an unseen pair gets 0.5 + 2d.
        TrainingResult result = LinearRegressionTrainer.Train(Dataset(
            new(1, 1, 1, 2), new(1, 1, 3, 6), new(2, 2, 2, 5), new(2, 2, 4, 9)));

        Assert.Equal(2, result.DistanceWeight, 12);
        Assert.Equal(2.5, result.Model.Predict(new Ride(1, 1, 1.25)), 12);
        Assert.Equal(3.5, result.Model.Predict(new Ride(2, 2, 1.25)), 12);
        Assert.Equal(20.5, result.Model.Predict(new Ride(3, 3, 10)), 12);
        Assert.Equal(0.5, result.Artifact.Estimator.Intercept!.Value, 12);
        Assert.Equal(0, result.TrainRmse, 12);
    }

    [Fact]
    public void Fit_satisfies_the_normal_equations_and_minimum_norm_on_real_trips()
    {
        TrainingResult result = LinearRegressionTrainer.Train(Sample);
        double[] residuals = [.. Sample.Rows.Select(row => row.DurationMinutes - result.Model.Predict(row.Ride))];

        // Orthogonal to every one-hot column: residuals sum to zero within each pair...
        foreach (var pair in Sample.Rows.Select((row, i) => (row, i)).GroupBy(x => (x.row.PickupLocationId, x.row.DropoffLocationId)))
        {
            Assert.Equal(0, pair.Sum(x => residuals[x.i]), 1e-8);
        }

        // ...and to the distance column.
        Assert.Equal(0, Sample.Rows.Select((row, i) => row.TripDistance * residuals[i]).Sum(), 1e-6);

        // Minimum norm: the pair weights sum to zero.
        EstimatorSpec estimator = result.Artifact.Estimator;
        IReadOnlyList<string> columns = result.Artifact.Features.Columns;
        Assert.Equal(0, estimator.Weights!.Where((_, i) => columns[i] != "trip_distance").Sum(), 1e-8);
    }

    [Fact]
    public void Artifact_records_the_training_and_reloads_to_the_same_predictions()
    {
        TrainingResult result = LinearRegressionTrainer.Train(Sample, Holdout, new TrainingOptions { Name = "sample", Version = "run-7" });
        CompiledModel reloaded = CompiledModel.Load(ModelArtifactWriter.Write(result.Artifact));

        TrainingMetadata training = result.Artifact.Training;
        Assert.Equal(Sample.Rows.Count, training.Rows);
        Assert.Equal("green_tripdata_2021-01.sample.csv.gz", training.Source);
        Assert.Equal("green_tripdata_2021-02.sample.csv.gz", training.ValidationSource);
        Assert.Equal(result.ValidationRmse, training.ValidationRmse);
        Assert.Equal(LinearRegressionTrainer.Rmse(reloaded, Holdout.Rows), result.ValidationRmse);
        Assert.Equal("run-7", reloaded.Version);
        Assert.All(Holdout.Rows.Take(500), row => Assert.Equal(result.Model.Predict(row.Ride), reloaded.Predict(row.Ride)));
    }

    [Fact]
    public void Empty_training_set_is_refused() =>
        Assert.Contains("no trips", Assert.Throws<InvalidDataException>(() => LinearRegressionTrainer.Train(Dataset())).Message, StringComparison.Ordinal);

    [Fact]
    public void Distance_that_never_varies_within_a_pair_is_refused() =>
        Assert.Contains("never varies", Assert.Throws<InvalidDataException>(
            () => LinearRegressionTrainer.Train(Dataset(new(1, 1, 1, 2), new(2, 2, 3, 4)))).Message, StringComparison.Ordinal);
}
