using StreamPredict.Model;
using StreamPredict.Model.Artifact;
using static StreamPredict.Tests.Model.ArtifactDocuments;

namespace StreamPredict.Tests.Model;

/// <summary>
/// Zone columns ("PULocationID=…", "DOLocationID=…") and categorical splits over them: what the gradient-boosted trees
/// trained with ML.NET need, read, checked and predicted by hand-written artifacts.
/// </summary>
public sealed class CategoricalSplitTests
{
    /// <summary>0: PU 130, 1: PU 74, 2: DO 205, 3: DO 75, 4: PU_DO 130_205, 5: distance.</summary>
    private const string ZoneColumns =
        """["PULocationID=130","PULocationID=74","DOLocationID=205","DOLocationID=75","PU_DO=130_205","trip_distance"]""";

    /// <summary>
    /// Root: pickup zone in {130, 74}? right → node 2, else left → leaf 1 (value 1).
    /// Node 2: dropoff zone in {75}? right → leaf 4 (value 4), else → node 3: distance &lt;= 2.5 → leaf 5 (10), else leaf 6 (20).
    /// </summary>
    private static string ZoneTree(string categories = "[[0,1],null,[3],null,null,null,null]", string feature = "[-1,-1,-1,5,-1,-1,-1]") =>
        $$"""{"feature":{{feature}},"threshold":[0,0,0,2.5,0,0,0],"left":[1,-1,3,5,-1,-1,-1],"right":[2,-1,4,6,-1,-1,-1],"value":[0,1,0,0,4,10,20],"categories":{{categories}}}""";

    private static string Boosted(params string[] trees) =>
        $$"""{"kind":"tree_ensemble","split":"<=","aggregation":"sum","base_score":0.5,"learning_rate":1,"trees":[{{string.Join(",", trees)}}]}""";

    private static CompiledModel Load(string estimator, string columns = ZoneColumns) => CompiledModel.Load(Wrap(ModelJson(columns, estimator)));

    [Theory]
    [InlineData(1, 205, 3.0, 0.5 + 1)] // pickup 1 has no column, so it is in no set: left
    [InlineData(130, 75, 3.0, 0.5 + 4)]
    [InlineData(74, 75, 9.0, 0.5 + 4)]
    [InlineData(74, 205, 2.5, 0.5 + 10)]
    [InlineData(130, 1, 2.6, 0.5 + 20)] // dropoff 1 has no column: not in {75}
    public void Categorical_splits_send_a_ride_right_when_its_zone_is_in_the_set(int pickup, int dropoff, double distance, double expected)
    {
        Assert.Equal(expected, Load(Boosted(ZoneTree())).Predict(new Ride(pickup, dropoff, distance)));
    }

    [Fact]
    public void A_numeric_split_on_a_zone_column_reads_it_as_one_hot()
    {
        // Left when PULocationID=74 is 0; leaves 1 and 2.
        string tree = """{"feature":[1,-1,-1],"threshold":[0.5,0,0],"left":[1,-1,-1],"right":[2,-1,-1],"value":[0,1,2]}""";
        CompiledModel model = Load(Boosted(tree));

        Assert.Equal(0.5 + 2, model.Predict(new Ride(74, 1, 1)));
        Assert.Equal(0.5 + 1, model.Predict(new Ride(130, 74, 1)));
    }

    [Fact]
    public void A_linear_model_adds_the_pair_and_both_zone_weights()
    {
        CompiledModel model = Load("""{"kind":"linear","intercept":1,"weights":[10,20,100,200,1000,2]}""");

        Assert.Equal(1 + 10 + 100 + 1000 + (2 * 3), model.Predict(new Ride(130, 205, 3)));
        Assert.Equal(1 + 20 + 200 + (2 * 3), model.Predict(new Ride(74, 75, 3)));
        Assert.Equal(1 + (2 * 3), model.Predict(new Ride(5, 6, 3)));
    }

    [Fact]
    public void Ids_outside_the_zone_tables_fall_in_no_set_and_no_column()
    {
        CompiledModel model = Load(Boosted(ZoneTree()));

        Assert.Equal(0.5 + 1, model.Predict(new Ride(int.MaxValue, 75, 3)));
        Assert.Equal(0.5 + 20, model.Predict(new Ride(130, -7, 3)));
    }

    [Fact]
    public void The_writer_round_trips_categories_and_omits_them_for_numeric_trees()
    {
        var artifact = new ModelArtifact
        {
            Name = "zones",
            Version = "run-1",
            Features = new FeatureSpec { Columns = ["PULocationID=130", "DOLocationID=75", "trip_distance"] },
            Estimator = new EstimatorSpec
            {
                Kind = EstimatorSpec.TreeEnsembleKind, Split = "<=", Aggregation = "sum", BaseScore = 0, LearningRate = 1,
                Trees =
                [
                    new TreeSpec { Feature = [-1, -1, -1], Threshold = [0, 0, 0], Left = [1, -1, -1], Right = [2, -1, -1], Value = [0, 1, 2], Categories = [[1], null, null] },
                    new TreeSpec { Feature = [2, -1, -1], Threshold = [5, 0, 0], Left = [1, -1, -1], Right = [2, -1, -1], Value = [0, 10, 20] },
                ],
            },
            Training = new TrainingMetadata { Producer = "test", Source = "memory" },
        };

        byte[] file = ModelArtifactWriter.Write(artifact);
        CompiledModel model = CompiledModel.Load(file);

        Assert.Equal(2 + 10, model.Predict(new Ride(130, 75, 1)));
        Assert.Equal(1 + 20, model.Predict(new Ride(130, 76, 6)));
        Assert.Equal(1, System.Text.RegularExpressions.Regex.Count(System.Text.Encoding.UTF8.GetString(file), "\"categories\""));
    }

    public static TheoryData<string, string> InvalidCategoricalTrees => new()
    {
        { ZoneTree(categories: "[[0,2],null,[3],null,null,null,null]"), "mixes pickup and dropoff zone columns" },
        { ZoneTree(categories: "[[0,4],null,[3],null,null,null,null]"), "column 4 as a category" },
        { ZoneTree(categories: "[[0,5],null,[3],null,null,null,null]"), "column 5 as a category" },
        { ZoneTree(categories: "[[0,9],null,[3],null,null,null,null]"), "column 9 as a category" },
        { ZoneTree(categories: "[[0,0],null,[3],null,null,null,null]"), "lists column 0 twice" },
        { ZoneTree(categories: "[[],null,[3],null,null,null,null]"), "empty categories list" },
        { ZoneTree(categories: "[[0],[1],[3],null,null,null,null]"), "leaf 1 has categories" },
        { ZoneTree(categories: "[[0],null,[3]]"), "3 categories entries for 7 nodes" },
        { ZoneTree(feature: "[0,-1,-1,5,-1,-1,-1]"), "its feature is 0; it must be -1" },
        { ZoneTree(categories: "[null,null,[3],null,null,null,null]"), "splits on feature -1" },
    };

    [Theory]
    [MemberData(nameof(InvalidCategoricalTrees))]
    public void Invalid_categorical_split_is_refused_with_the_reason(string tree, string expected)
    {
        var error = Assert.Throws<ModelLoadException>(() => Load(Boosted(tree)));
        Assert.Contains(expected, error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("""[[0,"1"],null,null,null,null,null,null]""", "categories[0][1] must be a 32-bit integer")]
    [InlineData("""[7,null,null,null,null,null,null]""", "categories[0] must be null or an array")]
    public void Malformed_categories_are_refused_by_the_reader(string categories, string expected)
    {
        var error = Assert.Throws<ModelLoadException>(() => Load(Boosted(ZoneTree(categories: categories))));
        Assert.Contains(expected, error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("""["PULocationID=0","trip_distance"]""", "zone 0, outside the TLC zones 1..265")]
    [InlineData("""["DOLocationID=266","trip_distance"]""", "zone 266, outside")]
    [InlineData("""["PULocationID=7","PULocationID=7"]""", "zone column \"PULocationID=7\" appears twice")]
    [InlineData("""["PULocationID=x","trip_distance"]""", "unknown feature \"PULocationID=x\"")]
    public void Invalid_zone_columns_are_refused(string columns, string expected)
    {
        var error = Assert.Throws<ModelLoadException>(() => Load("""{"kind":"linear","intercept":1,"weights":[1,1]}""", columns));
        Assert.Contains(expected, error.Message, StringComparison.Ordinal);
    }
}
