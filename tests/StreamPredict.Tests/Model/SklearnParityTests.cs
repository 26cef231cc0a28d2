using System.Globalization;
using System.Text;
using System.Text.Json;
using StreamPredict.Model;
using StreamPredict.Data.Tlc;
using StreamPredict.Training.Linear;

namespace StreamPredict.Tests.Model;

public sealed class SklearnParityTests : IDisposable
{
    private readonly string _work = Directory.CreateTempSubdirectory("streampredict-parity-").FullName;

    public void Dispose() => Directory.Delete(_work, recursive: true);

    [SklearnFact]
    public void Csharp_forest_matches_sklearn_on_10000_random_rides()
    {
        string artifact = Path.Combine(_work, "forest.model.json");
        Sklearn.Run(ModelTestFiles.ExportScript, ModelTestFiles.CourseModelFolder, artifact);
        CompiledModel model = CompiledModel.Load(File.ReadAllBytes(artifact));

        AssertMatchesSklearn(ModelTestFiles.CourseModelFolder, model, RandomRides(SeenPairs(artifact), 10_000));
    }

    [SklearnFact]
    public void Committed_fixture_is_what_the_exporter_produces()
    {
        string artifact = Path.Combine(_work, "forest.model.json");
        Sklearn.Run(ModelTestFiles.ExportScript, ModelTestFiles.CourseModelFolder, artifact);

        Assert.Equal(File.ReadAllBytes(ModelTestFiles.CourseForestArtifact), File.ReadAllBytes(artifact));
    }

    [SklearnFact]
    public void Csharp_trainer_matches_sklearn_linear_regression_exported_through_the_exporter()
    {
        string sample = ModelTestFiles.TestData("tlc/green_tripdata_2021-01.sample.csv.gz");
        string pickle = Path.Combine(_work, "linear.pkl");
        string artifact = Path.Combine(_work, "linear.model.json");
        const int Trips = 1000;
        Sklearn.Run(ModelTestFiles.FitScript, sample, pickle, Trips.ToString(CultureInfo.InvariantCulture), "linear");
        Sklearn.Run(ModelTestFiles.ExportScript, pickle, artifact, "--version", "sklearn-fit");
        CompiledModel sklearn = CompiledModel.Load(File.ReadAllBytes(artifact));
        TlcDataset trips = TlcDataset.ReadFile(sample);
        CompiledModel ours = LinearRegressionTrainer.Train(new TlcDataset { Source = trips.Source, Rows = [.. trips.Rows.Take(Trips)] }).Model;

        Ride[] holdout = [.. TlcDataset.ReadFile(ModelTestFiles.TestData("tlc/green_tripdata_2021-02.sample.csv.gz")).Rows.Select(r => r.Ride)];
        Assert.Equal("linear", sklearn.Kind);
        Assert.All(holdout, ride => Assert.Equal(sklearn.Predict(ride), ours.Predict(ride), 1e-6));
    }

    [SklearnTheory]
    [InlineData("ridge")]
    [InlineData("lasso")]
    [InlineData("tree")]
    [InlineData("forest")]
    [InlineData("boosting")]
    public void Exported_model_matches_sklearn(string kind)
    {
        string pickle = Path.Combine(_work, kind + ".pkl");
        string artifact = Path.Combine(_work, kind + ".model.json");
        Sklearn.Run(ModelTestFiles.FitScript, ModelTestFiles.TestData("tlc/green_tripdata_2021-01.sample.csv.gz"), pickle, "1000", kind);
        Sklearn.Run(ModelTestFiles.ExportScript, pickle, artifact);

        AssertMatchesSklearn(pickle, CompiledModel.Load(File.ReadAllBytes(artifact)), RandomRides(SeenPairs(artifact), 2000));
    }

    [SklearnTheory]
    [InlineData("knn", "unsupported model KNeighborsRegressor")]
    [InlineData("separate-ids", "unsupported feature 'PU=")]
    public void Exporter_refuses_what_the_artifact_cannot_express(string kind, string expected)
    {
        string pickle = Path.Combine(_work, kind + ".pkl");
        Sklearn.Run(ModelTestFiles.FitScript, ModelTestFiles.TestData("tlc/green_tripdata_2021-01.sample.csv.gz"), pickle, "200", kind);

        var error = Assert.Throws<InvalidOperationException>(() => Sklearn.Run(ModelTestFiles.ExportScript, pickle, Path.Combine(_work, "out.json")));
        Assert.Contains(expected, error.Message, StringComparison.Ordinal);
        Assert.False(File.Exists(Path.Combine(_work, "out.json")));
    }

    private void AssertMatchesSklearn(string sklearnModel, CompiledModel model, Ride[] rides)
    {
        double[] expected = SklearnPredictions(sklearnModel, rides);
        double[] actual = new double[rides.Length];
        model.PredictBatch(rides, actual);

        Assert.Equal(rides.Length, expected.Length);
        int worst = Enumerable.Range(0, rides.Length).MaxBy(i => Math.Abs(expected[i] - actual[i]));
        Assert.True(Math.Abs(expected[worst] - actual[worst]) <= 1e-4,
            $"ride {rides[worst]}: sklearn {expected[worst]}, C# {actual[worst]}");
    }

    private double[] SklearnPredictions(string sklearnModel, Ride[] rides)
    {
        string csv = Path.Combine(_work, "rides.csv");
        var text = new StringBuilder("PULocationID,DOLocationID,trip_distance\n");
        foreach (Ride ride in rides)
        {
            text.Append(CultureInfo.InvariantCulture, $"{ride.PickupLocationId},{ride.DropoffLocationId},{ride.TripDistance:R}\n");
        }

        File.WriteAllText(csv, text.ToString());
        return Sklearn.Run(ModelTestFiles.PredictScript, sklearnModel, csv)
            .Split('\n', StringSplitOptions.RemoveEmptyEntries)
            .Select(line => double.Parse(line, CultureInfo.InvariantCulture))
            .ToArray();
    }

    // Half the rides use pairs the vectorizer knows (they hit one-hot splits), half are random (mostly unseen).
    private static Ride[] RandomRides(List<(int Pickup, int Dropoff)> seen, int count)
    {
        var random = new Random(20260601);
        var rides = new Ride[count];
        for (int i = 0; i < count; i++)
        {
            (int pickup, int dropoff) = i % 2 == 0 ? seen[random.Next(seen.Count)] : (random.Next(1, 266), random.Next(1, 266));
            double distance = i % 10 == 0 ? Math.Round(random.NextDouble() * 30, 2) : random.NextDouble() * 30;
            rides[i] = new Ride(pickup, dropoff, distance);
        }

        return rides;
    }

    private static List<(int, int)> SeenPairs(string artifact)
    {
        using JsonDocument document = JsonDocument.Parse(File.ReadAllBytes(artifact));
        return document.RootElement.GetProperty("model").GetProperty("features").GetProperty("columns").EnumerateArray()
            .Select(column => column.GetString()!)
            .Where(name => name.StartsWith("PU_DO=", StringComparison.Ordinal))
            .Select(name => name["PU_DO=".Length..].Split('_'))
            .Select(pair => (int.Parse(pair[0], CultureInfo.InvariantCulture), int.Parse(pair[1], CultureInfo.InvariantCulture)))
            .ToList();
    }
}
