using System.Security.Cryptography;
using StreamPredict.Model.Artifact;
using StreamPredict.Model.Formats.Pickle;
using StreamPredict.Model.Formats.Sklearn;
using StreamPredict.Model.Formats.Xgboost;

namespace StreamPredict.Model.Formats;

/// <summary>
/// Reads a model from one file's bytes, whatever its format: our artifact, a scikit-learn pickle, or an XGBoost
/// JSON/UBJSON model with its DictVectorizer. For an MLflow model folder, see <see cref="ModelFolder"/>.
/// Every refusal is a <see cref="ModelLoadException"/> that says what is wrong.
/// </summary>
public static class ModelFormats
{
    /// <summary>The largest model file read (256 MiB).</summary>
    public const int MaxModelBytes = PickleMachine.MaxBytes;

    /// <summary>Tells the format from the bytes alone (the first bytes, or the top-level JSON keys).</summary>
    public static ModelFormat Detect(ReadOnlySpan<byte> data) => FormatDetector.Detect(data);

    /// <summary>The compiled model, its artifact and its provenance.</summary>
    public static LoadedModel Load(ReadOnlyMemory<byte> data, ModelReadOptions? options = null) =>
        Load(data, options ?? new ModelReadOptions(), sha256: null);

    /// <param name="sha256">The data's SHA-256 when the caller has already computed it (a model folder hashes every file it reads).</param>
    internal static LoadedModel Load(ReadOnlyMemory<byte> data, ModelReadOptions options, string? sha256)
    {
        (ModelArtifact artifact, ModelSource source) = Read(data, options, runId: null, trainedWith: null, sha256);
        return new LoadedModel(CompiledModel.Compile(artifact), artifact, source);
    }

    /// <summary>The artifact the bytes amount to: what export_sklearn.py would write for the same model.</summary>
    public static ModelArtifact ToArtifact(ReadOnlyMemory<byte> data, ModelReadOptions? options = null) =>
        Read(data, options ?? new ModelReadOptions(), runId: null, trainedWith: null).Artifact;

    /// <summary>An XGBoost booster (JSON or UBJSON) and the pickled DictVectorizer that made its columns, as one artifact.</summary>
    public static ModelArtifact XgboostToArtifact(ReadOnlyMemory<byte> booster, ReadOnlyMemory<byte> dictVectorizerPickle, ModelReadOptions? options = null) =>
        ToArtifact(booster, (options ?? new ModelReadOptions()) with { DictVectorizerPickle = dictVectorizerPickle });

    /// <param name="sha256">The data's SHA-256 when the caller has already computed it (a model folder hashes every file it reads).</param>
    internal static (ModelArtifact Artifact, ModelSource Source) Read(
        ReadOnlyMemory<byte> data, ModelReadOptions options, string? runId, string? trainedWith, string? sha256 = null)
    {
        if (data.Length > MaxModelBytes)
        {
            throw new ModelLoadException($"the model is {data.Length} bytes, over the {MaxModelBytes / (1024 * 1024)} MiB limit");
        }

        ModelFormat format = Detect(data.Span);
        sha256 ??= Convert.ToHexStringLower(SHA256.HashData(data.Span));
        var labels = new ArtifactLabels(options.Name, VersionFor(options, runId), SourceFor(options, format, runId), trainedWith);
        switch (format)
        {
            case ModelFormat.StreamPredictArtifact:
                ModelArtifact artifact = ModelDocumentReader.Read(data.Span);
                return (artifact, new ModelSource(format, ArtifactChecksum.Read(data.Span), artifact.Version,
                    $"{ModelDocument.Schema} artifact", [File(options, data.Length, sha256)]));
            case ModelFormat.Pickle:
                object? root = PickleMachine.Load(data);
                if (DictVectorizerColumns.IsDictVectorizer(root))
                {
                    throw new ModelLoadException(
                        "the pickle holds a DictVectorizer alone (like the course's preprocessor.b); it is read together with the XGBoost model it was trained for");
                }

                (ModelArtifact fromPickle, string description) = SklearnConverter.ToArtifact(root, labels);
                return (fromPickle, new ModelSource(format, sha256, fromPickle.Version, description, [File(options, data.Length, sha256)]));
            case ModelFormat.XgboostJson or ModelFormat.XgboostUbjson:
                ReadOnlyMemory<byte> vectorizer = options.DictVectorizerPickle ?? throw new ModelLoadException(
                    "an XGBoost model alone has no column names: give the pickled DictVectorizer it was trained with (the course logs it as preprocessor/preprocessor.b)");
                XgboostBooster booster = XgboostBooster.Read(format == ModelFormat.XgboostUbjson ? UbjsonTranscoder.ToJson(data) : data);
                DictVectorizerColumns columns = DictVectorizerColumns.Read(PickleMachine.Load(vectorizer), "the DictVectorizer pickle");
                ModelArtifact fromXgboost = new()
                {
                    Name = options.Name ?? "XGBoostRegressor",
                    Version = labels.Version,
                    Features = new FeatureSpec { Columns = columns.Columns },
                    Estimator = XgboostTrees.ToSpec(booster, columns),
                    Training = new TrainingMetadata
                    {
                        Producer = $"StreamPredict.Model.Formats (XGBoost {trainedWith ?? booster.Version} {booster.Objective}, read from its {(format == ModelFormat.XgboostJson ? "JSON" : "UBJSON")} model)",
                        Source = labels.Source,
                    },
                };
                return (fromXgboost, new ModelSource(format, sha256, fromXgboost.Version,
                    $"XGBoost {booster.Version} gbtree model ({booster.Trees.Count} trees) with a DictVectorizer of {columns.Columns.Count} columns",
                    [File(options, data.Length, sha256)]));
            case ModelFormat.XgboostBinary:
                throw new ModelLoadException(
                    "this is XGBoost's old binary model format, which is not read here; load it with xgboost in Python and re-save it as JSON: booster.save_model(\"model.json\")");
            case ModelFormat.MlflowMlmodel:
                throw new ModelLoadException("this is an MLflow MLmodel file; give the folder it is in (the model is the folder)");
            default:
                throw new ModelLoadException($"not a model format this reader knows: {FormatDetector.DescribeUnknown(data.Span)}");
        }
    }

    private static ModelFileInfo File(ModelReadOptions options, long length, string sha256) =>
        new(options.SourceName ?? "(bytes)", length, sha256);

    // As export_sklearn.py: the given version, else the MLflow run id, else the file's name without its extension.
    private static string VersionFor(ModelReadOptions options, string? runId)
    {
        if ((options.Version ?? runId) is { Length: > 0 } version)
        {
            return version;
        }

        string stem = options.SourceName is { } source ? Path.GetFileNameWithoutExtension(source.TrimEnd('/')) : "";
        return stem.Length > 0 ? stem : "unversioned";
    }

    private static string SourceFor(ModelReadOptions options, ModelFormat format, string? runId)
    {
        string name = options.SourceName is { } source ? Path.GetFileName(source.TrimEnd('/')) : "";
        string kind = runId is not null ? "MLflow model" : format == ModelFormat.Pickle ? "pickle" : "model";
        string text = name.Length > 0 ? $"{kind} {name}" : kind;
        return runId is null ? text : $"{text} (run {runId})";
    }
}
