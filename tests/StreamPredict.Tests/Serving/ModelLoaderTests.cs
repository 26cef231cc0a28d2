using System.Text;
using StreamPredict.Aws.Configuration;
using StreamPredict.Aws.S3;
using StreamPredict.Serving.Models;
using StreamPredict.Tests.Functions;

namespace StreamPredict.Tests.Serving;

public sealed class ModelLoaderTests : IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("streampredict-model-").FullName;

    private static Func<S3ObjectDownloader> NoS3 => () => throw new InvalidOperationException("S3 must not be used when MODEL_LOCATION is set");

    [Fact]
    public async Task A_folder_holding_model_json_is_loaded()
    {
        await File.WriteAllBytesAsync(Path.Combine(_folder, "model.json"), TestModels.LinearArtifact());
        var model = await ModelLoader.LoadAsync(ModelLocation.Parse(_folder, "MODEL_LOCATION"), NoS3, CancellationToken.None);
        Assert.Equal(TestModels.Version, model.Version);
    }

    [Fact]
    public async Task A_missing_local_model_names_MODEL_LOCATION_and_the_path()
    {
        var missing = Path.Combine(_folder, "nope.json");
        var error = await Assert.ThrowsAsync<ModelUnavailableException>(
            () => ModelLoader.LoadAsync(ModelLocation.Parse(missing, "MODEL_LOCATION"), NoS3, CancellationToken.None));
        Assert.Contains("MODEL_LOCATION", error.Message, StringComparison.Ordinal);
        Assert.Contains(missing, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_tampered_model_is_refused_with_the_checksum_named()
    {
        var artifact = Encoding.UTF8.GetString(TestModels.LinearArtifact()).Replace("\"Intercept\":10", "\"Intercept\":11", StringComparison.OrdinalIgnoreCase);
        Assert.NotEqual(Encoding.UTF8.GetString(TestModels.LinearArtifact()), artifact);
        var path = Path.Combine(_folder, "model.json");
        await File.WriteAllTextAsync(path, artifact);

        var error = await Assert.ThrowsAsync<ModelUnavailableException>(
            () => ModelLoader.LoadAsync(ModelLocation.Parse(path, "MODEL_LOCATION"), NoS3, CancellationToken.None));
        Assert.Contains(path, error.Message, StringComparison.Ordinal);
        Assert.Contains("sha256", error.Message, StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public async Task An_unreachable_S3_endpoint_names_the_bucket_and_key()
    {
        var environment = AwsEnvironment.FromEnvironment(name => name switch
        {
            "AWS_REGION" => "us-east-1",
            "AWS_ENDPOINT_URL" => "http://127.0.0.1:9",
            "AWS_ACCESS_KEY_ID" => "test",
            "AWS_SECRET_ACCESS_KEY" => "test",
            _ => null,
        });
        var settings = ModelLocation.Parse("s3://models/1/run/artifacts/model/model.json", "--model");

        var error = await Assert.ThrowsAnyAsync<Exception>(() => ModelLoader.LoadAsync(settings, () => new S3ObjectDownloader(environment), CancellationToken.None));
        Assert.Contains("s3://models/1/run/artifacts/model/model.json", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_course_s_MLflow_folder_is_read_from_its_pickle_and_predicts_what_sklearn_predicts()
    {
        var loaded = await ModelLoader.LoadModelAsync(ModelLocation.Parse(RepositoryPaths.TestData("course-model"), "MODEL_LOCATION"), NoS3, CancellationToken.None);

        Assert.Equal(StreamPredict.Model.Formats.ModelFormat.MlflowFolder, loaded.Source.Format);
        Assert.Contains(loaded.Source.Files, file => file.Path == "model.pkl");
        // sklearn 1.0.2's RandomForestRegressor on the course's ride (PU 130, DO 205, 3.66 miles).
        Assert.Equal(21.294545, loaded.Model.Predict(new StreamPredict.Model.Ride(130, 205, 3.66)), tolerance: 1e-6);
    }

    [Fact]
    public async Task The_MLmodel_file_itself_names_its_folder()
    {
        var model = await ModelLoader.LoadAsync(ModelLocation.Parse(RepositoryPaths.TestData(Path.Combine("course-model", "MLmodel")), "--model"), NoS3, CancellationToken.None);
        Assert.Equal(21.294545, model.Predict(new StreamPredict.Model.Ride(130, 205, 3.66)), tolerance: 1e-6);
    }

    [Fact]
    public async Task A_bare_pickle_is_read_as_the_course_s_web_service_tuple()
    {
        var loaded = await ModelLoader.LoadModelAsync(ModelLocation.Parse(RepositoryPaths.TestData("lin_reg.bin"), "--model"), NoS3, CancellationToken.None);

        Assert.Equal(StreamPredict.Model.Formats.ModelFormat.Pickle, loaded.Source.Format);
        Assert.Equal(64, loaded.Source.Sha256.Length);
        // sklearn 1.0.2's LinearRegression: 26.438833551 for PU 10, DO 50, 40 miles.
        Assert.Equal(26.438833551, loaded.Model.Predict(new StreamPredict.Model.Ride(10, 50, 40)), tolerance: 1e-8);
    }

    [Fact]
    public async Task A_folder_with_no_model_names_what_it_looked_for()
    {
        var error = await Assert.ThrowsAsync<ModelUnavailableException>(
            () => ModelLoader.LoadAsync(ModelLocation.Parse(_folder, "MODEL_LOCATION"), NoS3, CancellationToken.None));
        Assert.Contains("MLmodel", error.Message, StringComparison.Ordinal);
        Assert.Contains(_folder, error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("s3://bucket")]
    [InlineData("s3://bucket/")]
    [InlineData("s3:///key")]
    public void A_malformed_s3_url_is_refused_with_the_option_named(string url)
    {
        var error = Assert.Throws<ModelUnavailableException>(() => ModelLocation.Parse(url, "--model"));
        Assert.Contains("--model", error.Message, StringComparison.Ordinal);
        Assert.Contains("s3://bucket/key", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void An_s3_url_and_a_path_are_told_apart()
    {
        var s3 = ModelLocation.Parse("S3://b/1/run/model.json", "--model");
        Assert.True(s3.IsS3);
        Assert.Equal(("b", "1/run/model.json"), (s3.Bucket, s3.Key));
        var local = ModelLocation.Parse("models/model.json", "--model");
        Assert.False(local.IsS3);
        Assert.Equal("models/model.json", local.ToString());
    }

    public void Dispose() => Directory.Delete(_folder, recursive: true);
}
