using System.Text;
using System.Text.Json;
using StreamPredict.Model;
using StreamPredict.Model.Artifact;
using static StreamPredict.Tests.Model.ArtifactDocuments;

namespace StreamPredict.Tests.Model;

/// <summary>The hand-written model reader against the serializer it replaced, and its error messages.</summary>
public class ModelArtifactReaderTests
{
    private const string Linear = """{"kind":"linear","intercept":2,"weights":[3,0.5]}""";

    public static TheoryData<string> Artifacts => new()
    {
        ModelTestFiles.CourseForestArtifact,
        "written",
        "categorical",
    };

    [Theory]
    [MemberData(nameof(Artifacts))]
    public void Reads_what_the_serializer_reads(string source)
    {
        byte[] document = source == "written"
            ? ModelArtifactWriter.Write(new ModelArtifact
            {
                Name = "written",
                Version = "run-1",
                Features = new FeatureSpec { Columns = ["PU_DO=1_2", "trip_distance"] },
                Estimator = new EstimatorSpec { Kind = EstimatorSpec.LinearKind, Intercept = 0.1, Weights = [1.0 / 3, -2e-7] },
                Training = new TrainingMetadata
                {
                    Producer = "test", Source = "memory", Rows = 3, TrainRmse = 1.25, ValidationSource = "v", ValidationRows = 2, ValidationRmse = 7.5,
                },
            })
            : source == "categorical"
                ? Wrap(ModelJson(
                    """["PULocationID=1","PULocationID=2","trip_distance"]""",
                    """{"kind":"tree_ensemble","split":"<=","aggregation":"sum","base_score":1,"learning_rate":1,"trees":[{"feature":[-1,-1,-1],"threshold":[0,0,0],"left":[1,-1,-1],"right":[2,-1,-1],"value":[0,1,2],"categories":[[0,1],null,null]},{"feature":[-1],"threshold":[0],"left":[-1],"right":[-1],"value":[3],"categories":null}]}"""))
                : File.ReadAllBytes(source);
        ReadOnlySpan<byte> model = ModelMember(document);

        ModelArtifact expected = JsonSerializer.Deserialize(model, ArtifactJsonContext.Default.ModelArtifact)!;
        ModelArtifact actual = ModelArtifactReader.Read(model);

        // Re-serialised with the same context, every member (names, numbers, arrays, nulls) must come out identical.
        Assert.Equal(
            JsonSerializer.Serialize(expected, ArtifactJsonContext.Default.ModelArtifact),
            JsonSerializer.Serialize(actual, ArtifactJsonContext.Default.ModelArtifact));
    }

    [Fact]
    public void Unknown_members_are_skipped_and_a_repeated_member_keeps_its_last_value()
    {
        string estimator = """{"kind":"linear","intercept":1,"comment":{"nested":[1,{"a":null}]},"weights":[3,0.5],"intercept":2}""";
        string model = ModelJson(TwoColumns, estimator).Replace("\"name\":\"t\"", "\"n\\u0061me\":\"t\",\"extra\":[]", StringComparison.Ordinal);

        CompiledModel compiled = CompiledModel.Load(Wrap(model));

        Assert.Equal(2 + 3 + (0.5 * 4), compiled.Predict(new Ride(130, 205, 4)));
        Assert.Equal("t", compiled.Name);
    }

    [Theory]
    [InlineData("""{"name":"t"}""", "model has no \"version\", \"features\", \"estimator\", \"training\"")]
    [InlineData("""{"name":"t","version":"v","features":{},"estimator":{"kind":"linear"},"training":{"producer":"p","source":"s"}}""", "model.features has no \"columns\"")]
    [InlineData("""{"name":"t","version":"v","features":{"columns":[]},"estimator":{},"training":{"source":"s"}}""", "model.estimator has no \"kind\"")]
    public void Missing_required_members_are_named_with_their_path(string model, string expected)
    {
        var error = Assert.Throws<ModelLoadException>(() => CompiledModel.Load(Wrap(model)));
        Assert.Equal($"the \"model\" member is invalid: {expected}", error.Message);
    }

    public static TheoryData<string, string> WrongTypes => new()
    {
        { ModelJson(TwoColumns, Linear).Replace("\"name\":\"t\"", "\"name\":5", StringComparison.Ordinal), "model.name must be a string, found 5" },
        { ModelJson(TwoColumns, Linear).Replace("\"features\":{", "\"features\":[{", StringComparison.Ordinal).Replace("]},\"estimator", "]}],\"estimator", StringComparison.Ordinal), "model.features must be an object, found an array" },
        { ModelJson("""["PU_DO=130_205",7]""", Linear), "model.features.columns[1] must be a string, found 7" },
        { ModelJson(TwoColumns, """{"kind":"linear","intercept":"2","weights":[3,0.5]}"""), "model.estimator.intercept must be a number, found the string \"2\"" },
        { ModelJson(TwoColumns, """{"kind":"linear","intercept":2,"weights":[3,true]}"""), "model.estimator.weights[1] must be a number, found true" },
        { ModelJson(TwoColumns, """{"kind":"linear","intercept":2,"weights":{"a":1}}"""), "model.estimator.weights must be an array, found an object" },
        { ModelJson(TwoColumns, Forest(Tree(left: "[1,-1.5,-1]"))), "model.estimator.trees[0].left[1] must be a 32-bit integer, found -1.5" },
        { ModelJson(TwoColumns, Forest(Tree(), Tree(feature: "[1,-1,3000000000]"))), "model.estimator.trees[1].feature[2] must be a 32-bit integer, found 3000000000" },
        { ModelJson(TwoColumns, Forest(Tree(right: "null"))), "model.estimator.trees[0].right must be an array, found null" },
        { ModelJson(TwoColumns, Forest(Tree(value: "[0,10,null]"))), "model.estimator.trees[0].value[2] must be a number, found null" },
        { ModelJson(TwoColumns, Forest("[]")), "model.estimator.trees[0] must be an object, found an array" },
        { ModelJson(TwoColumns, Linear).Replace("\"source\":\"hand\"", "\"source\":\"hand\",\"rows\":1.5", StringComparison.Ordinal), "model.training.rows must be an integer, found 1.5" },
    };

    [Theory]
    [MemberData(nameof(WrongTypes))]
    public void A_value_of_the_wrong_type_is_named_with_its_path(string model, string expected)
    {
        var error = Assert.Throws<ModelLoadException>(() => CompiledModel.Load(Wrap(model)));
        Assert.Equal($"the \"model\" member is invalid: {expected}", error.Message);
    }

    public static TheoryData<string, string> Nulls => new()
    {
        { ModelJson(TwoColumns, Linear).Replace("\"name\":\"t\"", "\"name\":null", StringComparison.Ordinal), "the model's \"name\" is empty" },
        { ModelJson("""["PU_DO=130_205",null]""", Linear), "features.columns[1] is null" },
        { ModelJson("null", Linear), "features has no \"columns\"" },
        { ModelJson(TwoColumns, "null"), "the model has no \"estimator\"" },
        { ModelJson(TwoColumns, """{"kind":"linear","intercept":null,"weights":[3,0.5]}"""), "linear estimator has no \"intercept\"" },
        { ModelJson(TwoColumns, """{"kind":"linear","intercept":2,"weights":null}"""), "linear estimator has no \"weights\"" },
        { ModelJson(TwoColumns, Forest("null")), "trees[0] is null" },
    };

    [Theory]
    [MemberData(nameof(Nulls))]
    public void A_null_is_left_to_the_compiler_which_names_what_is_missing(string model, string expected)
    {
        var error = Assert.Throws<ModelLoadException>(() => CompiledModel.Load(Wrap(model)));
        Assert.Contains(expected, error.Message, StringComparison.Ordinal);
    }

    private static ReadOnlySpan<byte> ModelMember(byte[] document)
    {
        var reader = new Utf8JsonReader(document);
        while (reader.Read())
        {
            if (reader.TokenType == JsonTokenType.PropertyName && reader.ValueTextEquals("model"u8) && reader.CurrentDepth == 1)
            {
                reader.Read();
                int start = (int)reader.TokenStartIndex;
                reader.Skip();
                return document.AsSpan(start, (int)reader.BytesConsumed - start);
            }
        }

        throw new InvalidOperationException($"no model member in {Encoding.UTF8.GetString(document)}");
    }
}
