using System.Text;
using StreamPredict.Model;
using StreamPredict.Model.Artifact;
using static StreamPredict.Tests.Model.ArtifactDocuments;

namespace StreamPredict.Tests.Model;

public class CompiledModelLoadTests
{
    private const string Linear = """{"kind":"linear","intercept":2,"weights":[3,0.5]}""";

    [Fact]
    public void Linear_model_adds_intercept_category_weight_and_distance_term()
    {
        CompiledModel model = CompiledModel.Load(Wrap(ModelJson(TwoColumns, Linear)));

        Assert.Equal(2 + 3 + (0.5 * 4), model.Predict(new Ride(130, 205, 4)));
        Assert.Equal("t", model.Name);
        Assert.Equal("v1", model.Version);
    }

    [Fact]
    public void Unseen_category_contributes_nothing()
    {
        CompiledModel model = CompiledModel.Load(Wrap(ModelJson(TwoColumns, Linear)));

        Assert.Equal(2 + (0.5 * 4), model.Predict(new Ride(205, 130, 4)));
    }

    [Fact]
    public void Batch_matches_single_predictions()
    {
        CompiledModel model = CompiledModel.Load(Wrap(ModelJson(TwoColumns, Linear)));
        Ride[] rides = [new(130, 205, 1), new(1, 1, 7.5), new(130, 205, 0)];
        double[] durations = new double[rides.Length];

        model.PredictBatch(rides, durations);

        Assert.Equal(rides.Select(r => model.Predict(r)), durations);
    }

    [Fact]
    public void Batch_refuses_mismatched_spans()
    {
        CompiledModel model = CompiledModel.Load(Wrap(ModelJson(TwoColumns, Linear)));

        Assert.Throws<ArgumentException>(() => model.PredictBatch(new Ride[2], new double[1]));
    }

    [Fact]
    public void Forest_averages_trees_and_compares_distance_as_float32()
    {
        string splitOnCategory = Tree(feature: "[0,-1,-1]", threshold: "[0.5,0,0]", value: "[0,1,5]");
        CompiledModel model = CompiledModel.Load(Wrap(ModelJson(TwoColumns, Forest(Tree(), splitOnCategory))));

        Assert.Equal((10 + 5) / 2.0, model.Predict(new Ride(130, 205, 2.5)));
        Assert.Equal((20 + 1) / 2.0, model.Predict(new Ride(1, 2, 2.6)));
        // 2.5000000001 rounds to 2.5f, so it still goes left, exactly as sklearn's float32 cast does.
        Assert.Equal((10 + 1) / 2.0, model.Predict(new Ride(1, 2, 2.5000000001)));
    }

    [Fact]
    public void Boosting_sums_scaled_trees_onto_the_base_score()
    {
        string boosted = $$"""{"kind":"tree_ensemble","split":"<=","aggregation":"sum","base_score":1.5,"learning_rate":0.1,"trees":[{{Tree()}},{{Tree()}}]}""";
        CompiledModel model = CompiledModel.Load(Wrap(ModelJson(TwoColumns, boosted)));

        Assert.Equal(1.5 + (0.1 * 20) + (0.1 * 20), model.Predict(new Ride(1, 2, 3)), 12);
    }

    [Fact]
    public void Writer_output_loads_back()
    {
        var artifact = new ModelArtifact
        {
            Name = "written",
            Version = "run-1",
            Features = new FeatureSpec { Columns = ["PU_DO=1_2", "trip_distance"] },
            Estimator = new EstimatorSpec { Kind = EstimatorSpec.LinearKind, Intercept = 0.1, Weights = [1.0 / 3, -2e-7] },
            Training = new TrainingMetadata { Producer = "test", Source = "memory", Rows = 3, ValidationRmse = 7.5 },
        };

        CompiledModel model = CompiledModel.Load(ModelArtifactWriter.Write(artifact));

        Assert.Equal((1.0 / 3) + (-2e-7 * 10) + 0.1, model.Predict(new Ride(1, 2, 10)));
        Assert.Equal("run-1", model.Version);
    }

    [Theory]
    [InlineData("checksum mismatch")]
    public void Edited_model_is_refused_by_the_checksum(string expected)
    {
        string document = Encoding.UTF8.GetString(Wrap(ModelJson(TwoColumns, Linear)));
        byte[] edited = Encoding.UTF8.GetBytes(document.Replace("\"intercept\":2", "\"intercept\":3", StringComparison.Ordinal));

        var error = Assert.Throws<ModelLoadException>(() => CompiledModel.Load(edited));
        Assert.Contains(expected, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Unknown_schema_version_is_refused()
    {
        var error = Assert.Throws<ModelLoadException>(() => CompiledModel.Load(Wrap(ModelJson(TwoColumns, Linear), "streampredict.model/v9")));
        Assert.Contains("unsupported schema \"streampredict.model/v9\"", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("""{"kind":"linear","intercept":2,"weights":[3]}""", "1 weights but features.columns has 2")]
    [InlineData("""{"kind":"linear","weights":[3,1]}""", "no \"intercept\"")]
    [InlineData("""{"kind":"svm"}""", "unknown estimator kind \"svm\"")]
    [InlineData("""{"kind":"tree_ensemble","split":"<","aggregation":"mean","trees":[]}""", "split \"<\" is not supported")]
    [InlineData("""{"kind":"tree_ensemble","split":"<=","aggregation":"max","trees":[]}""", "aggregation \"max\"")]
    [InlineData("""{"kind":"tree_ensemble","split":"<=","aggregation":"sum","learning_rate":1,"trees":[]}""", "needs \"base_score\"")]
    [InlineData("""{"kind":"tree_ensemble","split":"<=","aggregation":"mean","trees":[]}""", "has no trees")]
    public void Invalid_estimator_is_refused_with_the_reason(string estimator, string expected)
    {
        var error = Assert.Throws<ModelLoadException>(() => CompiledModel.Load(Wrap(ModelJson(TwoColumns, estimator))));
        Assert.Contains(expected, error.Message, StringComparison.Ordinal);
    }

    public static TheoryData<string, string> InvalidTrees => new()
    {
        { Tree(left: "[1,-1]"), "arrays differ in length" },
        { Tree(left: "[1,-1,-1]", right: "[5,-1,-1]"), "child index 5, outside 0..2" },
        { Tree(left: "[1,0,-1]", right: "[2,2,-1]"), "reached twice" },
        { Tree(left: "[1,-1,-1]", right: "[1,-1,-1]"), "reached twice" },
        { Tree(feature: "[7,-1,-1]"), "splits on feature 7, outside the 2 columns" },
        { Tree(left: "[-1,-1,-1]", right: "[-1,-1,-1]"), "2 nodes not reachable" },
    };

    [Theory]
    [MemberData(nameof(InvalidTrees))]
    public void Invalid_tree_is_refused_with_the_reason(string tree, string expected)
    {
        var error = Assert.Throws<ModelLoadException>(() => CompiledModel.Load(Wrap(ModelJson(TwoColumns, Forest(tree)))));
        Assert.Contains(expected, error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("""["PU=1","trip_distance"]""", "unknown feature \"PU=1\"")]
    [InlineData("""["PU_DO=1_x","trip_distance"]""", "unknown feature \"PU_DO=1_x\"")]
    [InlineData("""["PU_DO=1_2","PU_DO=1_2"]""", "appears twice")]
    [InlineData("[]", "features.columns is empty")]
    public void Invalid_feature_spec_is_refused_with_the_reason(string columns, string expected)
    {
        var error = Assert.Throws<ModelLoadException>(() => CompiledModel.Load(Wrap(ModelJson(columns, Linear))));
        Assert.Contains(expected, error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("""{"kind":"linear","intercept":NaN,"weights":[1,2]}""", "not valid JSON")]
    [InlineData("""{"kind":"linear","intercept":1,"weights":[1e999,2]}""", "weights[0]")]
    public void Non_finite_numbers_are_refused(string estimator, string expected)
    {
        var error = Assert.Throws<ModelLoadException>(() => CompiledModel.Load(Wrap(ModelJson(TwoColumns, estimator))));
        Assert.Contains(expected, error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("[]", "must be a JSON object")]
    [InlineData("""{"schema":"streampredict.model/v1","model":{}}""", "no \"sha256\"")]
    [InlineData("""{"schema":"streampredict.model/v1","sha256":"ab","model":{}}""", "64 hexadecimal digits")]
    [InlineData("""{"sha256":"ab","model":{}}""", "no \"schema\"")]
    [InlineData("""{"schema":"streampredict.model/v1","sha256":"ab","model":[]}""", "\"model\" must be an object")]
    [InlineData("""{"schema":"streampredict.model/v1","sha256":"ab" """, "not valid JSON")]
    public void Broken_envelope_is_refused_with_the_reason(string document, string expected)
    {
        var error = Assert.Throws<ModelLoadException>(() => CompiledModel.Load(Encoding.UTF8.GetBytes(document)));
        Assert.Contains(expected, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Missing_required_member_is_refused()
    {
        string noTraining = """{"name":"t","version":"v","features":{"columns":["trip_distance"]},"estimator":{"kind":"linear","intercept":1,"weights":[1]}}""";

        var error = Assert.Throws<ModelLoadException>(() => CompiledModel.Load(Wrap(noTraining)));
        Assert.Contains("training", error.Message, StringComparison.Ordinal);
    }
}
