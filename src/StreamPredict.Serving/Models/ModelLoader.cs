using StreamPredict.Aws.Diagnostics;
using StreamPredict.Aws.S3;
using StreamPredict.Model;
using StreamPredict.Model.Formats;

namespace StreamPredict.Serving.Models;

/// <summary>
/// The one model loader: fetch the model (a local file or folder, or S3), then read, verify and compile it. Every mode
/// calls it, so every mode accepts the same locations and formats and refuses the same models with the same messages.
/// </summary>
/// <remarks>
/// Formats (<see cref="ModelFormats"/>): our checksummed <c>model.json</c>; a scikit-learn pickle (the course's
/// <c>model.pkl</c> or <c>lin_reg.bin</c>); an XGBoost JSON or UBJSON model; an MLflow model folder (<c>MLmodel</c> names
/// the flavour and the data file). A folder or an S3 prefix ending in '/' is read as a model folder. With the course's
/// key (<c>…/artifacts/model/model.json</c>) and no such object, the MLflow folder around it is read instead, which is
/// where the course's training logs its model.
/// </remarks>
public static class ModelLoader
{
    /// <summary>The file our own artifact is stored as.</summary>
    public const string ModelFileName = ModelFolder.ArtifactFile;

    public static async Task<CompiledModel> LoadAsync(ModelLocation location, Func<S3ObjectDownloader> openDownloader, CancellationToken cancellationToken)
        => (await LoadModelAsync(location, openDownloader, cancellationToken).ConfigureAwait(false)).Model;

    /// <summary>The compiled model, the artifact it amounts to, and its source (format, SHA-256, files read).</summary>
    public static async Task<LoadedModel> LoadModelAsync(ModelLocation location, Func<S3ObjectDownloader> openDownloader, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(location);
        ArgumentNullException.ThrowIfNull(openDownloader);
        try
        {
            return location.LocalPath is { } path
                ? await LoadLocalAsync(path, location, cancellationToken).ConfigureAwait(false)
                : await LoadS3Async(location, openDownloader, cancellationToken).ConfigureAwait(false);
        }
        catch (ModelLoadException exception)
        {
            throw Refused(location, exception);
        }
    }

    /// <summary>Reads a model from bytes already fetched (one file, any format).</summary>
    public static LoadedModel Load(byte[] bytes, ModelLocation location)
    {
        ArgumentNullException.ThrowIfNull(location);
        try
        {
            return ModelFormats.Load(bytes, new ModelReadOptions { SourceName = location.ToString() });
        }
        catch (ModelLoadException exception)
        {
            throw Refused(location, exception);
        }
    }

    private static ModelUnavailableException Refused(ModelLocation location, ModelLoadException exception)
    {
        var origin = location.IsS3 ? location.ToString() : location.Origin;
        return new ModelUnavailableException($"The model at {origin} was refused: {exception.Message}", exception);
    }

    private static async Task<LoadedModel> LoadLocalAsync(string path, ModelLocation location, CancellationToken cancellationToken)
    {
        var folder = Directory.Exists(path) ? path
            : Path.GetFileName(path) == ModelFolder.MlmodelFile && File.Exists(path) ? Path.GetDirectoryName(Path.GetFullPath(path))! : null;
        if (folder is not null)
        {
            var reader = ModelFolder.LocalFolder(folder);
            if (!File.Exists(Path.Combine(folder, ModelFolder.MlmodelFile)) && !File.Exists(Path.Combine(folder, ModelFileName)))
            {
                throw new ModelUnavailableException(
                    $"{location.Origin}: no model file at '{Path.Combine(folder, ModelFileName)}' (give a {ModelFileName}, a model file, or a folder holding one or an MLflow MLmodel).");
            }

            return await ModelFolder.LoadAsync(reader, new ModelReadOptions { SourceName = path }, cancellationToken).ConfigureAwait(false);
        }

        if (!File.Exists(path))
        {
            throw new ModelUnavailableException($"{location.Origin}: no model file at '{path}' (give a {ModelFileName}, a model file, or a folder holding one).");
        }

        var bytes = await File.ReadAllBytesAsync(path, cancellationToken).ConfigureAwait(false);
        return ModelFormats.Load(bytes, new ModelReadOptions { SourceName = path });
    }

    private static async Task<LoadedModel> LoadS3Async(ModelLocation location, Func<S3ObjectDownloader> openDownloader, CancellationToken cancellationToken)
    {
        var (bucket, key) = (location.Bucket!, location.Key!);
        using var downloader = openDownloader();
        StartupTrace.Mark("s3 downloader built");
        if (key.EndsWith('/') || key.EndsWith("/" + ModelFolder.MlmodelFile, StringComparison.Ordinal))
        {
            return await LoadS3FolderAsync(downloader, location, bucket, key[..(key.LastIndexOf('/') + 1)], cancellationToken).ConfigureAwait(false);
        }

        byte[] bytes;
        try
        {
            bytes = await downloader.GetBytesAsync(bucket, key, cancellationToken).ConfigureAwait(false);
        }
        catch (S3ObjectNotFoundException exception)
        {
            // The course's MLflow run keeps MLmodel + model.pkl where our model.json would be.
            if (key.EndsWith("/artifacts/model/" + ModelFileName, StringComparison.Ordinal))
            {
                var folder = key[..^ModelFileName.Length];
                if (await TryGetAsync(downloader, location, bucket, folder + ModelFolder.MlmodelFile, cancellationToken).ConfigureAwait(false) is not null)
                {
                    return await LoadS3FolderAsync(downloader, location, bucket, folder, cancellationToken).ConfigureAwait(false);
                }
            }

            throw new ModelUnavailableException($"No model at s3://{bucket}/{key} (from {location.Origin}): {exception.Message}", exception);
        }
        catch (Exception exception) when (IsTransport(exception))
        {
            throw new ModelUnavailableException($"Could not download the model s3://{bucket}/{key}: {exception.Message}", exception);
        }

        StartupTrace.Mark("model downloaded");
        var loaded = ModelFormats.Load(bytes, new ModelReadOptions { SourceName = location.ToString() });
        StartupTrace.Mark("model read and compiled");
        return loaded;
    }

    private static Task<LoadedModel> LoadS3FolderAsync(S3ObjectDownloader downloader, ModelLocation location, string bucket, string prefix, CancellationToken cancellationToken)
    {
        ModelFileReader reader = async (relativePath, token) =>
            await TryGetAsync(downloader, location, bucket, ModelFolder.Combine(prefix, relativePath), token).ConfigureAwait(false);
        return ModelFolder.LoadAsync(reader, new ModelReadOptions { SourceName = $"s3://{bucket}/{prefix}" }, cancellationToken);
    }

    private static async ValueTask<byte[]?> TryGetAsync(S3ObjectDownloader downloader, ModelLocation location, string bucket, string key, CancellationToken cancellationToken)
    {
        try
        {
            return await downloader.GetBytesAsync(bucket, key, cancellationToken).ConfigureAwait(false);
        }
        catch (S3ObjectNotFoundException)
        {
            return null;
        }
        catch (Exception exception) when (IsTransport(exception))
        {
            throw new ModelUnavailableException($"Could not download s3://{bucket}/{key} (the model from {location.Origin}): {exception.Message}", exception);
        }
    }

    private static bool IsTransport(Exception exception) =>
        exception is HttpRequestException or IOException or Amazon.Runtime.AmazonServiceException or Amazon.Runtime.AmazonClientException;
}
