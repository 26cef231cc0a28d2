namespace StreamPredict.Model.Artifact;

/// <summary>
/// The "model" member of a streampredict.model/v1 document: everything the checksum covers.
/// See notes/model.md for the field-by-field format.
/// </summary>
public sealed class ModelArtifact
{
    public required string Name { get; init; }

    /// <summary>The run id the model was trained or exported under.</summary>
    public required string Version { get; init; }

    public required FeatureSpec Features { get; init; }

    public required EstimatorSpec Estimator { get; init; }

    public required TrainingMetadata Training { get; init; }
}

/// <summary>
/// The model's input columns in order, named as sklearn's DictVectorizer names them:
/// "PU_DO={pu}_{do}" is a one-hot column (1 for that pickup/dropoff pair, else 0; an unseen pair sets none),
/// "PULocationID={pu}" and "DOLocationID={do}" are one-hot columns of the pickup and of the dropoff zone alone,
/// "trip_distance" is the numeric distance in miles.
/// </summary>
public sealed class FeatureSpec
{
    public required IReadOnlyList<string> Columns { get; init; }
}

/// <summary>Either a linear model or a tree ensemble, told apart by <see cref="Kind"/>.</summary>
public sealed class EstimatorSpec
{
    public const string LinearKind = "linear";
    public const string TreeEnsembleKind = "tree_ensemble";
    public const string LessOrEqualSplit = "<=";
    public const string MeanAggregation = "mean";
    public const string SumAggregation = "sum";

    /// <summary>"linear" or "tree_ensemble".</summary>
    public required string Kind { get; init; }

    /// <summary>Linear: the bias term.</summary>
    public double? Intercept { get; init; }

    /// <summary>Linear: one weight per column, in column order.</summary>
    public IReadOnlyList<double>? Weights { get; init; }

    /// <summary>Trees: the split rule; only "&lt;=" (go left when x &lt;= threshold, x cast to float32 as sklearn does).</summary>
    public string? Split { get; init; }

    /// <summary>Trees: "mean" (random forest, decision tree) or "sum" (boosting: base_score + learning_rate * sum).</summary>
    public string? Aggregation { get; init; }

    /// <summary>Trees with "sum": the starting value (sklearn's init estimator constant).</summary>
    public double? BaseScore { get; init; }

    /// <summary>Trees with "sum": the factor applied to every tree's output.</summary>
    public double? LearningRate { get; init; }

    public IReadOnlyList<TreeSpec>? Trees { get; init; }
}

/// <summary>
/// One tree as parallel node arrays, root at index 0. A leaf has left = right = -1 and its output in value;
/// an internal node sends x[feature] &lt;= threshold to left, otherwise to right, unless it is a categorical split.
/// </summary>
public sealed class TreeSpec
{
    public required IReadOnlyList<int> Feature { get; init; }
    public required IReadOnlyList<double> Threshold { get; init; }
    public required IReadOnlyList<int> Left { get; init; }
    public required IReadOnlyList<int> Right { get; init; }
    public required IReadOnlyList<double> Value { get; init; }

    /// <summary>
    /// Optional, parallel to the nodes: null for a leaf or a numeric split; for a categorical split, the zone columns
    /// ("PULocationID=…" only, or "DOLocationID=…" only) that send a ride right when it switches one of them on. Every
    /// other ride goes left, a ride whose zone has no column included. A categorical split has feature -1.
    /// </summary>
    public IReadOnlyList<IReadOnlyList<int>?>? Categories { get; init; }
}

/// <summary>Where the model came from and how well it did.</summary>
public sealed class TrainingMetadata
{
    /// <summary>What produced the artifact, e.g. "streampredict-trainer" or "export_sklearn.py (sklearn 1.0.2 pickle)".</summary>
    public required string Producer { get; init; }

    /// <summary>The training data (file name or run).</summary>
    public required string Source { get; init; }

    /// <summary>Training rows after filtering; null when the producer does not know (exported models).</summary>
    public long? Rows { get; init; }

    public double? TrainRmse { get; init; }

    public string? ValidationSource { get; init; }

    public long? ValidationRows { get; init; }

    public double? ValidationRmse { get; init; }
}
