using System.Security.Cryptography;
using StreamPredict.Model.Artifact;
using StreamPredict.Model.Formats.Mlflow;

namespace StreamPredict.Model.Formats;

/// <summary>
/// Reads a file of a model folder by its path relative to the folder ("MLmodel", "model.pkl",
/// "../preprocessor/preprocessor.b"); returns null when there is no such file. One delegate serves a local folder
/// (<see cref="ModelFolder.LocalFolder"/>) and an S3 prefix (resolve the key with <see cref="ModelFolder.Combine"/>).
/// </summary>
public delegate ValueTask<byte[]?> ModelFileReader(string relativePath, CancellationToken cancellationToken);

/// <summary>
/// Reads a model folder: an MLflow model (its MLmodel names the flavour and the data file), or a folder holding our
/// model.json. For the xgboost flavour the DictVectorizer comes from <see cref="ModelReadOptions.DictVectorizerPickle"/>
/// or the first of <see cref="PreprocessorPaths"/> that exists.
/// </summary>
public static class ModelFolder
{
    public const string MlmodelFile = "MLmodel";
    public const string ArtifactFile = "model.json";

    /// <summary>Where the course logs its DictVectorizer, relative to the model folder (mlflow.log_artifact(..., artifact_path="preprocessor") beside the model).</summary>
    public static IReadOnlyList<string> PreprocessorPaths { get; } = ["../preprocessor/preprocessor.b", "preprocessor/preprocessor.b", "preprocessor.b"];

    public static async Task<LoadedModel> LoadAsync(ModelFileReader readFile, ModelReadOptions? options = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(readFile);
        options ??= new ModelReadOptions();
        var files = new List<ModelFileInfo>();

        byte[]? mlmodel = await ReadAsync(readFile, MlmodelFile, files, cancellationToken).ConfigureAwait(false);
        if (mlmodel is null)
        {
            byte[] artifactBytes = await ReadAsync(readFile, ArtifactFile, files, cancellationToken).ConfigureAwait(false)
                ?? throw new ModelLoadException($"the folder has neither an {MlmodelFile} file (an MLflow model) nor a {ArtifactFile} (a streampredict.model/v1 artifact)");
            LoadedModel loaded = ModelFormats.Load(artifactBytes, options with { SourceName = options.SourceName ?? ArtifactFile }, files[^1].Sha256);
            return loaded with { Source = loaded.Source with { Files = files } };
        }

        MlflowModel mlflow = MlflowModel.Read(mlmodel);
        byte[] data = await ReadAsync(readFile, mlflow.DataPath, files, cancellationToken).ConfigureAwait(false)
            ?? throw new ModelLoadException($"{MlmodelFile} names the data file '{mlflow.DataPath}', which is not in the folder");
        string dataSha256 = files[^1].Sha256;
        ModelFormat format = ModelFormats.Detect(data);
        if (mlflow.Flavor == MlflowFlavor.Sklearn && format != ModelFormat.Pickle)
        {
            throw new ModelLoadException($"{MlmodelFile} names '{mlflow.DataPath}' as the sklearn pickle, but it is not a pickle of protocol 2 to 5");
        }

        if (mlflow.Flavor == MlflowFlavor.Xgboost && options.DictVectorizerPickle is null && format != ModelFormat.XgboostBinary)
        {
            options = options with { DictVectorizerPickle = await PreprocessorAsync(readFile, files, cancellationToken).ConfigureAwait(false) };
        }

        (ModelArtifact artifact, ModelSource source) = ModelFormats.Read(data, options, mlflow.RunId, mlflow.LibraryVersion, dataSha256);
        string flavour = mlflow.Flavor == MlflowFlavor.Sklearn ? "sklearn" : "xgboost";
        var folderSource = new ModelSource(ModelFormat.MlflowFolder, source.Sha256, source.Version,
            $"MLflow model, flavour {flavour}{(mlflow.RunId is null ? "" : $", run {mlflow.RunId}")}: {source.Description} from {mlflow.DataPath}", files);
        return new LoadedModel(CompiledModel.Compile(artifact), artifact, folderSource);
    }

    /// <summary>Reads files below <paramref name="folder"/> on the local disk (".." may leave it, as the course's preprocessor path does).</summary>
    public static ModelFileReader LocalFolder(string folder)
    {
        ArgumentException.ThrowIfNullOrEmpty(folder);
        return async (relativePath, cancellationToken) =>
        {
            string path = Path.GetFullPath(Path.Combine(folder, relativePath));
            var file = new FileInfo(path);
            if (!file.Exists)
            {
                return null;
            }

            return file.Length <= ModelFormats.MaxModelBytes
                ? await File.ReadAllBytesAsync(path, cancellationToken).ConfigureAwait(false)
                : throw new ModelLoadException($"{path} is {file.Length} bytes, over the {ModelFormats.MaxModelBytes / (1024 * 1024)} MiB limit");
        };
    }

    /// <summary>
    /// Joins a '/'-separated folder (an S3 key prefix such as "1/RUN/artifacts/model") and a relative path, resolving
    /// "." and "..": ("1/r/artifacts/model", "../preprocessor/preprocessor.b") → "1/r/artifacts/preprocessor/preprocessor.b".
    /// </summary>
    public static string Combine(string folder, string relativePath)
    {
        ArgumentNullException.ThrowIfNull(folder);
        ArgumentNullException.ThrowIfNull(relativePath);
        var parts = new List<string>(folder.Split('/', StringSplitOptions.RemoveEmptyEntries));
        foreach (string part in relativePath.Split('/', StringSplitOptions.RemoveEmptyEntries))
        {
            if (part == "..")
            {
                if (parts.Count == 0)
                {
                    throw new ModelLoadException($"'{relativePath}' climbs above '{folder}'");
                }

                parts.RemoveAt(parts.Count - 1);
            }
            else if (part != ".")
            {
                parts.Add(part);
            }
        }

        return string.Join('/', parts);
    }

    private static async Task<byte[]> PreprocessorAsync(ModelFileReader readFile, List<ModelFileInfo> files, CancellationToken cancellationToken)
    {
        foreach (string path in PreprocessorPaths)
        {
            if (await ReadAsync(readFile, path, files, cancellationToken).ConfigureAwait(false) is { } bytes)
            {
                return bytes;
            }
        }

        throw new ModelLoadException(
            $"an XGBoost model needs the DictVectorizer it was trained with, and none was found at {string.Join(", ", PreprocessorPaths)} (relative to the model folder)");
    }

    private static async Task<byte[]?> ReadAsync(ModelFileReader readFile, string path, List<ModelFileInfo> files, CancellationToken cancellationToken)
    {
        byte[]? bytes = await readFile(path, cancellationToken).ConfigureAwait(false);
        if (bytes is not null)
        {
            files.Add(new ModelFileInfo(path, bytes.Length, Convert.ToHexStringLower(SHA256.HashData(bytes))));
        }

        return bytes;
    }
}
