using StreamPredict.Model.Artifact;
using StreamPredict.Model.Formats.Pickle;

namespace StreamPredict.Model.Formats.Sklearn;

/// <summary>
/// A fitted course model, as the course pickles it: a Pipeline of a DictVectorizer and one regressor, or the
/// (DictVectorizer, regressor) tuple of the web-service lessons. Produces the same artifact as
/// src/exporters/export_sklearn.py (the tests compare them).
/// </summary>
internal static class SklearnConverter
{
    public const string SupportedModels =
        "LinearRegression, Ridge, Lasso, ElasticNet, DecisionTreeRegressor, ExtraTreeRegressor, RandomForestRegressor, ExtraTreesRegressor, GradientBoostingRegressor";

    public static (DictVectorizerColumns Columns, PickledEstimator Model) Split(object? root)
    {
        (object? vectorizer, object? model, string path) = root switch
        {
            PickleObject { ClassName: "Pipeline" } pipeline => Steps(PickledEstimator.From(pipeline, "Pipeline")),
            object?[] { Length: 2 } tuple => (tuple[0], tuple[1], "tuple"),
            List<object?> { Count: 2 } list => (list[0], list[1], "list"),
            PickleObject single when SklearnLinear.IsLinear(single) || single.ClassName.EndsWith("Regressor", StringComparison.Ordinal) =>
                throw new ModelLoadException(
                    $"the pickle holds a {single.ClassName} alone; without the DictVectorizer it was trained behind, its columns have no names. Pickle (dv, model) or a Pipeline(dv, model)"),
            _ => throw new ModelLoadException(
                $"the pickle holds {PickleMachine.Describe(root)}; expected a Pipeline(DictVectorizer, regressor) or a (DictVectorizer, regressor) tuple"),
        };

        if (!DictVectorizerColumns.IsDictVectorizer(vectorizer))
        {
            throw new ModelLoadException($"the first step of the {path} is {PickleMachine.Describe(vectorizer)}, not a DictVectorizer");
        }

        return (DictVectorizerColumns.Read(vectorizer, $"{path}[0]"), PickledEstimator.From(model, $"{path}[1]"));
    }

    /// <returns>The artifact, and a one-line description for logs: library version, class, size.</returns>
    public static (ModelArtifact Artifact, string Description) ToArtifact(object? root, ArtifactLabels labels)
    {
        (DictVectorizerColumns columns, PickledEstimator model) = Split(root);
        EstimatorSpec estimator = model.ClassName switch
        {
            "LinearRegression" or "Ridge" or "Lasso" or "ElasticNet" => SklearnLinear.Read(model, columns.Columns.Count),
            "DecisionTreeRegressor" or "ExtraTreeRegressor" => SklearnTrees.SingleTree(model),
            "RandomForestRegressor" or "ExtraTreesRegressor" => SklearnTrees.Forest(model),
            "GradientBoostingRegressor" => SklearnTrees.GradientBoosting(model),
            _ => throw new ModelLoadException($"unsupported model {model.ClassName} at {model.Path}; supported: {SupportedModels}"),
        };

        string trainedWith = labels.TrainedWith ?? model.SklearnVersion ?? columns.SklearnVersion ?? "unknown";
        var artifact = new ModelArtifact
        {
            Name = labels.Name ?? model.ClassName,
            Version = labels.Version,
            Features = new FeatureSpec { Columns = columns.Columns },
            Estimator = estimator,
            Training = new TrainingMetadata
            {
                Producer = $"StreamPredict.Model.Formats (trained with sklearn {trainedWith}, read from its pickle)",
                Source = labels.Source,
            },
        };
        string size = estimator.Trees is { Count: var trees } ? $"{trees} tree{(trees == 1 ? "" : "s")}" : $"{columns.Columns.Count} weights";
        return (artifact, $"scikit-learn {trainedWith} {model.ClassName} pickle ({size})");
    }

    private static (object?, object?, string) Steps(PickledEstimator pipeline)
    {
        List<object?> steps = pipeline.List("steps");
        if (steps.Count != 2)
        {
            throw new ModelLoadException(
                $"the Pipeline has {steps.Count} steps ({string.Join(", ", steps.Select(StepName))}); expected exactly a DictVectorizer then a regressor");
        }

        return (Step(steps[0], 0), Step(steps[1], 1), "Pipeline.steps");
    }

    private static object? Step(object? step, int index) => step is object?[] { Length: 2 } pair
        ? pair[1]
        : throw new ModelLoadException($"Pipeline.steps[{index}] is {PickleMachine.Describe(step)}, not a (name, estimator) pair");

    private static string StepName(object? step) => step is object?[] { Length: 2 } pair ? PickleMachine.Describe(pair[1]) : PickleMachine.Describe(step);
}

/// <summary>What the artifact is called and where it says it came from; see <see cref="ModelReadOptions"/>.</summary>
internal sealed record ArtifactLabels(string? Name, string Version, string Source, string? TrainedWith);
