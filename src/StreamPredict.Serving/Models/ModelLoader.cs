using StreamPredict.Aws.S3;
using StreamPredict.Model;

namespace StreamPredict.Serving.Models;

/// <summary>
/// The one model loader: fetch the model's bytes (local file or folder, or S3), then verify and compile them. Every mode
/// calls it, so every mode accepts the same locations and refuses the same models with the same messages.
/// </summary>
public static class ModelLoader
{
    /// <summary>The file a folder must hold.</summary>
    public const string ModelFileName = "model.json";

    public static async Task<CompiledModel> LoadAsync(ModelLocation location, Func<S3ObjectDownloader> openDownloader, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(location);
        var bytes = await ReadAsync(location, openDownloader, cancellationToken).ConfigureAwait(false);
        return Compile(bytes, location);
    }

    /// <summary>Verifies and compiles; a refused model names where it came from.</summary>
    public static CompiledModel Compile(byte[] bytes, ModelLocation location)
    {
        ArgumentNullException.ThrowIfNull(location);
        try
        {
            return CompiledModel.Load(bytes);
        }
        catch (ModelLoadException exception)
        {
            var origin = location.IsS3 ? location.ToString() : location.Origin;
            throw new ModelUnavailableException($"The model at {origin} was refused: {exception.Message}", exception);
        }
    }

    /// <summary>The model's bytes as stored, not yet verified.</summary>
    public static async Task<byte[]> ReadAsync(ModelLocation location, Func<S3ObjectDownloader> openDownloader, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(location);
        ArgumentNullException.ThrowIfNull(openDownloader);
        return location.LocalPath is { } path
            ? await ReadLocalAsync(path, location.Origin, cancellationToken).ConfigureAwait(false)
            : await DownloadAsync(location, openDownloader, cancellationToken).ConfigureAwait(false);
    }

    private static async Task<byte[]> ReadLocalAsync(string location, string origin, CancellationToken cancellationToken)
    {
        var path = Directory.Exists(location) ? Path.Combine(location, ModelFileName) : location;
        if (!File.Exists(path))
        {
            throw new ModelUnavailableException($"{origin}: no model file at '{path}' (give a {ModelFileName} or a folder holding one).");
        }

        return await File.ReadAllBytesAsync(path, cancellationToken).ConfigureAwait(false);
    }

    private static async Task<byte[]> DownloadAsync(ModelLocation location, Func<S3ObjectDownloader> openDownloader, CancellationToken cancellationToken)
    {
        var (bucket, key) = (location.Bucket!, location.Key!);
        try
        {
            using var downloader = openDownloader();
            return await downloader.GetBytesAsync(bucket, key, cancellationToken).ConfigureAwait(false);
        }
        catch (S3ObjectNotFoundException exception)
        {
            throw new ModelUnavailableException($"No model at s3://{bucket}/{key} (from {location.Origin}): {exception.Message}", exception);
        }
        catch (Exception exception) when (exception is HttpRequestException or IOException or Amazon.Runtime.AmazonServiceException or Amazon.Runtime.AmazonClientException)
        {
            throw new ModelUnavailableException($"Could not download the model s3://{bucket}/{key}: {exception.Message}", exception);
        }
    }
}
