using System.Net;
using System.Runtime.InteropServices;
using Amazon.Runtime;
using Amazon.S3;
using Amazon.S3.Model;
using StreamPredict.Aws.Configuration;

namespace StreamPredict.Aws.S3;

/// <summary>Get/put/head/list over AWSSDK.S3, with typed not-found errors.</summary>
public sealed partial class S3ObjectStore : IDisposable
{
    private readonly AmazonS3Client _client;

    public S3ObjectStore(AwsEnvironment environment)
    {
        ArgumentNullException.ThrowIfNull(environment);
        var config = new AmazonS3Config
        {
            AuthenticationRegion = environment.Region,
            // Emulators do not speak the newer flexible checksums; only send or check them when S3 demands it.
            RequestChecksumCalculation = RequestChecksumCalculation.WHEN_REQUIRED,
            ResponseChecksumValidation = ResponseChecksumValidation.WHEN_REQUIRED,
        };
        if (environment.HasCustomS3Endpoint)
        {
            // Emulators and LocalStack serve buckets under the path, not as virtual-host subdomains.
            config.ServiceURL = environment.S3Endpoint.ToString();
            config.ForcePathStyle = true;
        }
        else
        {
            config.RegionEndpoint = Amazon.RegionEndpoint.GetBySystemName(environment.Region);
        }

        _client = new AmazonS3Client(environment.Credentials, config);
    }

    /// <summary>Throws <see cref="S3ObjectNotFoundException"/> naming the bucket and key.</summary>
    public async Task<S3Object> GetAsync(string bucket, string key, CancellationToken cancellationToken)
    {
        RequireLocation(bucket, key);
        try
        {
            using var response = await _client.GetObjectAsync(bucket, key, cancellationToken).ConfigureAwait(false);
            var body = new MemoryStream(response.ContentLength > 0 ? (int)Math.Min(response.ContentLength, int.MaxValue) : 0);
            await using (body.ConfigureAwait(false))
            {
                await response.ResponseStream.CopyToAsync(body, cancellationToken).ConfigureAwait(false);
                return new S3Object(bucket, key, body.ToArray(), response.ETag, NullIfEmpty(response.VersionId));
            }
        }
        catch (AmazonS3Exception e) when (e.StatusCode == HttpStatusCode.NotFound)
        {
            throw NotFound(bucket, key, e);
        }
    }

    /// <summary>Stores <paramref name="body"/> as sent (no aws-chunked encoding, which emulators would store verbatim).</summary>
    public async Task<S3PutResult> PutAsync(string bucket, string key, ReadOnlyMemory<byte> body, CancellationToken cancellationToken, string contentType = "application/octet-stream")
    {
        RequireLocation(bucket, key);
        // Wrap the caller's array when there is one rather than copying a possibly large model.
        var stream = MemoryMarshal.TryGetArray(body, out var segment)
            ? new MemoryStream(segment.Array!, segment.Offset, segment.Count, writable: false)
            : new MemoryStream(body.ToArray(), writable: false);
        await using (stream.ConfigureAwait(false))
        {
            var request = new PutObjectRequest
            {
                BucketName = bucket,
                Key = key,
                InputStream = stream,
                ContentType = contentType,
                UseChunkEncoding = false,
                AutoCloseStream = false,
            };
            try
            {
                var response = await _client.PutObjectAsync(request, cancellationToken).ConfigureAwait(false);
                return new S3PutResult(bucket, key, response.ETag, NullIfEmpty(response.VersionId));
            }
            catch (AmazonS3Exception e) when (e.StatusCode == HttpStatusCode.NotFound)
            {
                throw NotFound(bucket, key, e);
            }
        }
    }

    /// <summary>Size, ETag and version without the body; throws <see cref="S3ObjectNotFoundException"/>.</summary>
    public async Task<S3ObjectMetadata> HeadAsync(string bucket, string key, CancellationToken cancellationToken)
    {
        RequireLocation(bucket, key);
        try
        {
            var response = await _client.GetObjectMetadataAsync(bucket, key, cancellationToken).ConfigureAwait(false);
            return new S3ObjectMetadata(bucket, key, response.ContentLength, response.ETag, NullIfEmpty(response.VersionId), ToOffset(response.LastModified));
        }
        catch (AmazonS3Exception e) when (e.StatusCode == HttpStatusCode.NotFound)
        {
            throw NotFound(bucket, key, e);
        }
    }

    /// <summary>Every object whose key starts with <paramref name="prefix"/>, across all pages, in key order.</summary>
    public async Task<IReadOnlyList<S3ObjectMetadata>> ListAsync(string bucket, string prefix, CancellationToken cancellationToken)
    {
        RequireBucket(bucket);
        ArgumentNullException.ThrowIfNull(prefix);
        var objects = new List<S3ObjectMetadata>();
        var request = new ListObjectsV2Request { BucketName = bucket, Prefix = prefix };
        try
        {
            ListObjectsV2Response page;
            do
            {
                page = await _client.ListObjectsV2Async(request, cancellationToken).ConfigureAwait(false);
                foreach (var item in page.S3Objects ?? [])
                {
                    objects.Add(new S3ObjectMetadata(bucket, item.Key, item.Size ?? 0, item.ETag, null, ToOffset(item.LastModified)));
                }

                request.ContinuationToken = page.NextContinuationToken;
            }
            while (page.IsTruncated == true);
        }
        catch (AmazonS3Exception e) when (e.StatusCode == HttpStatusCode.NotFound)
        {
            throw NotFound(bucket, prefix, e);
        }

        return objects;
    }

    /// <summary>Creates the bucket unless this account already owns it.</summary>
    public async Task EnsureBucketAsync(string bucket, CancellationToken cancellationToken)
    {
        RequireBucket(bucket);
        try
        {
            await _client.PutBucketAsync(new PutBucketRequest { BucketName = bucket }, cancellationToken).ConfigureAwait(false);
        }
        catch (AmazonS3Exception e) when (e.ErrorCode == "BucketAlreadyOwnedByYou")
        {
            // Already ours: nothing to do.
        }
        catch (AmazonS3Exception e) when (e.ErrorCode == "BucketAlreadyExists")
        {
            // Emulators answer this for a bucket we created; on AWS it means another account's bucket, which the
            // listing below cannot read.
            try
            {
                await _client.ListObjectsV2Async(new ListObjectsV2Request { BucketName = bucket, MaxKeys = 1 }, cancellationToken).ConfigureAwait(false);
            }
            catch (AmazonS3Exception inner)
            {
                throw new InvalidOperationException($"S3 bucket '{bucket}' exists but belongs to someone else: {inner.Message}", e);
            }
        }
    }

    public void Dispose() => _client.Dispose();

    private static S3ObjectNotFoundException NotFound(string bucket, string key, AmazonS3Exception e)
    {
        var what = e.ErrorCode == "NoSuchBucket" ? $"bucket '{bucket}' does not exist" : "no such object";
        return new S3ObjectNotFoundException($"S3 object s3://{bucket}/{key} not found: {what} ({e.ErrorCode ?? "NotFound"}).", e)
        {
            Bucket = bucket,
            Key = key,
        };
    }

    private static void RequireBucket(string bucket)
    {
        if (string.IsNullOrWhiteSpace(bucket))
        {
            throw new ArgumentException("An S3 bucket name is required.", nameof(bucket));
        }
    }

    private static void RequireLocation(string bucket, string key)
    {
        RequireBucket(bucket);
        if (string.IsNullOrEmpty(key))
        {
            throw new ArgumentException($"An S3 object key is required (bucket '{bucket}').", nameof(key));
        }
    }

    private static string? NullIfEmpty(string? value) => string.IsNullOrEmpty(value) ? null : value;

    private static DateTimeOffset? ToOffset(DateTime? value) =>
        value is { } time ? new DateTimeOffset(time.ToUniversalTime(), TimeSpan.Zero) : null;
}

public sealed record S3Object(string Bucket, string Key, byte[] Body, string ETag, string? VersionId);

public sealed record S3PutResult(string Bucket, string Key, string ETag, string? VersionId);

/// <summary>What head and list return: no body. <see cref="VersionId"/> is null in listings.</summary>
public sealed record S3ObjectMetadata(string Bucket, string Key, long Size, string ETag, string? VersionId, DateTimeOffset? LastModified);
