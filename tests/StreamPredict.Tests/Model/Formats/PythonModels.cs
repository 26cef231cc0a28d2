using System.Globalization;
using System.Text;
using StreamPredict.Model;

namespace StreamPredict.Tests.Model.Formats;

/// <summary>
/// Runs make_models.py with Debian's python3: fits every model kind at test time and predicts with the library that
/// fitted it. XGBoost tests skip locally without python3-xgboost and fail in CI (CI=true), as the sklearn ones do.
/// </summary>
internal static class PythonModels
{
    public static string Script => Path.Combine(ModelTestFiles.RepoRoot, "tests", "StreamPredict.Tests", "Model", "Formats", "make_models.py");

    public static bool XgboostAvailable { get; } = Sklearn.IsAvailable && Sklearn.Probe("xgboost");

    public static string? XgboostSkipReason => Sklearn.SkipUnlessCi(XgboostAvailable, "xgboost", "python3-xgboost");

    public static string Run(params string[] arguments) => Sklearn.Run(Script, arguments);

    /// <summary>The library's own predictions for <paramref name="rides"/>.</summary>
    public static double[] Predict(string model, Ride[] rides, string workFolder, string? preprocessor = null)
    {
        string csv = Path.Combine(workFolder, $"rides-{Guid.NewGuid():N}.csv");
        var text = new StringBuilder("PULocationID,DOLocationID,trip_distance\n");
        foreach (Ride ride in rides)
        {
            text.Append(CultureInfo.InvariantCulture, $"{ride.PickupLocationId},{ride.DropoffLocationId},{ride.TripDistance:R}\n");
        }

        File.WriteAllText(csv, text.ToString());
        string[] arguments = preprocessor is null ? ["predict", model, csv] : ["predict", model, csv, preprocessor];
        double[] predictions = Run(arguments)
            .Split('\n', StringSplitOptions.RemoveEmptyEntries)
            .Select(line => double.Parse(line, CultureInfo.InvariantCulture))
            .ToArray();
        Assert.Equal(rides.Length, predictions.Length);
        return predictions;
    }
}

/// <summary>A fact that needs XGBoost under /usr/bin/python3; see <see cref="PythonModels.XgboostSkipReason"/>.</summary>
[AttributeUsage(AttributeTargets.Method)]
internal sealed class XgboostFactAttribute : FactAttribute
{
    public XgboostFactAttribute() => Skip = PythonModels.XgboostSkipReason;
}

/// <summary>A theory that needs XGBoost under /usr/bin/python3.</summary>
[AttributeUsage(AttributeTargets.Method)]
internal sealed class XgboostTheoryAttribute : TheoryAttribute
{
    public XgboostTheoryAttribute() => Skip = PythonModels.XgboostSkipReason;
}

/// <summary>The test classes that share one <see cref="GeneratedModels"/>: fitted once per test run, not per class.</summary>
[CollectionDefinition(Name)]
public sealed class GeneratedModelsGroup : ICollectionFixture<GeneratedModels>
{
    public const string Name = "models fitted by make_models.py";
}

/// <summary>The models make_models.py fits, made on first use (a skipped test fits nothing), in a temporary folder.</summary>
public sealed class GeneratedModels : IDisposable
{
    private readonly Lazy<string> _sklearn;
    private readonly Lazy<string> _xgboost;

    public GeneratedModels()
    {
        Folder = Directory.CreateTempSubdirectory("streampredict-formats-").FullName;
        _sklearn = new Lazy<string>(() => Fit("fit-sklearn"));
        _xgboost = new Lazy<string>(() => Fit("fit-xgboost"));
    }

    public string Folder { get; }

    /// <summary>A fitted sklearn pickle, e.g. "forest" or "forest@sk13".</summary>
    public string Sklearn(string name) => Path.Combine(_sklearn.Value, name + ".pkl");

    /// <summary>An XGBoost file of make_models.py's fit-xgboost, e.g. "xgb.json" or "xgb.preprocessor.b".</summary>
    public string Xgboost(string file) => Path.Combine(_xgboost.Value, file);

    public void Dispose() => Directory.Delete(Folder, recursive: true);

    private string Fit(string command)
    {
        string output = Path.Combine(Folder, command);
        PythonModels.Run(command, output);
        return output;
    }
}
