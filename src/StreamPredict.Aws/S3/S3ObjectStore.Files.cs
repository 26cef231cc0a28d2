using Amazon.S3.Model;

namespace StreamPredict.Aws.S3;

/// <summary>Whole files to and from S3 without holding them in memory: for batch inputs and outputs of any size.</summary>
public sealed partial class S3ObjectStore
{
    /// <summary>S3's smallest part (except the last); above this size a file goes up in parts.</summary>
    public const long MinPartBytes = 5L * 1024 * 1024;

    /// <summary>Files up to this size are sent with one PUT; larger ones with a multipart upload.</summary>
    public const long DefaultMultipartThreshold = 64L * 1024 * 1024;

    /// <summary>Streams the object to <paramref name="path"/> (replacing it); throws <see cref="S3ObjectNotFoundException"/>.</summary>
    public async Task DownloadToFileAsync(string bucket, string key, string path, CancellationToken cancellationToken)
    {
        RequireLocation(bucket, key);
        try
        {
            using var response = await _client.GetObjectAsync(bucket, key, cancellationToken).ConfigureAwait(false);
            var file = new FileStream(path, FileMode.Create, FileAccess.Write, FileShare.None, 1 << 16, FileOptions.Asynchronous);
            await using (file.ConfigureAwait(false))
            {
                await response.ResponseStream.CopyToAsync(file, 1 << 20, cancellationToken).ConfigureAwait(false);
            }
        }
        catch (Amazon.S3.AmazonS3Exception e) when (e.StatusCode == System.Net.HttpStatusCode.NotFound)
        {
            throw NotFound(bucket, key, e);
        }
    }

    /// <summary>
    /// Uploads a file as one object. S3 makes an object visible only when its PUT, or the completion of its multipart upload,
    /// succeeds, so readers never see part of it; a failed multipart upload is aborted so that no parts linger (and cost).
    /// Returns the number of parts sent (1 for a single PUT).
    /// </summary>
    public async Task<int> UploadFileAsync(string bucket, string key, string path, CancellationToken cancellationToken,
        long multipartThreshold = DefaultMultipartThreshold, long partBytes = 16L * 1024 * 1024)
    {
        RequireLocation(bucket, key);
        var length = new FileInfo(path).Length;
        if (length <= multipartThreshold)
        {
            var bytes = await File.ReadAllBytesAsync(path, cancellationToken).ConfigureAwait(false);
            await PutAsync(bucket, key, bytes, cancellationToken).ConfigureAwait(false);
            return 1;
        }

        partBytes = Math.Max(partBytes, MinPartBytes);
        var started = await _client.InitiateMultipartUploadAsync(
            new InitiateMultipartUploadRequest { BucketName = bucket, Key = key, ContentType = "application/octet-stream" }, cancellationToken).ConfigureAwait(false);
        try
        {
            var parts = new List<PartETag>();
            var buffer = new byte[partBytes];
            var file = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16, FileOptions.Asynchronous | FileOptions.SequentialScan);
            await using (file.ConfigureAwait(false))
            {
                for (var number = 1; ; number++)
                {
                    var read = await file.ReadAtLeastAsync(buffer, buffer.Length, throwOnEndOfStream: false, cancellationToken).ConfigureAwait(false);
                    if (read == 0)
                    {
                        break;
                    }

                    using var part = new MemoryStream(buffer, 0, read, writable: false);
                    var uploaded = await _client.UploadPartAsync(new UploadPartRequest
                    {
                        BucketName = bucket,
                        Key = key,
                        UploadId = started.UploadId,
                        PartNumber = number,
                        PartSize = read,
                        InputStream = part,
                        UseChunkEncoding = false,
                    }, cancellationToken).ConfigureAwait(false);
                    parts.Add(new PartETag(number, uploaded.ETag));
                }
            }

            await _client.CompleteMultipartUploadAsync(new CompleteMultipartUploadRequest
            {
                BucketName = bucket,
                Key = key,
                UploadId = started.UploadId,
                PartETags = parts,
            }, cancellationToken).ConfigureAwait(false);
            return parts.Count;
        }
        catch
        {
            await _client.AbortMultipartUploadAsync(new AbortMultipartUploadRequest { BucketName = bucket, Key = key, UploadId = started.UploadId },
                CancellationToken.None).ConfigureAwait(false);
            throw;
        }
    }
}
