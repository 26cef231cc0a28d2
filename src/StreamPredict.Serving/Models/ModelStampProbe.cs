using System.Globalization;
using StreamPredict.Aws.S3;

namespace StreamPredict.Serving.Models;

/// <summary>
/// Tells whether the stored model changed without reading it: the S3 object's ETag (one HEAD), or a local file's
/// last-write time and size. A folder's stamp covers every file in it, so a model format that spans several files
/// (an MLflow model folder, say) is seen to change when any of them does.
/// </summary>
public static class ModelStampProbe
{
    /// <summary>The stamp; throws <see cref="ModelUnavailableException"/> naming the location when it cannot be read.</summary>
    public static async Task<string> ReadAsync(ModelLocation location, S3ObjectDownloader? downloader, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(location);
        if (location.LocalPath is { } path)
        {
            return LocalStamp(path, location.Origin);
        }

        ArgumentNullException.ThrowIfNull(downloader);
        var (bucket, key) = (location.Bucket!, location.Key!);
        try
        {
            return "etag:" + await downloader.GetETagAsync(bucket, key, cancellationToken).ConfigureAwait(false);
        }
        catch (S3ObjectNotFoundException exception)
        {
            throw new ModelUnavailableException($"No model at s3://{bucket}/{key} (from {location.Origin}): {exception.Message}", exception);
        }
        catch (Exception exception) when (exception is HttpRequestException or IOException or Amazon.Runtime.AmazonClientException)
        {
            throw new ModelUnavailableException($"Could not check the model s3://{bucket}/{key}: {exception.Message}", exception);
        }
    }

    private static string LocalStamp(string path, string origin)
    {
        if (File.Exists(path))
        {
            var file = new FileInfo(path);
            return Stamp(file.LastWriteTimeUtc, file.Length, 1);
        }

        if (Directory.Exists(path))
        {
            var files = new DirectoryInfo(path).GetFiles("*", SearchOption.AllDirectories);
            var newest = files.Length == 0 ? DateTime.MinValue : files.Max(f => f.LastWriteTimeUtc);
            return Stamp(newest, files.Sum(f => f.Length), files.Length);
        }

        throw new ModelUnavailableException($"{origin}: no model file at '{path}'.");
    }

    private static string Stamp(DateTime lastWriteUtc, long bytes, int files) =>
        string.Create(CultureInfo.InvariantCulture, $"file:{lastWriteUtc:O}/{bytes}/{files}");
}
