using System.Security.Cryptography;
using System.Text.Json;
using StreamPredict.Model;
using StreamPredict.Model.Artifact;
using StreamPredict.Model.Formats;

namespace StreamPredict.Tests.Model.Formats;

/// <summary>The course's own artifacts, read from their pickles: the MLflow forest (sklearn 1.0.2) and lin_reg.bin.</summary>
public sealed class CourseModelFormatsTests : IDisposable
{
    private const string CourseRunId = "e1efc53e9bd149078b0c12aeaa6365df";
    private static readonly string CoursePickle = ModelTestFiles.TestData("course-model/model.pkl");
    private static readonly string LinRegPickle = ModelTestFiles.TestData("lin_reg.bin");

    private readonly string _work = Directory.CreateTempSubdirectory("streampredict-course-formats-").FullName;

    public void Dispose() => Directory.Delete(_work, recursive: true);

    [Fact]
    public void The_course_forest_pickle_predicts_what_sklearn_predicts_for_the_course_event()
    {
        LoadedModel loaded = ModelFormats.Load(File.ReadAllBytes(CoursePickle));

        // sklearn 1.2.1 prints 21.294545348333408 for this ride (src/exporters/predict_sklearn.py).
        Assert.Equal(21.294545348333408, loaded.Model.Predict(CourseEventRide()));
        Assert.Equal(ModelFormat.Pickle, loaded.Source.Format);
        Assert.Equal("scikit-learn 1.0.2 RandomForestRegressor pickle (100 trees)", loaded.Source.Description);
    }

    [Fact]
    public void The_course_web_service_lin_reg_predicts_what_sklearn_predicts()
    {
        LoadedModel loaded = ModelFormats.Load(File.ReadAllBytes(LinRegPickle), new ModelReadOptions { SourceName = LinRegPickle });

        Assert.Equal(26.438833551, loaded.Model.Predict(new Ride(10, 50, 40)), 1e-9);
        Assert.Equal("linear", loaded.Model.Kind);
        Assert.Equal("lin_reg", loaded.Model.Version);
        Assert.Equal(13221, loaded.Artifact.Features.Columns.Count);
    }

    [Fact]
    public async Task The_course_mlflow_folder_loads_with_its_run_id_and_the_pickles_checksum()
    {
        LoadedModel loaded = await ModelFolder.LoadAsync(ModelFolder.LocalFolder(ModelTestFiles.CourseModelFolder));

        string pickleSha = Convert.ToHexStringLower(SHA256.HashData(File.ReadAllBytes(CoursePickle)));
        Assert.Equal(CourseRunId, loaded.Model.Version);
        Assert.Equal(ModelFormat.MlflowFolder, loaded.Source.Format);
        Assert.Equal(pickleSha, loaded.Source.Sha256);
        Assert.Equal(["MLmodel", "model.pkl"], loaded.Source.Files.Select(file => file.Path));
        Assert.Equal(436237, loaded.Source.Files[1].Length);
        Assert.StartsWith($"MLflow model, flavour sklearn, run {CourseRunId}: scikit-learn 1.0.2 RandomForestRegressor", loaded.Source.Description, StringComparison.Ordinal);
        Assert.Equal(21.294545348333408, loaded.Model.Predict(CourseEventRide()));
    }

    [Fact]
    public async Task The_course_folder_gives_the_artifact_the_exporter_wrote()
    {
        LoadedModel loaded = await ModelFolder.LoadAsync(ModelFolder.LocalFolder(ModelTestFiles.CourseModelFolder),
            new ModelReadOptions { SourceName = ModelTestFiles.CourseModelFolder });

        ArtifactComparison.AssertSameModel(ModelDocumentReader.Read(File.ReadAllBytes(ModelTestFiles.CourseForestArtifact)), loaded.Artifact);
    }

    /// <summary>
    /// Every ride reaches the same leaves; only the order of the 100 additions may differ, because the course forest
    /// has n_jobs=-1 and sklearn adds the trees' outputs in whatever order its threads finish (1.8e-15 seen).
    /// The generated forests (n_jobs=None) match bit for bit in SklearnPickleParityTests.
    /// </summary>
    [SklearnFact]
    public void The_course_forest_matches_sklearn_on_seeded_rides()
    {
        LoadedModel loaded = ModelFormats.Load(File.ReadAllBytes(CoursePickle));
        Ride[] rides = ParityRides.For(loaded.Artifact);

        ParityRides.AssertClose(rides, PythonModels.Predict(CoursePickle, rides, _work), loaded.Model, tolerance: 1e-12);
    }

    [SklearnFact]
    public void Lin_reg_matches_sklearn_on_seeded_rides_and_the_exporter_artifact()
    {
        LoadedModel loaded = ModelFormats.Load(File.ReadAllBytes(LinRegPickle), new ModelReadOptions { SourceName = LinRegPickle });
        Ride[] rides = ParityRides.For(loaded.Artifact);
        string exported = Path.Combine(_work, "lin_reg.model.json");
        Sklearn.Run(ModelTestFiles.ExportScript, LinRegPickle, exported);

        ParityRides.AssertClose(rides, PythonModels.Predict(LinRegPickle, rides, _work), loaded.Model, tolerance: 1e-9);
        ArtifactComparison.AssertSameModel(ModelDocumentReader.Read(File.ReadAllBytes(exported)), loaded.Artifact);
    }

    private static Ride CourseEventRide()
    {
        using JsonDocument kinesisEvent = JsonDocument.Parse(File.ReadAllText(ModelTestFiles.TestData("course-model/kinesis-event.json")));
        byte[] data = kinesisEvent.RootElement.GetProperty("Records")[0].GetProperty("kinesis").GetProperty("data").GetBytesFromBase64();
        using JsonDocument payload = JsonDocument.Parse(data);
        JsonElement ride = payload.RootElement.GetProperty("ride");
        return new Ride(ride.GetProperty("PULocationID").GetInt32(), ride.GetProperty("DOLocationID").GetInt32(), ride.GetProperty("trip_distance").GetDouble());
    }
}
