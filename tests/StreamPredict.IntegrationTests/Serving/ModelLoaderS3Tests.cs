using StreamPredict.Aws.S3;
using StreamPredict.IntegrationTests.Infrastructure;
using StreamPredict.Model;
using StreamPredict.Model.Formats;
using StreamPredict.Serving.Models;

namespace StreamPredict.IntegrationTests.Serving;

/// <summary>The one loader against a real S3 endpoint: the course's MLflow run as its training logged it.</summary>
[Collection(Emulators.Collection)]
public sealed class ModelLoaderS3Tests(EmulatorFixture emulators)
{
    private readonly CancellationToken _timeout = EmulatorFixture.TestTimeout();

    private async Task<string> UploadCourseRunAsync(string runId)
    {
        var bucket = EmulatorFixture.UniqueName("mlflow");
        using var store = emulators.CreateObjectStore();
        await store.EnsureBucketAsync(bucket, _timeout);
        foreach (var file in new[] { "MLmodel", "model.pkl", "conda.yaml" })
        {
            var body = await File.ReadAllBytesAsync(RepositoryPaths.TestData(Path.Combine("course-model", file)), _timeout);
            await store.PutAsync(bucket, $"1/{runId}/artifacts/model/{file}", body, _timeout);
        }

        return bucket;
    }

    private Task<LoadedModel> LoadAsync(ModelLocation location) =>
        ModelLoader.LoadModelAsync(location, () => new S3ObjectDownloader(emulators.Environment), _timeout);

    [Fact]
    public async Task RUN_ID_with_no_model_json_falls_back_to_the_course_s_MLflow_folder()
    {
        var bucket = await UploadCourseRunAsync("Test123");
        var location = ModelLocation.FromEnvironment(name => name switch { "MODEL_BUCKET" => bucket, "RUN_ID" => "Test123", _ => null });

        var loaded = await LoadAsync(location);

        Assert.Equal(ModelFormat.MlflowFolder, loaded.Source.Format);
        Assert.Equal(21.294545, loaded.Model.Predict(new Ride(130, 205, 3.66)), tolerance: 1e-6);
    }

    [Fact]
    public async Task An_s3_prefix_ending_in_a_slash_is_read_as_a_model_folder()
    {
        var bucket = await UploadCourseRunAsync("prefix");
        var loaded = await LoadAsync(ModelLocation.Parse($"s3://{bucket}/1/prefix/artifacts/model/", "MODEL_LOCATION"));
        Assert.Contains(loaded.Source.Files, file => file.Path == "model.pkl");
    }

    [Fact]
    public async Task A_run_with_neither_model_json_nor_MLmodel_names_the_key_it_looked_for()
    {
        var bucket = EmulatorFixture.UniqueName("mlflow");
        using (var store = emulators.CreateObjectStore())
        {
            await store.EnsureBucketAsync(bucket, _timeout);
        }

        var location = ModelLocation.FromEnvironment(name => name switch { "MODEL_BUCKET" => bucket, "RUN_ID" => "missing", _ => null });
        var error = await Assert.ThrowsAsync<ModelUnavailableException>(() => LoadAsync(location));
        Assert.Contains($"s3://{bucket}/1/missing/artifacts/model/model.json", error.Message, StringComparison.Ordinal);
    }
}
