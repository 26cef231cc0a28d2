namespace StreamPredict.Tests.Model;

/// <summary>Repository-relative paths: tests read the committed copies, never the machine's shared folder.</summary>
internal static class ModelTestFiles
{
    public static string RepoRoot { get; } = RepositoryPaths.Root;

    public static string TestData(string relative) => Path.Combine(RepoRoot, "tests", "StreamPredict.Tests", "TestData", relative);

    public static string CourseModelFolder => TestData("course-model");

    public static string CourseForestArtifact => TestData("course-forest.model.json");

    public static string ExportScript => Path.Combine(RepoRoot, "src", "exporters", "export_sklearn.py");

    public static string PredictScript => Path.Combine(RepoRoot, "src", "exporters", "predict_sklearn.py");

    public static string FitScript => Path.Combine(RepoRoot, "tests", "StreamPredict.Tests", "Model", "fit_sklearn.py");
}
