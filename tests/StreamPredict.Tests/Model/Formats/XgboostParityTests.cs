using StreamPredict.Model;
using StreamPredict.Model.Formats;

namespace StreamPredict.Tests.Model.Formats;

/// <summary>
/// XGBoost boosters fitted at test time with Debian's xgboost 1.7.4 behind a DictVectorizer (sparse as in the course,
/// and dense), read as JSON, UBJSON and from an MLflow folder, against xgboost's own predictions.
/// </summary>
public sealed class XgboostParityTests(GeneratedModels models) : IClassFixture<GeneratedModels>
{
    /// <summary>
    /// XGBoost adds its float32 leaves in float32 and returns a float32; our engine adds them in float64. A float32
    /// near 70 is only good to 7.6e-6, so the bound is 1e-5 or 1e-6 of the prediction, whichever is larger. That the
    /// difference is only this rounding is proven separately: adding our leaves in float32 gives XGBoost's output bit for bit.
    /// </summary>
    private static double Tolerance(double prediction) => Math.Max(1e-5, 1e-6 * Math.Abs(prediction));

    [XgboostTheory]
    [InlineData("xgb", "json")]
    [InlineData("xgb", "ubj")]
    [InlineData("xgb-dense", "json")]
    [InlineData("xgb-dense", "ubj")]
    public void Booster_and_vectorizer_predict_what_xgboost_predicts(string name, string extension)
    {
        string booster = models.Xgboost($"{name}.{extension}");
        string preprocessor = models.Xgboost($"{name}.preprocessor.b");
        var artifact = ModelFormats.XgboostToArtifact(File.ReadAllBytes(booster), File.ReadAllBytes(preprocessor));
        CompiledModel model = CompiledModel.Compile(artifact);
        Ride[] rides = ParityRides.For(artifact);

        double[] expected = PythonModels.Predict(booster, rides, models.Folder, preprocessor);

        Assert.Equal(extension == "json" ? ModelFormat.XgboostJson : ModelFormat.XgboostUbjson, ModelFormats.Detect(File.ReadAllBytes(booster)));
        ParityRides.AssertClose(rides, expected, model, Tolerance);
        for (int i = 0; i < rides.Length; i++)
        {
            Assert.True((float)expected[i] == Float32Walk.Predict(artifact, rides[i]),
                $"{rides[i]}: xgboost {expected[i]:R}, our trees summed in float32 {Float32Walk.Predict(artifact, rides[i]):R}");
        }
    }

    [XgboostFact]
    public void Json_and_ubjson_give_the_same_artifact()
    {
        byte[] vectorizer = File.ReadAllBytes(models.Xgboost("xgb.preprocessor.b"));
        var fromJson = ModelFormats.XgboostToArtifact(File.ReadAllBytes(models.Xgboost("xgb.json")), vectorizer, new ModelReadOptions { Version = "v" });
        var fromUbjson = ModelFormats.XgboostToArtifact(File.ReadAllBytes(models.Xgboost("xgb.ubj")), vectorizer, new ModelReadOptions { Version = "v" });

        Assert.Equal(40, fromJson.Estimator.Trees!.Count);
        ArtifactComparison.AssertSameModel(fromJson, fromUbjson);
    }

    [XgboostFact]
    public async Task An_mlflow_xgboost_folder_with_the_course_preprocessor_beside_it_loads()
    {
        string run = Path.Combine(models.Folder, "mlflow-run", "artifacts");
        string model = Directory.CreateDirectory(Path.Combine(run, "models_mlflow")).FullName;
        Directory.CreateDirectory(Path.Combine(run, "preprocessor"));
        File.Copy(models.Xgboost("xgb.ubj"), Path.Combine(model, "model.xgb"), overwrite: true); // XGBoost 2 writes UBJSON there
        File.Copy(models.Xgboost("xgb.preprocessor.b"), Path.Combine(run, "preprocessor", "preprocessor.b"), overwrite: true);
        File.WriteAllText(Path.Combine(model, "MLmodel"), XgboostMlmodel);

        LoadedModel loaded = await ModelFolder.LoadAsync(ModelFolder.LocalFolder(model));
        Ride[] rides = ParityRides.For(loaded.Artifact, count: 500);

        Assert.Equal(ModelFormat.MlflowFolder, loaded.Source.Format);
        Assert.Equal("b4d3bca8aa8e46a6b8257fe4541b1136", loaded.Model.Version);
        Assert.Equal(["MLmodel", "model.xgb", "../preprocessor/preprocessor.b"], loaded.Source.Files.Select(f => f.Path));
        Assert.Equal(loaded.Source.Files[1].Sha256, loaded.Source.Sha256);
        ParityRides.AssertClose(rides, PythonModels.Predict(models.Xgboost("xgb.json"), rides, models.Folder, models.Xgboost("xgb.preprocessor.b")), loaded.Model, Tolerance);
    }

    [XgboostFact]
    public async Task The_old_binary_format_is_refused_with_how_to_resave_it()
    {
        string model = Directory.CreateDirectory(Path.Combine(models.Folder, "mlflow-binary")).FullName;
        File.Copy(models.Xgboost("xgb.xgb"), Path.Combine(model, "model.xgb"), overwrite: true); // XGBoost 1.7 writes the old binary there
        File.WriteAllText(Path.Combine(model, "MLmodel"), XgboostMlmodel);

        Assert.Equal(ModelFormat.XgboostBinary, ModelFormats.Detect(File.ReadAllBytes(models.Xgboost("xgb.xgb"))));
        var direct = Assert.Throws<ModelLoadException>(() => ModelFormats.XgboostToArtifact(
            File.ReadAllBytes(models.Xgboost("xgb.xgb")), File.ReadAllBytes(models.Xgboost("xgb.preprocessor.b"))));
        var folder = await Assert.ThrowsAsync<ModelLoadException>(() => ModelFolder.LoadAsync(ModelFolder.LocalFolder(model)));
        Assert.Contains("booster.save_model(\"model.json\")", direct.Message, StringComparison.Ordinal);
        Assert.Contains("booster.save_model(\"model.json\")", folder.Message, StringComparison.Ordinal);
    }

    [XgboostFact]
    public void A_booster_without_its_vectorizer_is_refused_naming_what_is_missing()
    {
        var error = Assert.Throws<ModelLoadException>(() => ModelFormats.Load(File.ReadAllBytes(models.Xgboost("xgb.json"))));

        Assert.Contains("DictVectorizer", error.Message, StringComparison.Ordinal);
        Assert.Contains("preprocessor.b", error.Message, StringComparison.Ordinal);
    }

    // What MLflow 2 writes for mlflow.xgboost.log_model(booster, artifact_path="models_mlflow").
    private const string XgboostMlmodel = """
        artifact_path: models_mlflow
        flavors:
          python_function:
            data: model.xgb
            env:
              conda: conda.yaml
              virtualenv: python_env.yaml
            loader_module: mlflow.xgboost
            python_version: 3.9.12
          xgboost:
            code: null
            data: model.xgb
            model_class: xgboost.core.Booster
            model_format: xgb
            xgb_version: 1.7.4
        mlflow_version: 2.1.1
        model_uuid: 0b5a0c3d41b34b3c8d8a2c6f7e1e9f10
        run_id: b4d3bca8aa8e46a6b8257fe4541b1136
        utc_time_created: '2023-01-05 10:11:12.131415'

        """;
}
