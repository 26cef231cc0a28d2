using StreamPredict.Aws.Configuration;

namespace StreamPredict.Aws.S3;

/// <summary>Get/put/head/list over AWSSDK.S3, with typed not-found errors.</summary>
public sealed class S3ObjectStore : IDisposable
{
    public S3ObjectStore(AwsEnvironment environment) => _ = environment;

    /// <summary>Throws <see cref="S3ObjectNotFoundException"/> naming the bucket and key.</summary>
    public Task<S3Object> GetAsync(string bucket, string key, CancellationToken cancellationToken) => throw new NotImplementedException();

    public void Dispose() { }
}

public sealed record S3Object(string Bucket, string Key, byte[] Body, string ETag, string? VersionId);
