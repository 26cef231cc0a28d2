using StreamPredict.Aws.S3;
using StreamPredict.Model;

namespace StreamPredict.Function.Configuration;

/// <summary>Cold start: fetch the model artifact once (local file or S3), verify and compile it.</summary>
internal static class ModelLoader
{
    public static async Task<CompiledModel> LoadAsync(FunctionSettings settings, Func<S3ObjectDownloader> openDownloader, CancellationToken cancellationToken)
    {
        var (bytes, origin) = settings.ModelLocation is { } location
            ? (await ReadLocalAsync(location, cancellationToken).ConfigureAwait(false), $"{FunctionSettings.ModelLocationVariable}='{location}'")
            : (await DownloadAsync(settings, openDownloader, cancellationToken).ConfigureAwait(false), $"s3://{settings.ModelBucket}/{settings.ModelKey}");
        try
        {
            return CompiledModel.Load(bytes);
        }
        catch (ModelLoadException exception)
        {
            throw new FunctionConfigurationException($"The model at {origin} was refused: {exception.Message}", exception);
        }
    }

    private static async Task<byte[]> ReadLocalAsync(string location, CancellationToken cancellationToken)
    {
        var path = Directory.Exists(location) ? Path.Combine(location, "model.json") : location;
        if (!File.Exists(path))
        {
            throw new FunctionConfigurationException(
                $"{FunctionSettings.ModelLocationVariable}='{location}': no model file at '{path}' (give a model.json or a folder holding one).");
        }

        return await File.ReadAllBytesAsync(path, cancellationToken).ConfigureAwait(false);
    }

    private static async Task<byte[]> DownloadAsync(FunctionSettings settings, Func<S3ObjectDownloader> openDownloader, CancellationToken cancellationToken)
    {
        var bucket = settings.ModelBucket!;
        var key = settings.ModelKey!;
        try
        {
            using var downloader = openDownloader();
            return await downloader.GetBytesAsync(bucket, key, cancellationToken).ConfigureAwait(false);
        }
        catch (S3ObjectNotFoundException exception)
        {
            throw new FunctionConfigurationException(
                $"No model at s3://{bucket}/{key} ({FunctionSettings.ModelBucketVariable}='{bucket}', key from {settings.ModelKeyOrigin}): {exception.Message}", exception);
        }
        catch (Exception exception) when (exception is HttpRequestException or IOException or Amazon.Runtime.AmazonServiceException or Amazon.Runtime.AmazonClientException)
        {
            throw new FunctionConfigurationException($"Could not download the model s3://{bucket}/{key}: {exception.Message}", exception);
        }
    }
}
