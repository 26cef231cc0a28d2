using StreamPredict.Model;
using StreamPredict.Model.Artifact;
using StreamPredict.Data.Tlc;
using StreamPredict.Training.Linear;
using StreamPredict.Training.MlNet;

namespace StreamPredict.Tests.Training;

/// <summary>
/// ML.NET's trained trees converted into our artifact predict what ML.NET's own PredictionEngine predicts, on small
/// synthetic data whose zones matter (so the trees split on them as categories) and whose distance matters (numeric splits).
/// </summary>
public sealed class BoostedTreeConversionTests
{
    private const double Tolerance = 1e-5;

    private static readonly TlcDataset Training = Synthetic("synthetic-train", seed: 11, rows: 6_000);
    private static readonly TlcDataset Validation = Synthetic("synthetic-valid", seed: 12, rows: 2_000);

    [Theory]
    [InlineData(BoostingTrainer.LightGbm)]
    [InlineData(BoostingTrainer.FastTree)]
    public void Our_engine_predicts_what_the_ml_net_prediction_engine_predicts(BoostingTrainer trainer)
    {
        BoostedTreeResult result = Train(trainer);
        CompiledModel reloaded = CompiledModel.Load(ModelArtifactWriter.Write(result.Artifact));
        using var mlNet = new MlNetRidePredictor(result);

        foreach (Ride ride in Rides())
        {
            Assert.Equal(mlNet.Predict(in ride), reloaded.Predict(in ride), Tolerance);
        }
    }

    [Theory]
    [InlineData(BoostingTrainer.LightGbm)]
    [InlineData(BoostingTrainer.FastTree)]
    public void The_trees_split_on_zones_as_categories_and_on_distance_as_a_number(BoostingTrainer trainer)
    {
        IReadOnlyList<TreeSpec> trees = Train(trainer).Artifact.Estimator.Trees!;

        Assert.Contains(trees, tree => tree.Categories?.Any(set => set is not null) == true);
        Assert.Contains(trees, tree => tree.Feature.Any(feature => feature >= 0));
    }

    [Fact]
    public void The_artifact_says_what_produced_it_and_scores_with_our_engine()
    {
        BoostedTreeResult result = Train(BoostingTrainer.LightGbm);

        Assert.StartsWith("streampredict ML.NET LightGBM 5.0.1", result.Artifact.Training.Producer, StringComparison.Ordinal);
        Assert.Equal(result.ValidationRmse, result.Artifact.Training.ValidationRmse);
        Assert.Equal(result.ValidationRmse!.Value, LinearRegressionTrainer.Rmse(result.Model, Validation.Rows), 12);
        Assert.Equal(EstimatorSpec.SumAggregation, result.Artifact.Estimator.Aggregation);
        // The zones explain most of the synthetic durations: far better than predicting the mean.
        Assert.InRange(result.ValidationRmse.Value, 0, 0.5 * StandardDeviation(Validation.Rows));
    }

    [Fact]
    public void Ml_net_zip_saved_and_loaded_with_the_artifact_columns_predicts_the_same()
    {
        BoostedTreeResult result = Train(BoostingTrainer.LightGbm);
        string zip = Path.Combine(Path.GetTempPath(), $"mlnet-{Guid.NewGuid():N}.zip");
        try
        {
            MlNetRidePredictor.Save(result, zip);
            using var trained = new MlNetRidePredictor(result);
            using var loaded = MlNetRidePredictor.Load(zip, result.Artifact.Features.Columns);

            Assert.All(Rides(), ride => Assert.Equal(trained.Predict(in ride), loaded.Predict(in ride)));
        }
        finally
        {
            File.Delete(zip);
        }
    }

    [Theory]
    [InlineData(new[] { "PULocationID=1", "DOLocationID=2" }, "the last column must be \"trip_distance\"")]
    [InlineData(new[] { "PULocationID=1", "DOLocationID=2", "PULocationID=3", "trip_distance" }, "one contiguous run")]
    [InlineData(new[] { "PULocationID=x", "trip_distance" }, "does not name a zone")]
    [InlineData(new[] { "speed", "trip_distance" }, "is not a PU_DO, PULocationID or DOLocationID one-hot column")]
    public void A_layout_from_columns_refuses_what_training_never_writes(string[] columns, string expected)
    {
        var error = Assert.Throws<ArgumentException>(() => RideFeatureLayout.FromColumns(columns));
        Assert.Contains(expected, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Early_stopping_without_validation_data_is_refused()
    {
        var error = Assert.Throws<ArgumentException>(() => BoostedTreeTrainer.Train(Training, null, new BoostedTreeOptions { Trees = 5 }));
        Assert.Contains("early stopping needs validation data", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(0, 8, 0.1, "trees must be at least 1")]
    [InlineData(5, 1, 0.1, "leaves must be at least 2")]
    [InlineData(5, 8, 0.0, "learning rate must be in (0, 1]")]
    [InlineData(5, 8, 1.5, "learning rate must be in (0, 1]")]
    public void Options_out_of_range_are_refused_by_name(int trees, int leaves, double learningRate, string expected)
    {
        var options = new BoostedTreeOptions { Trees = trees, Leaves = leaves, LearningRate = learningRate, EarlyStopping = 0 };
        var error = Assert.Throws<ArgumentException>(() => BoostedTreeTrainer.Train(Training, null, options));
        Assert.Contains(expected, error.Message, StringComparison.Ordinal);
    }

    private static BoostedTreeResult Train(BoostingTrainer trainer) => BoostedTreeTrainer.Train(Training, Validation, new BoostedTreeOptions
    {
        Trainer = trainer,
        Trees = 60,
        Leaves = 16,
        LearningRate = 0.2,
        EarlyStopping = 20,
        Version = "test-run",
    });

    /// <summary>Validation rides, and random rides over every zone (most of them never seen in training).</summary>
    private static IEnumerable<Ride> Rides()
    {
        var random = new Random(5);
        foreach (TripRow row in Validation.Rows.Take(1_000))
        {
            yield return row.Ride;
        }

        for (int i = 0; i < 1_000; i++)
        {
            yield return new Ride(random.Next(1, 266), random.Next(1, 266), random.NextDouble() * 30);
        }
    }

    /// <summary>
    /// Rides among 24 zones: each zone adds its own minutes (so the zones are categories, not numbers: the effect does not
    /// follow the id), distance adds 2.5 minutes a mile, and noise of ±1.5 minutes.
    /// </summary>
    private static TlcDataset Synthetic(string source, int seed, int rows)
    {
        var random = new Random(seed);
        var zoneMinutes = new Random(3);
        int[] zones = [.. Enumerable.Range(0, 24).Select(i => 10 + (i * 7))];
        var minutes = zones.ToDictionary(zone => zone, _ => zoneMinutes.NextDouble() * 12);
        var trips = new List<TripRow>(rows);
        for (int i = 0; i < rows; i++)
        {
            int pickup = zones[random.Next(zones.Length)];
            int dropoff = zones[random.Next(zones.Length)];
            double distance = Math.Round(random.NextDouble() * 8, 2);
            double duration = 2 + minutes[pickup] + (0.5 * minutes[dropoff]) + (2.5 * distance) + ((random.NextDouble() - 0.5) * 3);
            trips.Add(new TripRow(pickup, dropoff, distance, duration));
        }

        return new TlcDataset { Source = source, Rows = trips, RowsRead = rows };
    }

    private static double StandardDeviation(IReadOnlyList<TripRow> rows)
    {
        double mean = rows.Average(row => row.DurationMinutes);
        return Math.Sqrt(rows.Average(row => (row.DurationMinutes - mean) * (row.DurationMinutes - mean)));
    }
}
