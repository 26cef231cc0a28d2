using StreamPredict.Model;
using StreamPredict.Model.Artifact;

namespace StreamPredict.IntegrationTests.Web;

/// <summary>Models for the web tests: the course forest, and a linear model whose answers differ from it for every ride.</summary>
internal static class WebModels
{
    public static string CourseForestPath => RepositoryPaths.TestData("course-forest.model.json");

    public static byte[] CourseForest() => File.ReadAllBytes(CourseForestPath);

    /// <summary>duration = 100 + 3·distance: never near the forest's 1..60 minutes, so an answer tells which model made it.</summary>
    public static byte[] Linear(string version = "linear-b") => ModelArtifactWriter.Write(new ModelArtifact
    {
        Name = "linear-web-test",
        Version = version,
        Features = new FeatureSpec { Columns = ["PU_DO=130_205", "trip_distance"] },
        Estimator = new EstimatorSpec { Kind = EstimatorSpec.LinearKind, Intercept = 100, Weights = [0, 3] },
        Training = new TrainingMetadata { Producer = "web-test", Source = "hand-written" },
    });

    /// <summary>A model whose checksum does not match its content.</summary>
    public static byte[] Corrupt()
    {
        var bytes = CourseForest();
        var at = Array.IndexOf(bytes, (byte)'0', 400);
        bytes[at] = (byte)'1';
        return bytes;
    }

    public static CompiledModel Compile(byte[] artifact) => CompiledModel.Load(artifact);
}
