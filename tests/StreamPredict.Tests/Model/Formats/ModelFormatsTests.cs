using System.Text;
using System.Text.Json;
using StreamPredict.Model;
using StreamPredict.Model.Formats;

namespace StreamPredict.Tests.Model.Formats;

/// <summary>The public entry points: format detection, our own artifact, folders (local and S3-like), and refusals.</summary>
public class ModelFormatsTests
{
    private static readonly byte[] CourseArtifact = File.ReadAllBytes(ModelTestFiles.CourseForestArtifact);

    public static TheoryData<byte[], ModelFormat> Samples => new()
    {
        { CourseArtifact, ModelFormat.StreamPredictArtifact },
        { File.ReadAllBytes(ModelTestFiles.TestData("lin_reg.bin")), ModelFormat.Pickle },
        { "\n{\"learner\": {}, \"version\": [1, 7, 4]}"u8.ToArray(), ModelFormat.XgboostJson },
        { [(byte)'{', (byte)'L', 0, 0, 0, 0, 0, 0, 0, 7, .. "learner"u8], ModelFormat.XgboostUbjson },
        { [.. "binf"u8, 0, 0, 0, 63], ModelFormat.XgboostBinary },
        { File.ReadAllBytes(ModelTestFiles.TestData("course-model/MLmodel")), ModelFormat.MlflowMlmodel },
        { [0x50, 0x4B, 0x03, 0x04, 0x14], ModelFormat.Unknown },
        { "{\"something\": 1}"u8.ToArray(), ModelFormat.Unknown },
        { [], ModelFormat.Unknown },
    };

    [Theory]
    [MemberData(nameof(Samples))]
    public void Detect_tells_the_format_from_the_bytes(byte[] data, ModelFormat expected)
    {
        Assert.Equal(expected, ModelFormats.Detect(data));
    }

    [Fact]
    public void Our_artifact_loads_as_before_and_keeps_its_own_checksum()
    {
        LoadedModel loaded = ModelFormats.Load(CourseArtifact, new ModelReadOptions { SourceName = "course-forest.model.json", Version = "ignored" });

        using JsonDocument document = JsonDocument.Parse(CourseArtifact);
        Assert.Equal(document.RootElement.GetProperty("sha256").GetString(), loaded.Source.Sha256);
        Assert.Equal(ModelFormat.StreamPredictArtifact, loaded.Source.Format);
        Assert.Equal("e1efc53e9bd149078b0c12aeaa6365df", loaded.Source.Version);
        Assert.Equal(CompiledModel.Load(CourseArtifact).Predict(new Ride(130, 205, 3.66)), loaded.Model.Predict(new Ride(130, 205, 3.66)));
    }

    [Fact]
    public void Our_artifact_with_a_bad_checksum_is_still_refused()
    {
        byte[] edited = Encoding.UTF8.GetBytes(Encoding.UTF8.GetString(CourseArtifact).Replace("\"RandomForestRegressor\"", "\"RandomForestRegressoR\"", StringComparison.Ordinal));

        var error = Assert.Throws<ModelLoadException>(() => ModelFormats.Load(edited));

        Assert.Contains("checksum mismatch", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_folder_holding_only_our_model_json_loads_it()
    {
        LoadedModel loaded = await ModelFolder.LoadAsync(InMemory(new() { ["model.json"] = CourseArtifact }));

        Assert.Equal(ModelFormat.StreamPredictArtifact, loaded.Source.Format);
        Assert.Equal(["model.json"], loaded.Source.Files.Select(file => file.Path));
    }

    [Fact]
    public async Task An_empty_folder_is_refused_naming_both_files_it_looked_for()
    {
        var error = await Assert.ThrowsAsync<ModelLoadException>(() => ModelFolder.LoadAsync(InMemory([])));

        Assert.Contains("neither an MLmodel file (an MLflow model) nor a model.json", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_s3_like_prefix_serves_the_course_mlflow_model_through_the_same_reader()
    {
        const string Prefix = "1/e1efc53e9bd149078b0c12aeaa6365df/artifacts/model";
        var bucket = new Dictionary<string, byte[]>
        {
            [$"{Prefix}/MLmodel"] = File.ReadAllBytes(ModelTestFiles.TestData("course-model/MLmodel")),
            [$"{Prefix}/model.pkl"] = File.ReadAllBytes(ModelTestFiles.TestData("course-model/model.pkl")),
        };
        var requested = new List<string>();
        ModelFileReader s3 = (relative, _) =>
        {
            string key = ModelFolder.Combine(Prefix, relative);
            requested.Add(key);
            return ValueTask.FromResult(bucket.GetValueOrDefault(key));
        };

        LoadedModel loaded = await ModelFolder.LoadAsync(s3, new ModelReadOptions { SourceName = $"s3://models/{Prefix}" });

        Assert.Equal([$"{Prefix}/MLmodel", $"{Prefix}/model.pkl"], requested);
        Assert.Equal(21.294545348333408, loaded.Model.Predict(new Ride(130, 205, 3.66)));
        Assert.Equal("MLflow model model (run e1efc53e9bd149078b0c12aeaa6365df)", loaded.Artifact.Training.Source);
    }

    [Theory]
    [InlineData("1/run/artifacts/model", "../preprocessor/preprocessor.b", "1/run/artifacts/preprocessor/preprocessor.b")]
    [InlineData("1/run/artifacts/model/", "./model.pkl", "1/run/artifacts/model/model.pkl")]
    [InlineData("", "MLmodel", "MLmodel")]
    public void Combine_resolves_relative_paths_against_a_key_prefix(string folder, string relative, string expected)
    {
        Assert.Equal(expected, ModelFolder.Combine(folder, relative));
    }

    [Fact]
    public void Combine_refuses_to_climb_above_the_prefix()
    {
        Assert.Throws<ModelLoadException>(() => ModelFolder.Combine("model", "../../secret"));
    }

    [Fact]
    public void Location_ids_as_separate_features_are_refused_by_name()
    {
        byte[] vectorizer = PickleWriter.DictVectorizer(["DOLocationID=205", "PULocationID=130", "PU_DO=1_2", "trip_distance"]);
        const string Booster = """{"learner":{"learner_model_param":{"base_score":"5E-1","num_feature":"4"},"objective":{"name":"reg:squarederror"},"gradient_booster":{"name":"gbtree","model":{"trees":[]}}}}""";

        var error = Assert.Throws<ModelLoadException>(() => ModelFormats.XgboostToArtifact(Encoding.UTF8.GetBytes(Booster), vectorizer));

        Assert.Contains("features this model format cannot express: 'DOLocationID=205', 'PULocationID=130'", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_vectorizer_pickle_alone_is_refused_with_what_it_is_for()
    {
        var error = Assert.Throws<ModelLoadException>(() => ModelFormats.Load(PickleWriter.DictVectorizer(["trip_distance"])));

        Assert.Contains("a DictVectorizer alone (like the course's preprocessor.b)", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_regressor_pickled_without_its_vectorizer_is_refused_with_what_to_pickle()
    {
        byte[] pickle = PickleWriter.Protocol(4).Global("sklearn.linear_model._base", "LinearRegression").Op(')').Op(0x81)
            .Op('}').Op('b').Stop().ToArray();

        var error = Assert.Throws<ModelLoadException>(() => ModelFormats.Load(pickle));

        Assert.Contains("holds a LinearRegression alone", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(new byte[] { 0x50, 0x4B, 0x03, 0x04 }, "a zip archive")]
    [InlineData(new byte[] { 0x78, 0x9C, 0x01 }, "zlib-compressed data")]
    [InlineData(new byte[] { (byte)'(', (byte)'d', (byte)'p', (byte)'0', (byte)'\n', (byte)'.' }, "a protocol 0 or 1 pickle")]
    [InlineData(new byte[] { 0x01, 0x02, 0x03 }, "it starts with the bytes 010203")]
    public void Unknown_bytes_are_described(byte[] data, string expected)
    {
        var error = Assert.Throws<ModelLoadException>(() => ModelFormats.Load(data));

        Assert.Contains(expected, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void An_mlmodel_file_given_as_the_model_says_to_give_its_folder()
    {
        var error = Assert.Throws<ModelLoadException>(() => ModelFormats.Load(File.ReadAllBytes(ModelTestFiles.TestData("course-model/MLmodel"))));

        Assert.Contains("give the folder it is in", error.Message, StringComparison.Ordinal);
    }

    private static ModelFileReader InMemory(Dictionary<string, byte[]> files) =>
        (relative, _) => ValueTask.FromResult(files.GetValueOrDefault(relative));
}
