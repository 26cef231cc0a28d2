using StreamPredict.Model;
using StreamPredict.Model.Artifact;
using StreamPredict.Model.Formats;

namespace StreamPredict.Tests.Model.Formats;

/// <summary>
/// Every sklearn model kind, fitted at test time with Debian's sklearn, read from its pickle in C# and compared with
/// sklearn's own predictions: linear models within 1e-9, trees bit for bit (float32 thresholds, same summation order).
/// </summary>
public sealed class SklearnPickleParityTests(GeneratedModels models) : IClassFixture<GeneratedModels>
{
    public static TheoryData<string, double> Kinds => new()
    {
        { "linear", 1e-9 },
        { "linear-dense", 1e-9 },
        { "ridge", 1e-9 },
        { "lasso", 1e-9 },
        { "elasticnet", 1e-9 },
        { "tree", 0 },
        { "extra-tree", 0 },
        { "forest", 0 },
        { "extra-trees", 0 },
        { "boosting", 0 },
        { "boosting-zero", 0 },
        { "boosting-huber", 0 },
    };

    // Same fitted model, written as newer sklearn/numpy or other pickle protocols write it; sklearn 1.2.1 predicts
    // with the plain twin (it cannot read the newer layouts itself).
    public static TheoryData<string, double> Layouts => new()
    {
        { "linear@protocol2", 1e-9 },
        { "linear@protocol5", 1e-9 },
        { "linear@numpy2", 1e-9 },
        { "linear@numpy2-protocol5", 1e-9 },
        { "forest@protocol2", 0 },
        { "forest@protocol5", 0 },
        { "forest@sk13", 0 },
        { "forest@sk13-numpy2", 0 },
        { "tree@sk13", 0 },
        { "boosting@sk14", 0 },
        { "boosting@protocol2", 0 },
    };

    [SklearnTheory]
    [MemberData(nameof(Kinds))]
    public void Each_kind_predicts_what_sklearn_predicts(string kind, double tolerance)
    {
        string pickle = models.Sklearn(kind);
        LoadedModel loaded = ModelFormats.Load(File.ReadAllBytes(pickle), new ModelReadOptions { SourceName = pickle });
        Ride[] rides = ParityRides.For(loaded.Artifact);

        ParityRides.AssertClose(rides, PythonModels.Predict(pickle, rides, models.Folder), loaded.Model, tolerance);
    }

    [SklearnTheory]
    [MemberData(nameof(Layouts))]
    public void Newer_pickle_layouts_predict_what_sklearn_predicts(string variant, double tolerance)
    {
        LoadedModel loaded = ModelFormats.Load(File.ReadAllBytes(models.Sklearn(variant)));
        Ride[] rides = ParityRides.For(loaded.Artifact, count: 1000);
        string plain = models.Sklearn(variant[..variant.IndexOf('@', StringComparison.Ordinal)]);

        ParityRides.AssertClose(rides, PythonModels.Predict(plain, rides, models.Folder), loaded.Model, tolerance);
    }

    [SklearnTheory]
    [InlineData("linear")]
    [InlineData("linear-dense")]
    [InlineData("ridge")]
    [InlineData("lasso")]
    [InlineData("tree")]
    [InlineData("forest")]
    [InlineData("boosting")]
    [InlineData("boosting-zero")]
    [InlineData("boosting-huber")]
    public void The_artifact_is_the_one_the_python_exporter_writes(string kind)
    {
        string pickle = models.Sklearn(kind);
        string exported = Path.Combine(models.Folder, kind + ".model.json");
        Sklearn.Run(ModelTestFiles.ExportScript, pickle, exported);

        ModelArtifact ours = ModelFormats.ToArtifact(File.ReadAllBytes(pickle), new ModelReadOptions { SourceName = pickle });

        ArtifactComparison.AssertSameModel(ModelDocumentReader.Read(File.ReadAllBytes(exported)), ours);
    }
}
