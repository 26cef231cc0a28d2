namespace StreamPredict.Model.Formats;

/// <summary>How to label a model that is not our own artifact (our artifact carries its own name and version).</summary>
public sealed record ModelReadOptions
{
    /// <summary>The artifact's name; default: the estimator's class name (e.g. "RandomForestRegressor"), as the exporter names it.</summary>
    public string? Name { get; init; }

    /// <summary>The version (run id); default: the MLflow run id, else the file name without its extension, else "unversioned".</summary>
    public string? Version { get; init; }

    /// <summary>Where the bytes came from (a file name, an s3:// URL), for the artifact's training.source and the default version.</summary>
    public string? SourceName { get; init; }

    /// <summary>For a bare XGBoost model: the pickled DictVectorizer trained with it (the course's preprocessor.b).</summary>
    public ReadOnlyMemory<byte>? DictVectorizerPickle { get; init; }
}
