using System.Text;
using StreamPredict.Aws.Configuration;
using StreamPredict.Aws.S3;
using StreamPredict.Function.Configuration;

namespace StreamPredict.Tests.Functions;

public sealed class ModelLoaderTests : IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("streampredict-model-").FullName;

    private static Func<S3ObjectDownloader> NoS3 => () => throw new InvalidOperationException("S3 must not be used when MODEL_LOCATION is set");

    [Fact]
    public async Task A_folder_holding_model_json_is_loaded()
    {
        await File.WriteAllBytesAsync(Path.Combine(_folder, "model.json"), TestModels.LinearArtifact());
        var model = await ModelLoader.LoadAsync(new FunctionSettings { ModelLocation = _folder }, NoS3, CancellationToken.None);
        Assert.Equal(TestModels.Version, model.Version);
    }

    [Fact]
    public async Task A_missing_local_model_names_MODEL_LOCATION_and_the_path()
    {
        var missing = Path.Combine(_folder, "nope.json");
        var error = await Assert.ThrowsAsync<FunctionConfigurationException>(
            () => ModelLoader.LoadAsync(new FunctionSettings { ModelLocation = missing }, NoS3, CancellationToken.None));
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

        var error = await Assert.ThrowsAsync<FunctionConfigurationException>(
            () => ModelLoader.LoadAsync(new FunctionSettings { ModelLocation = path }, NoS3, CancellationToken.None));
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
        var settings = new FunctionSettings { ModelBucket = "models", ModelKey = "1/run/artifacts/model/model.json" };

        var error = await Assert.ThrowsAnyAsync<Exception>(() => ModelLoader.LoadAsync(settings, () => new S3ObjectDownloader(environment), CancellationToken.None));
        Assert.Contains("s3://models/1/run/artifacts/model/model.json", error.Message, StringComparison.Ordinal);
    }

    public void Dispose() => Directory.Delete(_folder, recursive: true);
}
